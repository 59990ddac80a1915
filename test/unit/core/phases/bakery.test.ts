import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { DiskFileSource } from '../../../../src/core/inventory/source';
import { appliesInEffect, composeRenames, withBuildRootMoves } from '../../../../src/core/apply/history';
import { movePath } from '../../../../src/core/paths';
import { BAKERY_PLAN_TEXT } from '../../../../src/core/plan/bakeryPlan.generated';
import { compilePlan } from '../../../../src/core/plan/compile';
import { loadPlan } from '../../../../src/core/plan/load';
import { selectSteps } from '../../../../src/core/plan/select';
import { describeStatus, rollbackStep, runSteps, type StepOutcome } from '../../../../src/core/phases/run';
import { ReferenceIndex } from '../../../../src/core/refs/index';
import { DEFAULT_BASELINE_PATH, readBaseline } from '../../../../src/core/verify/baseline';
import { findKustomizeTool } from '../../../../src/core/verify/kustomizeTool';
import { verify } from '../../../../src/core/verify/verify';
import { snapshot } from './fixture';

const SAMPLE = nodePath.resolve(__dirname, '../../../../sample/bakery-ia');

/** Paths to moved files or emptied folders that may stay after every phase, each for a reason. */
const STALE_PATHS_KEPT = [
  { file: 'docs/monitoring.md', line: 41, path: '../infrastructure/signoz', reason: 'a link below it was broken before the migration, on purpose' },
  {
    file: 'infrastructure/cicd/tekton/tasks/detect-changes.yaml',
    line: 34,
    path: 'infrastructure/kubernetes',
    reason: "grep -q '^infrastructure/kubernetes/' selects changed paths: no single rewrite keeps its meaning (a review item)",
  },
  { file: 'infrastructure/docs/reference/migration-map.md', line: 0, path: '*', reason: 'the migration map lists every old path on purpose' },
];

/**
 * Every place a file of the tree (outside .relayout/ and the plan's proposal, which records the old layout) still
 * writes the path of a moved file, or of a folder the moves emptied: root-relative, or relative to the file when that
 * climbs (`../x`), as `file:line path`. The migration map is summarized as one `file:0 *`.
 */
function stalePaths(root: string, movedFrom: readonly string[], after: ReadonlySet<string | undefined>, proposal: string | undefined): string[] {
  const gone = new Set<string>();
  for (const file of movedFrom) {
    for (let path: string = file; path !== '.' && path !== ''; path = nodePath.posix.dirname(path)) {
      if (!after.has(path) && ![...after].some((kept) => kept !== undefined && kept.startsWith(`${path}/`))) gone.add(path);
    }
  }
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found: string[] = [];
  for (const file of [...after].filter((path): path is string => path !== undefined).sort()) {
    if (file.startsWith('.relayout/') || file === proposal) continue;
    const text = readFileSync(nodePath.join(root, file), 'utf8');
    if (text.includes('\0')) continue;
    const folder = nodePath.posix.dirname(file);
    const written = [...gone].flatMap((path) => {
      const relative = nodePath.posix.relative(folder === '.' ? '' : folder, path);
      return relative.startsWith('../') ? [path, relative] : [path];
    });
    // Longest first, so that a file's path wins over its folder's.
    const pattern = new RegExp(`(?<![A-Za-z0-9_.-])(${written.sort((a, b) => b.length - a.length).map(escape).join('|')})(?![A-Za-z0-9_.-])`, 'g');
    const lines = text.split('\n');
    const hits = lines.flatMap((line, index) => [...line.matchAll(pattern)].map((match) => `${file}:${index + 1} ${match[1]}`));
    if (file === 'infrastructure/docs/reference/migration-map.md' && hits.length > 0) found.push(`${file}:0 *`);
    else found.push(...hits);
  }
  return found;
}
/**
 * The files Flux fetches through the GitRepository's `spec.ignore` (gitignore lines, the last one matching a file or a
 * folder above it wins), written as a checker independent of the engine's glob code.
 */
