import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { beginRecordedApply, finishRecordedApply, untouchedSinceBegin } from '../../../../src/core/apply/recorded';
import { applyEditsToText } from '../../../../src/core/moves/edits';
import { isInside } from '../../../../src/core/paths';
import type { FileSource } from '../../../../src/core/types';
import { selectSteps } from '../../../../src/core/plan/select';
import { describeStatus, rollbackStep, runSteps, type MoveBatch, type MovesApplied, type PhaseRunOptions } from '../../../../src/core/phases/run';
import { BEGIN_MARKER } from '../../../../src/core/phases/docs';
import { readState, STATE_FILE } from '../../../../src/core/phases/state';
import { findKustomizeTool } from '../../../../src/core/verify/kustomizeTool';
import { fixturePlan, makeWorkspace, snapshot } from './fixture';

const lookup = findKustomizeTool(undefined, process.env);
const tool = lookup.status === 'found' ? lookup.tool : undefined;

function stepsOf(ids?: string[]) {
  const plan = fixturePlan();
  const selection = selectSteps(plan);
  assert.ok(selection.ok);
  return { plan, steps: ids ? selection.steps.filter(({ step }) => ids.includes(step.id)) : selection.steps };
}

async function run(root: string, ids?: string[], options: PhaseRunOptions = {}) {
  const { plan, steps } = stepsOf(ids);
  return runSteps(root, plan, steps, { tool, ...options });
}

function read(root: string, path: string): string {
  return readFileSync(nodePath.join(root, path), 'utf8');
}

