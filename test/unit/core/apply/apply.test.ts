import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { applyPlan, pendingJournal, recover, rollback } from '../../../../src/core/apply/apply';
import { DiskFileSource } from '../../../../src/core/inventory/source';
import { BAKERY_PLAN_TEXT } from '../../../../src/core/plan/bakeryPlan.generated';
import { compilePlan } from '../../../../src/core/plan/compile';
import { loadPlan } from '../../../../src/core/plan/load';
import { planMoves } from '../../../../src/core/moves/plan';
import type { MovePlan } from '../../../../src/core/types';
import { ReferenceIndex } from '../../../../src/core/refs/index';
import { findBrokenReferences } from '../../../../src/core/verify/broken';
import { graphOf } from '../moves/fixtures';
import { makeTree, snapshot, type DiskEntry } from './fixtures/tree';

const SCRIPT = '#!/bin/sh\nSCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"\nREPO_ROOT="$SCRIPT_DIR/.."\n';
const TEXTS = {
  'base/kustomization.yaml': '\uFEFFresources:\r\n  - deploy.yaml   # keep CRLF\r\n',
  'base/deploy.yaml': 'kind: Deployment\n',
  'overlays/prod/kustomization.yaml': "resources:\n- '../../base'\t# quoted\npatches: [{path: patch.yaml}]\n",
  'overlays/prod/patch.yaml': 'kind: Deployment\n',
  'scripts/deploy.sh': SCRIPT,
  'docs/README.md': 'See [base](../base/kustomization.yaml)',
};

/** A tree on disk and the plan that moves `base` and the deploy script, with every kind of change. */
function fixture(): { root: string; plan: MovePlan } {
  const entries: Record<string, DiskEntry> = { ...TEXTS, 'scripts/deploy.sh': { bytes: SCRIPT, mode: 0o755 }, current: { symlink: 'base' } };
  const root = makeTree(entries);
  const graph = graphOf({ ...TEXTS, current: { symlink: 'base' } });
  graph.ref('base/kustomization.yaml', 'deploy.yaml');
  graph.ref('overlays/prod/kustomization.yaml', '../../base');
  graph.ref('overlays/prod/kustomization.yaml', 'patch.yaml', { kind: 'kustomize.patches' });
  graph.ref('scripts/deploy.sh', '..', { kind: 'shell.anchor', target: '', after: 'SCRIPT_DIR/' });
  graph.ref('docs/README.md', '../base/kustomization.yaml', { kind: 'markdown.link', confidence: 'probable' });
  const plan = planMoves(
    [
      { from: 'base', to: 'platform/base' },
      { from: 'scripts/deploy.sh', to: 'tools/ci/deploy.sh' },
    ],
    graph,
    new DiskFileSource(root),
  );
  assert.deepEqual(plan.conflicts, []);
  return { root, plan };
}

function read(root: string, path: string): string {
  return fs.readFileSync(nodePath.join(root, path), 'utf8');
}