function fluxFetches(root: string, gitRepository: string, files: readonly string[]): string[] {
  const block = /\n  ignore: \|\n((?: {4}.*\n)+)/.exec(readFileSync(nodePath.join(root, gitRepository), 'utf8'));
  assert.ok(block, `${gitRepository} has an ignore block`);
  const patterns = ignoreLines(block[1]).map((line) => {
    const body = line.replace(/^!/, '').replace(/^\//, '').replace(/\/$/, '');
    const segments = body.split('/').map((segment) => segment.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'));
    return { negated: line.startsWith('!'), pattern: new RegExp(`^${segments.join('/')}$`) };
  });
  return files.filter((file) => {
    const paths = file.split('/').map((_, index, segments) => segments.slice(0, index + 1).join('/'));
    let ignored = false;
    for (const { negated, pattern } of patterns) if (paths.some((path) => pattern.test(path))) ignored = !negated;
    return !ignored;
  });
}

function ignoreLines(block: string): string[] {
  return block.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

const lookup = findKustomizeTool(undefined, process.env);
const tool = lookup.status === 'found' ? lookup.tool : undefined;

describe('phases on the Bakery-IA sample, step by step', function () {
  this.timeout(180_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(nodePath.join(realpathSync(tmpdir()), 'relayout-bakery-phases-'));
    cpSync(SAMPLE, root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function render(folder: string): string {
    const args = tool!.flavor === 'kubectl' ? ['kustomize', folder] : ['build', folder];
    const result = spawnSync(tool!.executable, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(result.status, 0, `${folder}: ${result.stderr}`);
    return result.stdout;
  }

  /** What `relayout verify` reports in the tree now, against the baseline the backup step took. */
  async function verifyAsTheCli(phase: string): Promise<void> {
    const baseline = await readBaseline(nodePath.join(root, DEFAULT_BASELINE_PATH));
    const renames = withBuildRootMoves(composeRenames(appliesInEffect(root, baseline.createdAt)));
    const source = new DiskFileSource(root);
    const report = await verify(root, source, ReferenceIndex.build(source), baseline, renames, { tool });
    assert.deepEqual(report.references.introduced, [], `${phase}: newly broken references`);
    assert.deepEqual(report.references.lost, [], `${phase}: references that no longer reach their target`);
    assert.ok(report.passed, `${phase}: verify failed: ${JSON.stringify(report.renders)}`);
  }

  it('carries out every step: the proposed tree, old folders gone, dev and prod render the same, staging renders; the last move rolls back', async () => {
    const plan = loadPlan(BAKERY_PLAN_TEXT, 'relayout.yaml').plan!;
    const selection = selectSteps(plan);
    assert.ok(selection.ok);
    const original = new DiskFileSource(root).listFiles();
    const compiled = compilePlan(plan, original);
    const infrastructure = original.filter((file) => file.startsWith('infrastructure/'));
    assert.equal(infrastructure.length, 177);
    const expected = infrastructure.map((file) => compiled.moves.reduce<string | undefined>((at, m) => at ?? movePath(file, m.from, m.to), undefined));
    assert.ok(expected.every((target) => target !== undefined), 'every file has a destination');
    const before = tool ? ['dev', 'prod'].map((env) => render(`infrastructure/kubernetes/overlays/${env}`)) : [];

    // One step at a time, so that a validation that fails does not stop the rest (the CLI's `apply --all` stops there).
    const outcomes: StepOutcome[] = [];
    let beforeLastMove: Record<string, string> = {};
    for (const [index, entry] of selection.steps.entries()) {
      if (entry.step.id === 'infrastructure-components') beforeLastMove = snapshot(root);
      outcomes.push(...(await runSteps(root, plan, [entry], { tool })).outcomes);
      // After each phase, `relayout verify` passes: every folder the moves emptied was followed by what named it.
      if (selection.steps[index + 1]?.phase.id !== entry.phase.id) await verifyAsTheCli(entry.phase.id);
    }
    const notDone = outcomes.filter((o) => o.status !== 'done' && o.action !== 'validate');
    assert.deepEqual(notDone, []);
    // Paths the moves could not rewrite are reported by the step that moved their target; none breaks unannounced.
    for (const outcome of outcomes.filter((o) => o.action === 'validate')) {
      assert.deepEqual((outcome.data as { unreported: unknown[] }).unreported, [], outcome.step);
    }

    const after = new Set(new DiskFileSource(root).listFiles());
    assert.deepEqual(expected.filter((file) => !after.has(file!)), []);
    for (const old of ['ci-cd', 'helm', 'kubernetes', 'signoz', 'tls']) assert.ok(!existsSync(nodePath.join(root, 'infrastructure', old)), old);
    assert.ok(after.has('infrastructure/environments/staging/kustomization.yaml'));
    assert.match(readFileSync(nodePath.join(root, 'infrastructure/docs/reference/migration-map.md'), 'utf8'), /\| infrastructure\/tls\/ca\/ca-cert\.pem \| infrastructure\/security\/certificates\/ca\/ca-cert\.pem \|/);
    // Flux fetches the same files as before, at their new places, and no file it left out before.
    const newPlace = new Map(infrastructure.map((file, index) => [file, expected[index]!]));
    const fetchedBefore = fluxFetches(SAMPLE, 'infrastructure/ci-cd/flux/git-repository.yaml', original).map((file) => newPlace.get(file) ?? file);
    const existedBefore = new Set(original.map((file) => newPlace.get(file) ?? file));
    const fetchedAfter = fluxFetches(root, 'infrastructure/cicd/flux/git-repository.yaml', [...after]);
    assert.ok(fetchedBefore.length > 100, `Flux fetched ${fetchedBefore.length} files`);
    assert.deepEqual(fetchedBefore.filter((file) => !fetchedAfter.includes(file)), []);
    assert.deepEqual(fetchedAfter.filter((file) => existedBefore.has(file) && !fetchedBefore.includes(file)), []);
    // The lines the moves added do not repeat a folder another `!` line lets through already.
    const letThrough = ignoreLines(readFileSync(nodePath.join(root, 'infrastructure/cicd/flux/git-repository.yaml'), 'utf8').split('ignore: |')[1])
      .filter((line) => line.startsWith('!/') && line.endsWith('/'))
      .map((line) => line.slice(2));
    assert.deepEqual(letThrough.filter((folder) => letThrough.some((other) => other !== folder && folder.startsWith(other))), []);
    const movedFrom = infrastructure.filter((file, index) => expected[index] !== file);
    const kept = new Set(STALE_PATHS_KEPT.map(({ file, line, path }) => `${file}:${line} ${path}`));
    assert.deepEqual(stalePaths(root, movedFrom, after, plan.proposal).filter((found) => !kept.has(found)), []);
    const status = describeStatus(root, plan);
    for (const step of status.phases.flatMap((phase) => phase.steps)) {
      if (step.action !== 'validate') assert.ok(step.complete, `${step.id} is not complete`);
    }
    if (tool) {
      assert.deepEqual(['dev', 'prod'].map((env) => render(`infrastructure/environments/${env}`)), before);
      assert.match(render('infrastructure/environments/staging'), /environment: staging/);
    }

    // Cleanup and the docs steps ran after the last move; roll them back, then the move itself.
    for (const step of ['cleanup', 'team-training', 'documentation-update', 'integration-testing', 'service-validation']) {
      assert.equal(rollbackStep(root, plan).step, step);
    }
    assert.equal(rollbackStep(root, plan).step, 'infrastructure-components');
    assert.deepEqual(snapshot(root), beforeLastMove);
  });
});