describe('phases/run', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => (root = makeWorkspace()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('carries out every step in order: reports, backup, moves, a new environment, validation, docs, cleanup', async () => {
    const result = await run(root);
    assert.deepEqual(
      result.outcomes.map((o) => `${o.step}:${o.status}`),
      ['inventory', 'deps', 'impact', 'backup', 'scripts', 'staging', 'manifests', 'check', 'docs', 'cleanup'].map((id) => `${id}:done`),
      JSON.stringify(result.outcomes.filter((o) => o.status !== 'done')),
    );
    assert.match(read(root, '.relayout/reports/inventory.md'), /\| deploy\/k8s\/overlays\/dev\/ \| 1 \| 1 \| kustomization 1 \|/);
    assert.match(read(root, '.relayout/reports/dependency-map.md'), /\| deploy\/k8s\/overlays\/dev\/ \| deploy\/k8s\/base\/ \| 1 \|/);
    assert.match(read(root, '.relayout/reports/impact.md'), /## Step scripts[\s\S]*deploy\/k8s\/restart\.sh → deploy\/scripts\/restart\.sh/);
    assert.ok(existsSync(nodePath.join(root, '.relayout/baseline.json')));

    assert.equal(read(root, 'deploy/scripts/restart.sh'), '#!/bin/sh\nkubectl apply -k deploy/environments/dev\n');
    assert.equal(read(root, 'README.md'), '# Shop\n\nRestart with [restart.sh](deploy/scripts/restart.sh).\n');
    assert.equal(
      read(root, 'deploy/environments/staging/kustomization.yaml'),
      '# The staging environment, scaffolded by Relayout from the dev environment beside it.\n' +
        '# Local cluster at https://shop.local\nnamespace: shop-staging\nnameSuffix: -staging\nlabels:\n  - pairs:\n      environment: staging\n' +
        'images:\n  - name: nginx\n    newTag: dev\nresources:\n  - ../base\n',
    );
    assert.ok(!existsSync(nodePath.join(root, 'deploy/k8s')), 'the old folder is gone');

    const check = result.outcomes.find((o) => o.step === 'check')!;
    assert.match(check.summary, /^passed: 0 newly broken and 0 stale references/);
    // Base and dev render the same at their new places; staging is a root of its own.
    if (tool) assert.match(check.summary, /renders: 2 same, 1 new-root$/);

    const readme = read(root, 'deploy/environments/README.md');
    assert.ok(readme.startsWith(BEGIN_MARKER));
    assert.match(readme, /# environments\n\nEnvironment configurations\.\n\n## Layout\n\n- \*\*base\/\*\*: The shared base\n- \*\*dev\/\*\*\n- \*\*staging\/\*\*/);
    assert.match(read(root, 'deploy/docs/reference/migration-map.md'), /\| deploy\/k8s\/restart\.sh \| deploy\/scripts\/restart\.sh \|/);

    const status = describeStatus(root, fixturePlan());
    assert.equal(status.next, undefined);
    assert.deepEqual(status.phases.map((p) => [p.completeSteps, p.steps.length]), [[4, 4], [6, 6]]);
    const files = status.phases[1].files;
    assert.ok(files.total >= 5 && files.done === files.total && files.pending === 0, JSON.stringify(files));
  });

  it('writes the state with steps in plan order and fields in a fixed order', async () => {
    await run(root, ['inventory', 'deps']);
    const text = read(root, STATE_FILE);
    assert.ok(text.startsWith('{\n  "version": 1,\n  "plan": "relayout.yaml",\n  "steps": {\n    "inventory": {\n      "phase": "prepare",'), text);
    assert.ok(text.endsWith('}\n'));
    const state = JSON.parse(text);
    assert.deepEqual(Object.keys(state), ['version', 'plan', 'steps']);
    assert.deepEqual(Object.keys(state.steps), ['inventory', 'deps']);
    assert.deepEqual(Object.keys(state.steps.inventory), ['phase', 'action', 'status', 'startedAt', 'finishedAt', 'summary', 'reports']);
    assert.deepEqual(state.steps.deps.reports, ['.relayout/reports/dependency-map.md']);
  });

  it('measures move progress from the tree, whatever the state says', async () => {
    const plan = fixturePlan();
    mkdirSync(nodePath.join(root, 'deploy/scripts'));
    execFileSync('mv', [nodePath.join(root, 'deploy/k8s/restart.sh'), nodePath.join(root, 'deploy/scripts/restart.sh')]);
    const scripts = describeStatus(root, plan).phases[1].steps.find((s) => s.id === 'scripts')!;
    assert.deepEqual([scripts.status, scripts.complete, scripts.progress], ['not-started', true, { total: 1, done: 1, pending: 0 }]);
    const result = await run(root, ['scripts']);
    assert.equal(result.outcomes[0].status, 'skipped');
  });

  it('rolls back step after step, newest first, to the tree it started from', async () => {
    const before = snapshot(root);
    const plan = fixturePlan();
    await run(root, ['inventory', 'scripts', 'staging', 'manifests', 'docs']);
    const afterStaging = (): void => {
      assert.ok(existsSync(nodePath.join(root, 'deploy/k8s/overlays/staging/kustomization.yaml')));
      assert.ok(existsSync(nodePath.join(root, 'deploy/k8s/base/kustomization.yaml')));
    };
    assert.equal(rollbackStep(root, plan).step, 'docs');
    assert.ok(!existsSync(nodePath.join(root, 'deploy/environments/README.md')));
    assert.throws(() => rollbackStep(root, plan, { step: 'scripts' }), /not the last one run \(manifests is\)/);
    assert.equal(rollbackStep(root, plan).step, 'manifests');
    afterStaging();
    assert.equal(rollbackStep(root, plan).step, 'staging');
    assert.ok(!existsSync(nodePath.join(root, 'deploy/k8s/overlays/staging')));
    assert.equal(rollbackStep(root, plan).step, 'scripts');
    assert.equal(rollbackStep(root, plan).step, 'inventory');
    assert.deepEqual(snapshot(root), before);
    assert.deepEqual(
      Object.values(readState(root, 'relayout.yaml').steps).map((s) => s.status),
      ['not-started', 'not-started', 'not-started', 'not-started', 'not-started'],
    );
    assert.throws(() => rollbackStep(root, plan), /nothing to roll back/);
  });

  it('returns to a snapshot backup byte for byte from any later step, and refuses over changes no step made', async () => {
    const before = snapshot(root);
    const plan = fixturePlan();
    await run(root, ['backup', 'scripts', 'staging', 'manifests', 'docs']);
    writeFileSync(nodePath.join(root, 'notes.txt'), 'mine\n');
    assert.throws(() => rollbackStep(root, plan, { step: 'backup' }), /no step since made them so: notes\.txt/);
    rmSync(nodePath.join(root, 'notes.txt'));
    const result = rollbackStep(root, plan, { step: 'backup' });
    assert.match(result.summary, /undid 4 later steps/);
    assert.deepEqual(snapshot(root), before);
    assert.equal(describeStatus(root, plan).next?.step, 'inventory');
  });

  it('returns to a git tag backup in a clean repository', async function () {
    if (spawnSync('git', ['--version']).status !== 0) this.skip();
    const git = (...args: string[]): string => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@e', 'add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'start');
    const before = snapshot(root);
    const plan = fixturePlan();
    const backup = (await run(root, ['backup'])).outcomes[0];
    assert.match(backup.summary, /git tag relayout\/backup-backup-/);
    assert.match(git('tag'), /^relayout\/backup-backup-\d{8}T\d{6}Z$/m);
    await run(root, ['scripts', 'manifests']);
    assert.notEqual(git('status', '--porcelain', '--', 'deploy'), '');
    rollbackStep(root, plan, { step: 'backup' });
    assert.deepEqual(snapshot(root), before);
    assert.equal(git('status', '--porcelain', '--untracked-files=all', '--', 'deploy', 'README.md'), '');
  });

  it('leaves nothing of a step that fails or is cancelled', async () => {
    mkdirSync(nodePath.join(root, 'deploy/k8s/overlays/staging'));
    writeFileSync(nodePath.join(root, 'deploy/k8s/overlays/staging/notes.md'), 'taken\n');
    const before = snapshot(root);
    // The folder is there, so the step counts as done: run it anyway.
    const failed = await run(root, ['staging'], { rerun: true } as PhaseRunOptions);
    assert.equal(failed.outcomes[0].status, 'failed');
    assert.match(failed.outcomes[0].summary, /already exists/);
    assert.deepEqual(snapshot(root), before);
    assert.equal(readState(root, 'relayout.yaml').steps.staging.status, 'failed');

    rmSync(nodePath.join(root, 'deploy/k8s/overlays/staging'), { recursive: true });
    const clean = snapshot(root);
    let asked = 0;
    const cancelled = await run(root, ['scripts'], { isCancelled: () => ++asked > 1 });
    assert.equal(cancelled.outcomes[0].status, 'cancelled');
    assert.deepEqual(snapshot(root), clean);
    assert.equal(readState(root, 'relayout.yaml').steps.scripts, undefined);
  });

  it('appends its marked block to a README someone wrote, and replaces only that block when run again', async () => {
    mkdirSync(nodePath.join(root, 'deploy/scripts'));
    writeFileSync(nodePath.join(root, 'deploy/scripts/README.md'), '# Our scripts\n\nHand-written.\n');
    await run(root, ['docs']);
    const first = read(root, 'deploy/scripts/README.md');
    assert.ok(first.startsWith('# Our scripts\n\nHand-written.\n\n' + BEGIN_MARKER));
    writeFileSync(nodePath.join(root, 'deploy/scripts/README.md'), first.replace('Hand-written.', 'Hand-written, edited.'));
    await run(root, ['docs'], { rerun: true } as PhaseRunOptions);
    const again = read(root, 'deploy/scripts/README.md');
    assert.equal(again, first.replace('Hand-written.', 'Hand-written, edited.'));
  });

  it('removes only empty folders, and makes them again on rollback', async () => {
    mkdirSync(nodePath.join(root, 'deploy/old/empty/deeper'), { recursive: true });
    mkdirSync(nodePath.join(root, 'deploy/kept'), { recursive: true });
    writeFileSync(nodePath.join(root, 'deploy/kept/file.txt'), 'x\n');
    const outcome = (await run(root, ['cleanup'])).outcomes[0];
    assert.equal(outcome.summary, 'removed 3 empty folders: deploy/old/empty/deeper, deploy/old/empty, deploy/old');
    assert.ok(!existsSync(nodePath.join(root, 'deploy/old')));
    assert.ok(existsSync(nodePath.join(root, 'deploy/kept/file.txt')));
    rollbackStep(root, fixturePlan());
    assert.ok(existsSync(nodePath.join(root, 'deploy/old/empty/deeper')));
  });

  describe('a move step applied by the caller (applyMoves, as the editor applies it)', () => {
    const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' });

    /**
     * Applies a batch as the editor's WorkspaceEdit does, with plain file operations between the recorder's begin and
     * finish: folders that move whole as one rename, then the created files, then the text edits at the files' new
     * places. `leaveOut` skips the edits of a file and the renames of paths below a folder, as unchecking them in the
     * Refactor Preview does.
     */
    function editorLike(rootAbs: string, leaveOut: string[] = [], batches: MoveBatch[] = []) {
      return async (batch: MoveBatch): Promise<MovesApplied> => {
        batches.push(batch);
        const { plan, source } = batch;
        const folders = plan.moves.filter((move) => source.stat(move.from) === 'directory' && source.stat(move.to) === undefined);
        const renames = [...folders, ...plan.renames.filter((rename) => !folders.some((folder) => isInside(rename.from, folder.from)))];
        const recorded = beginRecordedApply(plan, rootAbs, source, renames);
        const at = (path: string) => nodePath.join(rootAbs, ...path.split('/'));
        const skipped = (path: string) => leaveOut.some((left) => isInside(path, left));
        const done = renames.filter((rename) => !skipped(rename.from));
        for (const rename of done) {
          mkdirSync(nodePath.dirname(at(rename.to)), { recursive: true });
          renameSync(at(rename.from), at(rename.to));
        }
        for (const create of plan.creates) {
          mkdirSync(nodePath.dirname(at(create.path)), { recursive: true });
          writeFileSync(at(create.path), create.content);
        }
        for (const file of new Set(plan.edits.map((edit) => edit.file))) {
          if (skipped(file)) continue;
          const moved = done.find((rename) => isInside(file, rename.from));
          const now = moved ? moved.to + file.slice(moved.from.length) : file;
          writeFileSync(at(now), applyEditsToText(read(rootAbs, file === now ? file : now), plan.edits.filter((edit) => edit.file === file)));
        }
        return { status: 'applied', result: finishRecordedApply(recorded) };
      };
    }

    it('hands over the step\'s planned batch; the tree it leaves is the engine\'s, and rolls back byte for byte', async () => {
      const engine = makeWorkspace();
      try {
        const before = snapshot(root);
        const batches: MoveBatch[] = [];
        const result = await run(root, ['scripts', 'manifests'], { applyMoves: editorLike(root, [], batches) });
        assert.ok(result.ok, JSON.stringify(result.outcomes));
        assert.deepEqual(batches.map((batch) => batch.step), ['scripts', 'manifests']);
        assert.deepEqual(batches[0]!.plan.renames, [{ from: 'deploy/k8s/restart.sh', to: 'deploy/scripts/restart.sh' }]);
        assert.deepEqual(batches[1]!.plan.moves.map((move) => `${move.from} → ${move.to}`), [
          'deploy/k8s/base → deploy/environments/base',
          'deploy/k8s/overlays/dev → deploy/environments/dev',
        ]);
        await run(engine, ['scripts', 'manifests']);
        assert.deepEqual(snapshot(root), snapshot(engine), 'the same tree as the engine\'s own apply, empty folders removed');
        assert.match(result.outcomes[1]!.summary, /^moved 3 files \(2 moves\), edited 2 files, created 0/);

        const plan = fixturePlan();
        assert.equal(rollbackStep(root, plan).step, 'manifests');
        assert.equal(rollbackStep(root, plan).step, 'scripts');
        assert.deepEqual(snapshot(root), before);
        assert.ok(!existsSync(nodePath.join(root, '.relayout/journal.json')), 'no apply left pending');
      } finally {
        rmSync(engine, { recursive: true, force: true });
      }
    });

    it('records only what was applied: a rename and an edit left out stay as they are through the rollback', async () => {
      const before = snapshot(root);
      const result = await run(root, ['scripts', 'manifests'], { applyMoves: editorLike(root, ['README.md', 'deploy/k8s/overlays']) });
      assert.ok(result.ok, JSON.stringify(result.outcomes));
      assert.equal(read(root, 'README.md'), '# Shop\n\nRestart with [restart.sh](deploy/k8s/restart.sh).\n', 'the link edit was left out');
      assert.ok(existsSync(nodePath.join(root, 'deploy/k8s/overlays/dev/kustomization.yaml')), 'the overlay rename was left out');
      assert.ok(existsSync(nodePath.join(root, 'deploy/environments/base/kustomization.yaml')));
      const journals = readdirSync(nodePath.join(root, '.relayout/history')).filter((name) => name.endsWith('-applied.json'));
      const last = JSON.parse(read(root, `.relayout/history/${journals.sort().pop()}`)) as { renames: { from: string }[]; files: { path: string }[] };
      assert.deepEqual(last.renames.map((rename) => rename.from), ['deploy/k8s/base/deployment.yaml', 'deploy/k8s/base/kustomization.yaml']);
      assert.deepEqual(last.files.map((file) => file.path), ['deploy/scripts/restart.sh']);

      const plan = fixturePlan();
      rollbackStep(root, plan);
      rollbackStep(root, plan);
      assert.deepEqual(snapshot(root), before);
    });

    it('leaves nothing written and the step not done when the caller applies nothing or fails', async () => {
      const before = snapshot(root);
      const relayoutBefore = existsSync(nodePath.join(root, '.relayout')) ? readdirSync(nodePath.join(root, '.relayout')) : [];
      const discarded = await run(root, ['scripts'], { applyMoves: async () => ({ status: 'not-applied', reason: 'the Refactor Preview was discarded' }) });
      assert.equal(discarded.outcomes[0]!.status, 'cancelled');
      assert.equal(discarded.outcomes[0]!.summary, 'the Refactor Preview was discarded; nothing of it was kept');
      assert.deepEqual(snapshot(root), before);
      assert.equal(readState(root, 'relayout.yaml').steps.scripts, undefined);
      assert.deepEqual(readdirSync(nodePath.join(root, '.relayout')).filter((name) => name !== 'state.json'), relayoutBefore, 'no baseline, report or journal left');

      const failed = await run(root, ['scripts'], {
        applyMoves: async () => {
          throw new Error('VS Code did not apply the edit');
        },
      });
      assert.equal(failed.outcomes[0]!.status, 'failed');
      assert.equal(failed.outcomes[0]!.summary, 'VS Code did not apply the edit');
      assert.deepEqual(snapshot(root), before);
      assert.equal(readState(root, 'relayout.yaml').steps.scripts?.status, 'failed');
      assert.ok(!existsSync(nodePath.join(root, '.relayout/baseline.json')), 'the baseline taken for the move goes with it');
    });

    it('refuses, writing nothing, renames that leave out a planned one and a file changed since the plan was made', async () => {
      const before = snapshot(root);
      const leavesOut = await run(root, ['scripts'], {
        applyMoves: async ({ plan, source }) => ({ status: 'applied', result: finishRecordedApply(beginRecordedApply(plan, root, source, [])) }),
      });
      assert.equal(leavesOut.outcomes[0]!.summary, 'deploy/k8s/restart.sh → deploy/scripts/restart.sh is not among the renames to record; nothing was written.');
      const changed = await run(root, ['scripts'], {
        applyMoves: async ({ plan, source }) => {
          // The planner read README.md from a source (an editor buffer) that differs from the file now on disk.
          const planned: FileSource = Object.assign(Object.create(source) as FileSource, {
            readText: (path: string) => (path === 'README.md' ? { ok: true as const, text: '# Shop, as planned\n' } : source.readText(path)),
          });
          return { status: 'applied', result: finishRecordedApply(beginRecordedApply(plan, root, planned, plan.renames)) };
        },
      });
      assert.equal(changed.outcomes[0]!.summary, 'README.md changed since the plan was made; plan again. Nothing was written.');
      assert.deepEqual(snapshot(root), before);
      assert.ok(!existsSync(nodePath.join(root, '.relayout/journal.json')));
    });

    it('tells whether anything of the batch was applied since it was captured', async () => {
      const seen: boolean[] = [];
      const result = await run(root, ['scripts'], {
        applyMoves: async ({ plan, source }) => {
          const recorded = beginRecordedApply(plan, root, source, plan.renames);
          seen.push(untouchedSinceBegin(recorded));
          mkdirSync(nodePath.join(root, 'deploy/scripts'));
          renameSync(nodePath.join(root, 'deploy/k8s/restart.sh'), nodePath.join(root, 'deploy/scripts/restart.sh'));
          seen.push(untouchedSinceBegin(recorded));
          return { status: 'applied', result: finishRecordedApply(recorded) };
        },
      });
      assert.ok(result.ok, JSON.stringify(result.outcomes));
      assert.deepEqual(seen, [true, false]);
    });

    it('stages the renames in git as the engine\'s apply does, and the rollback unstages them', async function () {
      if (spawnSync('git', ['--version']).status !== 0) this.skip();
      git(root, 'init', '-q');
      git(root, '-c', 'user.name=t', '-c', 'user.email=t@e', 'add', '-A');
      git(root, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'start');
      const result = await run(root, ['scripts'], { applyMoves: editorLike(root) });
      assert.ok(result.ok, JSON.stringify(result.outcomes));
      assert.match(git(root, 'status', '--porcelain', '--', 'deploy'), /^R {2}deploy\/k8s\/restart\.sh -> deploy\/scripts\/restart\.sh$/m);
      rollbackStep(root, fixturePlan());
      assert.equal(git(root, 'status', '--porcelain', '--untracked-files=all', '--', 'deploy', 'README.md'), '');
    });
  });
});