describe('applyPlan, rollback and recover', function () {
  this.timeout(60_000);

  it('applies renames, edits and relinks, then rolls back byte for byte', () => {
    const { root, plan } = fixture();
    const before = snapshot(root);
    const result = applyPlan(plan, root, new DiskFileSource(root));
    assert.deepEqual(
      { renamed: result.renamed, edited: result.edited, created: result.created, relinked: result.relinked },
      { renamed: 3, edited: 3, created: 0, relinked: 1 },
    );
    assert.match(result.journal ?? '', /^\.relayout\/history\/.*-applied\.json$/);
    assert.ok(fs.existsSync(nodePath.join(root, '.relayout/last-apply.json')));
    assert.equal(pendingJournal(root), undefined);

    const after = snapshot(root);
    assert.equal(read(root, 'overlays/prod/kustomization.yaml'), "resources:\n- '../../platform/base'\t# quoted\npatches: [{path: patch.yaml}]\n");
    assert.equal(read(root, 'docs/README.md'), 'See [base](../platform/base/kustomization.yaml)');
    assert.equal(read(root, 'tools/ci/deploy.sh'), SCRIPT.replace('$SCRIPT_DIR/..', '$SCRIPT_DIR/../..'));
    assert.equal(after['tools/ci/deploy.sh'].split(' ')[1], '755');
    assert.equal(read(root, 'platform/base/kustomization.yaml'), TEXTS['base/kustomization.yaml']);
    assert.equal(after.current, 'link platform/base');
    assert.equal(after['base/'], undefined);
    assert.equal(after['scripts/'], undefined);
    assert.deepEqual(fs.readdirSync(nodePath.join(root, '.relayout')).sort(), ['history', 'last-apply.json']);

    rollback(root);
    assert.deepEqual(snapshot(root), before);
    assert.throws(() => rollback(root), /no apply to roll back/);
  });

  it('finishes the bookkeeping of an apply interrupted after its last step was recorded', () => {
    const { root, plan } = fixture();
    const result = applyPlan(plan, root, new DiskFileSource(root));
    const applied = snapshot(root);
    fs.renameSync(nodePath.join(root, result.journal ?? ''), nodePath.join(root, '.relayout/journal.json'));
    fs.rmSync(nodePath.join(root, '.relayout/last-apply.json'));
    assert.equal(pendingJournal(root)?.phase, 'completed');
    assert.deepEqual(recover(root), { recovered: true, phase: 'completed', undone: 0 });
    assert.deepEqual(snapshot(root), applied);
    assert.equal(pendingJournal(root), undefined);
    assert.ok(fs.existsSync(nodePath.join(root, '.relayout/last-apply.json')));
  });

  it('refuses to roll back over a file changed since the apply, unless forced', () => {
    const { root, plan } = fixture();
    const before = snapshot(root);
    applyPlan(plan, root, new DiskFileSource(root));
    fs.appendFileSync(nodePath.join(root, 'docs/README.md'), '\nmore');
    const applied = snapshot(root);
    assert.throws(() => rollback(root), /changed since the apply: docs\/README\.md\. Nothing was changed/);
    assert.deepEqual(snapshot(root), applied);
    rollback(root, { force: true });
    assert.deepEqual(snapshot(root), before);
  });

  it('creates the kustomization a load-restrictor wrap needs, and removes it on rollback', () => {
    const texts = { 'o/kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n', 'o/a.yaml': 'a\n', 'o/b.yaml': 'b\n' };
    const root = makeTree(texts);
    const graph = graphOf(texts);
    graph.ref('o/kustomization.yaml', 'a.yaml');
    graph.ref('o/kustomization.yaml', 'b.yaml');
    const plan = planMoves([{ from: 'o/a.yaml', to: 'shared/a.yaml' }, { from: 'o/b.yaml', to: 'shared/b.yaml' }], graph, new DiskFileSource(root));
    const before = snapshot(root);
    applyPlan(plan, root, new DiskFileSource(root));
    assert.equal(read(root, 'o/kustomization.yaml'), 'resources:\n- ../shared\n');
    assert.equal(read(root, 'shared/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- a.yaml\n- b.yaml\n');
    rollback(root);
    assert.deepEqual(snapshot(root), before);
  });

  it('swaps two files and renames by case only, through temporary names', () => {
    const root = makeTree({ 'a.yaml': 'A', 'b.yaml': 'B', 'Config.yaml': 'C' });
    const graph = graphOf({ 'a.yaml': 'A', 'b.yaml': 'B', 'Config.yaml': 'C' });
    const plan = planMoves(
      [{ from: 'a.yaml', to: 'b.yaml' }, { from: 'b.yaml', to: 'a.yaml' }, { from: 'Config.yaml', to: 'config.yaml' }],
      graph,
      new DiskFileSource(root),
    );
    applyPlan(plan, root, new DiskFileSource(root));
    assert.deepEqual([read(root, 'a.yaml'), read(root, 'b.yaml'), read(root, 'config.yaml')], ['B', 'A', 'C']);
    assert.deepEqual(fs.readdirSync(root).sort(), ['.relayout', 'a.yaml', 'b.yaml', 'config.yaml']);
  });

  it('writes nothing, not even a journal, for a plan that changes nothing', () => {
    const root = makeTree({ 'a.yaml': 'A' });
    const plan = planMoves([{ from: 'a.yaml', to: './a.yaml' }], graphOf({ 'a.yaml': 'A' }), new DiskFileSource(root));
    assert.deepEqual(applyPlan(plan, root, new DiskFileSource(root)), { renamed: 0, edited: 0, created: 0, relinked: 0, gitStaged: 0 });
    assert.deepEqual(fs.readdirSync(root), ['a.yaml']);
  });

  it('renames a moved folder whole, taking files the scan ignores and empty folders along', () => {
    const texts = { '.gitignore': '*.local\n', 'app/a.yaml': 'a', 'app/sub/b.yaml': 'b' };
    const root = makeTree({ ...texts, 'app/secrets.local': 'token' });
    fs.mkdirSync(nodePath.join(root, 'app/empty'));
    const source = new DiskFileSource(root);
    assert.equal(source.listFiles().includes('app/secrets.local'), false);
    const plan = planMoves([{ from: 'app', to: 'services/App' }], graphOf(texts), source);
    const before = snapshot(root);
    applyPlan(plan, root, source);
    assert.deepEqual(
      Object.keys(snapshot(root)).filter((path) => path.startsWith('services/')),
      ['services/', 'services/App/', 'services/App/a.yaml', 'services/App/empty/', 'services/App/secrets.local', 'services/App/sub/', 'services/App/sub/b.yaml'],
    );
    assert.equal(fs.existsSync(nodePath.join(root, 'app')), false);
    rollback(root);
    assert.deepEqual(snapshot(root), before);
  });

  it('swaps two folders and renames a folder by case only', () => {
    const texts = { 'a/x.yaml': 'A', 'b/y.yaml': 'B', 'Apps/z.yaml': 'Z' };
    const root = makeTree(texts);
    const plan = planMoves(
      [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }, { from: 'Apps', to: 'apps' }],
      graphOf(texts),
      new DiskFileSource(root),
    );
    assert.deepEqual(plan.conflicts, []);
    const before = snapshot(root);
    applyPlan(plan, root, new DiskFileSource(root));
    assert.deepEqual(Object.keys(snapshot(root)), ['a/', 'a/y.yaml', 'apps/', 'apps/z.yaml', 'b/', 'b/x.yaml']);
    rollback(root);
    assert.deepEqual(snapshot(root), before);
  });

  it('moves a folder file by file when a move inside it goes elsewhere', () => {
    const texts = { 'a/x.yaml': 'X', 'a/y.yaml': 'Y' };
    const root = makeTree(texts);
    const plan = planMoves([{ from: 'a', to: 'c' }, { from: 'a/x.yaml', to: 'd/x.yaml' }], graphOf(texts), new DiskFileSource(root));
    const before = snapshot(root);
    applyPlan(plan, root, new DiskFileSource(root));
    assert.deepEqual(Object.keys(snapshot(root)), ['c/', 'c/y.yaml', 'd/', 'd/x.yaml']);
    rollback(root);
    assert.deepEqual(snapshot(root), before);
  });

  it('refuses a plan with conflicts and writes nothing', () => {
    const root = makeTree({ 'a.yaml': 'A' });
    const plan = planMoves([{ from: 'missing.yaml', to: 'x.yaml' }], graphOf({ 'a.yaml': 'A' }), new DiskFileSource(root));
    assert.throws(() => applyPlan(plan, root, new DiskFileSource(root)), /1 conflict\(s\); nothing was written:\n {2}missing\.yaml does not exist/);
    assert.deepEqual(fs.readdirSync(root), ['a.yaml']);
  });

  it('refuses a plan the tree no longer matches, before writing a journal', () => {
    const { root, plan } = fixture();
    fs.writeFileSync(nodePath.join(root, 'docs/README.md'), 'changed');
    const before = snapshot(root);
    assert.throws(() => applyPlan(plan, root, new DiskFileSource(root)), /docs\/README\.md changed since the plan was made/);
    assert.deepEqual(snapshot(root), before);
    assert.equal(fs.existsSync(nodePath.join(root, '.relayout')), false);
  });

  it('undoes what it did when a step fails', () => {
    const { root, plan } = fixture();
    const before = snapshot(root);
    assert.throws(
      () =>
        applyPlan(plan, root, new DiskFileSource(root), {
          afterStep: (index) => {
            if (index === 6) throw new Error('disk full');
          },
        }),
      /Apply failed and was undone; the tree is as before: disk full/,
    );
    assert.deepEqual(snapshot(root), before);
    assert.equal(pendingJournal(root), undefined);
  });

  describe('a process killed in the middle of an apply', () => {
    const child = nodePath.join(__dirname, 'fixtures', 'applyInChild.ts');
    // 3 file writes; base (whole) and the script into staging; platform/; base out of staging; tools/ and tools/ci/;
    // the script out of staging; scripts/ left empty; 1 relink.
    const stepCount = 12;

    for (const crashAfter of [0, 3, 4, 5, 6, 7, 8, 9, 10, 11]) {
      it(`is recovered byte for byte after a kill at step ${crashAfter}`, () => {
        const { root, plan } = fixture();
        const before = snapshot(root);
        const planFile = nodePath.join(root, '..', `${nodePath.basename(root)}-plan.json`);
        fs.writeFileSync(planFile, JSON.stringify(plan));
        const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', child, root, planFile, String(crashAfter)], {
          encoding: 'utf8',
        });
        assert.equal(run.signal, 'SIGKILL', run.stderr);
        const pending = pendingJournal(root);
        assert.ok(pending);
        assert.equal(pending.phase, 'started');
        assert.equal(pending.stepsDone, crashAfter);
        assert.notDeepEqual(snapshot(root), before);
        assert.throws(() => applyPlan(plan, root, new DiskFileSource(root)), /An interrupted apply is pending; run recover first/);
        assert.throws(() => rollback(root), /run recover instead/);

        // A recovery that is itself interrupted, then run again, still ends exactly before the apply.
        assert.throws(() =>
          recover(root, {
            afterStep: (index) => {
              if (index === Math.floor(crashAfter / 2)) throw new Error('interrupted recovery');
            },
          }),
        );
        assert.ok(pendingJournal(root));
        const result = recover(root);
        assert.equal(result.recovered, true);
        assert.deepEqual(snapshot(root), before);
        assert.equal(pendingJournal(root), undefined);
        assert.deepEqual(recover(root), { recovered: false, undone: 0 });
      });
    }

    it('counts the steps the fixture plan has', () => {
      const { root, plan } = fixture();
      applyPlan(plan, root, new DiskFileSource(root));
      const history = fs.readdirSync(nodePath.join(root, '.relayout/history'));
      const journal = JSON.parse(fs.readFileSync(nodePath.join(root, '.relayout/history', history[0]), 'utf8'));
      assert.equal(journal.steps.length, stepCount);
    });
  });

  describe('in a git repository', () => {
    function gitTree(): { root: string; plan: MovePlan; git: (...args: string[]) => string } {
      const { root, plan } = fixture();
      const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
      git('init', '-q');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'initial');
      fs.writeFileSync(nodePath.join(root, '.git/info/exclude'), '.relayout/\n');
      return { root, plan, git };
    }

    it('stages moved tracked files as renames, and rollback restores the index', () => {
      const { root, plan, git } = gitTree();
      applyPlan(plan, root, new DiskFileSource(root));
      const status = git('status', '--porcelain').split('\n').filter((line) => line !== '').sort();
      assert.deepEqual(status, [
        ' M current',
        ' M docs/README.md',
        ' M overlays/prod/kustomization.yaml',
        'R  base/deploy.yaml -> platform/base/deploy.yaml',
        'R  base/kustomization.yaml -> platform/base/kustomization.yaml',
        'R  scripts/deploy.sh -> tools/ci/deploy.sh',
      ].sort());
      rollback(root);
      assert.equal(git('status', '--porcelain'), '');
    });

    it('keeps a tracked file that a rule ignores tracked at its new place when its folder moves, and rollback restores it', () => {
      const { root, plan, git } = gitTree();
      fs.writeFileSync(nodePath.join(root, 'base/local.tfvars'), 'x = 1\n');
      git('add', 'base/local.tfvars');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'tfvars');
      fs.writeFileSync(nodePath.join(root, '.gitignore'), '*.tfvars\n');
      git('add', '.gitignore');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'ignore');
      applyPlan(plan, root, new DiskFileSource(root));
      const status = git('status', '--porcelain').split('\n').filter((line) => line.includes('tfvars'));
      assert.deepEqual(status, ['R  base/local.tfvars -> platform/base/local.tfvars']);
      rollback(root);
      assert.equal(git('status', '--porcelain'), '');
    });

    it('leaves the index as it was when an apply stopped before staging is undone', () => {
      const { root, plan, git } = gitTree();
      assert.throws(() =>
        applyPlan(plan, root, new DiskFileSource(root), {
          afterStep: (index) => {
            if (index === plan.edits.length) throw new Error('stop');
          },
        }),
      );
      assert.equal(git('status', '--porcelain'), '');
    });
  });

  describe('on the bundled Bakery-IA sample', () => {
    function kustomize(folder: string): string | undefined {
      const run = spawnSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
      return run.status === 0 ? run.stdout : undefined;
    }

    it('moves overlays and wraps microservices; kustomize renders the same, and rollback restores every byte', () => {
      const root = fs.mkdtempSync(nodePath.join(fs.realpathSync(os.tmpdir()), 'relayout-sample-'));
      fs.cpSync(nodePath.join(process.cwd(), 'sample/bakery-ia'), root, { recursive: true, verbatimSymlinks: true });
      const before = snapshot(root);
      const source = new DiskFileSource(root);
      const index = ReferenceIndex.build(source);
      const brokenBefore = findBrokenReferences(index, source).length;
      const plan = planMoves(
        [
          { from: 'infrastructure/kubernetes/base/components/microservices', to: 'infrastructure/services/microservices' },
          { from: 'infrastructure/kubernetes/overlays', to: 'infrastructure/environments' },
        ],
        index,
        source,
      );
      assert.deepEqual(plan.conflicts, []);
      assert.deepEqual(plan.creates.map((create) => create.path), ['infrastructure/services/microservices/kustomization.yaml']);
      const rendered = ['dev', 'prod'].map((overlay) => kustomize(nodePath.join(root, 'infrastructure/kubernetes/overlays', overlay)));

      applyPlan(plan, root, new DiskFileSource(root));
      const movedSource = new DiskFileSource(root);
      assert.equal(findBrokenReferences(ReferenceIndex.build(movedSource), movedSource).length, brokenBefore);
      // Without kubectl the render comparison cannot run; everything else is still checked.
      if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0) {
        assert.ok(rendered.every((output) => output !== undefined && output.includes('kind: Deployment')));
        const after = ['dev', 'prod'].map((overlay) => kustomize(nodePath.join(root, 'infrastructure/environments', overlay)));
        assert.deepEqual(after, rendered);
      }

      rollback(root);
      assert.deepEqual(snapshot(root), before);
    });

    it('carries out every move of the Bakery-IA plan: same renders, and every new broken path was reported', () => {
      const root = fs.mkdtempSync(nodePath.join(fs.realpathSync(os.tmpdir()), 'relayout-bakery-'));
      fs.cpSync(nodePath.join(process.cwd(), 'sample/bakery-ia'), root, { recursive: true, verbatimSymlinks: true });
      const before = snapshot(root);
      const source = new DiskFileSource(root);
      const index = ReferenceIndex.build(source);
      const bakery = loadPlan(BAKERY_PLAN_TEXT, 'relayout.yaml').plan;
      assert.ok(bakery);
      const compiled = compilePlan(bakery, source.listFiles());
      const plan = planMoves(compiled.moves.map(({ from, to }) => ({ from, to })), index, source);
      assert.deepEqual(plan.conflicts, []);
      assert.ok(plan.renames.length > 150 && plan.creates.length > 10, `${plan.renames.length} renames, ${plan.creates.length} creates`);
      const brokenBefore = new Set(findBrokenReferences(index, source).map((ref) => `${ref.from}\0${ref.text}`));
      const overlays = ['dev', 'prod'];
      const rendered = overlays.map((overlay) => kustomize(nodePath.join(root, 'infrastructure/kubernetes/overlays', overlay)));

      applyPlan(plan, root, source);
      const renamedTo = new Map(plan.renames.map((rename) => [rename.from, rename.to]));
      const reported = new Set(plan.review.map((item) => `${renamedTo.get(item.file) ?? item.file}\0${item.text}`));
      const movedSource = new DiskFileSource(root);
      const unreported = findBrokenReferences(ReferenceIndex.build(movedSource), movedSource)
        .map((ref) => `${ref.from}\0${ref.text}`)
        .filter((key) => !brokenBefore.has(key) && !reported.has(key));
      assert.deepEqual(unreported, []);
      if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0) {
        const after = overlays.map((overlay) => kustomize(nodePath.join(root, 'infrastructure/environments', overlay)));
        assert.ok(rendered.every((output) => output !== undefined && output.includes('kind: Deployment')));
        assert.deepEqual(after, rendered);
      }

      rollback(root);
      assert.deepEqual(snapshot(root), before);
    });
  });
});
