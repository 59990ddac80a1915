import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { DiskFileSource } from '../../../src/core/inventory/source';
import { BAKERY_PLAN_TEXT } from '../../../src/core/plan/bakeryPlan.generated';
import { compilePlan } from '../../../src/core/plan/compile';
import { loadPlan } from '../../../src/core/plan/load';
import { movePath } from '../../../src/core/paths';
import { findKustomizeTool } from '../../../src/core/verify/kustomizeTool';
import { snapshot } from '../core/phases/fixture';

const SAMPLE = nodePath.resolve(__dirname, '../../../sample/bakery-ia');
const OLD_FOLDERS = ['ci-cd', 'helm', 'kubernetes', 'signoz', 'tls'];
const kustomize = findKustomizeTool(undefined, process.env);

let root: string;

async function run(argv: string[], isTTY = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: new PassThrough(),
    isTTY,
    cwd: root,
    env: process.env,
  });
  return { code, stdout, stderr };
}

/** `kubectl kustomize` (or kustomize) output for a folder of the copy, or undefined when none is installed. */
function render(folder: string): string | undefined {
  if (kustomize.status !== 'found') return undefined;
  const args = kustomize.tool.flavor === 'kubectl' ? ['kustomize', folder] : ['build', folder];
  const result = spawnSync(kustomize.tool.executable, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(result.status, 0, `${folder} does not render: ${result.stderr}`);
  return result.stdout;
}

describe('cli: plan, apply, status, rollback, import-proposal, init on a copy of the Bakery-IA sample', function () {
  this.timeout(180_000);

  beforeEach(() => {
    root = mkdtempSync(nodePath.join(realpathSync(tmpdir()), 'relayout-cli-phases-'));
    cpSync(SAMPLE, root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('plan: a readable summary per phase and step from the bundled plan, and writes nothing', async () => {
    rmSync(nodePath.join(root, 'relayout.yaml'));
    const before = snapshot(root);
    const result = await run(['plan']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /bundled Bakery-IA plan is used/);
    assert.match(result.stdout, /^phase-2: Non-Critical Components {2}\(42 files to move\)$/m);
    assert.match(result.stdout, /^ {2}scripts \[move\] {2}Scripts\n {6}9 files in 9 moves, \d+ reference edits in \d+ files/m);
    assert.match(result.stdout, /move {2}infrastructure\/tls\/generate-certificates\.sh → infrastructure\/scripts\/setup\/generate-certificates\.sh/);
    assert.match(result.stdout, /^0 conflicts, \d+ items to review\. Nothing was written\.$/m);
    assert.deepEqual(snapshot(root), before);
    assert.ok(!existsSync(nodePath.join(root, '.relayout')));

    const json = await run(['plan', '--json', '--phase', 'phase-4']);
    const preview = JSON.parse(json.stdout);
    assert.deepEqual(preview.phases.map((p: { id: string }) => p.id), ['phase-4']);
    const files = preview.phases[0].steps.reduce((sum: number, s: { files: number }) => sum + s.files, 0);
    assert.equal(files, 23 + 39 + 52);
  });

  it('plan and apply: unknown ids, bad plans and a missing plan file are exit 2 with a sentence', async () => {
    const unknown = await run(['plan', '--phase', 'phase-9']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no phase `phase-9`.*phase-1, phase-2/);
    writeFileSync(nodePath.join(root, 'bad.yaml'), readFileSync(nodePath.join(root, 'relayout.yaml'), 'utf8').replace('action: inventory', 'action: inventorize'));
    const bad = await run(['plan', '--plan', 'bad.yaml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^bad\.yaml:\d+:\d+: error: .*inventorize/m);
    rmSync(nodePath.join(root, 'relayout.yaml'));
    const missing = await run(['apply', '--all', '--yes']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /run `relayout init`.*`relayout import-proposal DOC\.md`/);
    await run(['init']);
    const before = snapshot(root);
    const dryRun = await run(['apply', '--phase', 'phase-2', '--dry-run']);
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.match(dryRun.stdout, /^ {2}monitoring \[move\] {2}Monitoring\n {6}16 files in 7 moves/m);
    assert.match(dryRun.stderr, /dry run: nothing written/);
    assert.deepEqual(snapshot(root), before);
    const noTerminal = await run(['apply', '--step', 'scripts']);
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /pass --yes to apply or --dry-run/);
  });

  it('init and import-proposal write a plan and refuse to overwrite one without --force', async () => {
    rmSync(nodePath.join(root, 'relayout.yaml'));
    assert.equal((await run(['init'])).code, 0);
    assert.equal(readFileSync(nodePath.join(root, 'relayout.yaml'), 'utf8'), BAKERY_PLAN_TEXT);
    const again = await run(['init']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /relayout\.yaml exists; pass --force/);

    const imported = await run(['import-proposal', 'docs/proposal.md', '-o', 'draft.yaml']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Wrote draft\.yaml from docs\/proposal\.md: \d+ layout folders, \d+ rules, 5 phases/);
    assert.match(imported.stderr, /^note: /m);
    assert.ok(loadPlan(readFileSync(nodePath.join(root, 'draft.yaml'), 'utf8'), 'draft.yaml').plan);
    assert.equal((await run(['import-proposal', 'docs/proposal.md', '-o', 'draft.yaml'])).code, 2);
    assert.equal((await run(['import-proposal', 'docs/proposal.md', '-o', 'draft.yaml', '--force'])).code, 0);
  });

  it('apply --step and rollback: the step is undone byte for byte, and status follows the tree', async () => {
    const before = snapshot(root);
    const applied = await run(['apply', '--step', 'scripts', '--yes']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /✔ phase-2\/scripts {2}done: moved 9 files/);
    const status = await run(['status']);
    assert.match(status.stdout, /^ {2}✔ scripts +\[move\] {2}9\/9 files at their destination {2}done/m);
    assert.match(status.stdout, /^Next: phase-1\/inventory-analysis/m);
    const json = JSON.parse((await run(['status', '--json'])).stdout);
    assert.equal(json.phases[1].steps[1].progress.done, 9);

    const rolledBack = await run(['rollback']);
    assert.equal(rolledBack.code, 0, rolledBack.stderr);
    assert.match(rolledBack.stdout, /Rolled back step scripts \[move\]/);
    assert.deepEqual(snapshot(root), before);
    assert.match((await run(['status'])).stdout, /^ {2}· scripts +\[move\] {2}0\/9 files at their destination {2}not-started/m);
  });

  it('apply --all --yes yields the proposed tree: every file where the plan says, same renders, staging renders, nothing broken unreported', async () => {
    const plan = loadPlan(BAKERY_PLAN_TEXT, 'relayout.yaml').plan!;
    const original = new DiskFileSource(root).listFiles();
    const compiled = compilePlan(plan, original);
    const expected = original
      .filter((file) => file.startsWith('infrastructure/'))
      .map((file) => compiled.moves.reduce<string | undefined>((at, move) => at ?? movePath(file, move.from, move.to), undefined) ?? file);
    const rendered = ['dev', 'prod'].map((env) => render(`infrastructure/kubernetes/overlays/${env}`));

    const applied = await run(['apply', '--all', '--yes']);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);

    const after = new Set(new DiskFileSource(root).listFiles());
    assert.deepEqual(expected.filter((file) => !after.has(file)), [], 'files not where the plan says');
    for (const old of OLD_FOLDERS) assert.ok(!existsSync(nodePath.join(root, 'infrastructure', old)), `infrastructure/${old} is left`);
    assert.deepEqual(compilePlan(plan, [...after]).moves, []);
    assert.ok(after.has('infrastructure/environments/staging/kustomization.yaml'));
    assert.ok(after.has('infrastructure/docs/reference/migration-map.md'));
    for (const folder of readdirSync(nodePath.join(root, 'infrastructure'))) {
      if (folder !== 'README.md') assert.ok(after.has(`infrastructure/${folder}/README.md`), `infrastructure/${folder} has no README`);
    }
    if (kustomize.status === 'found') {
      assert.deepEqual(['dev', 'prod'].map((env) => render(`infrastructure/environments/${env}`)), rendered);
      assert.match(render('infrastructure/environments/staging')!, /environment: staging/);
    }
    // What the moves could not rewrite by themselves (globs and folders that several steps empty, `cd`s into them)
    // is left to a person; `verify` lists it, and every such path was reported as needs-review by a move step.
    const verified = JSON.parse((await run(['verify', '--json'])).stdout);
    if (verified.renders.status === 'compared') {
      assert.deepEqual(verified.renders.roots.filter((r: { status: string }) => ['changed', 'failed', 'root-gone'].includes(r.status)), []);
    }
    const finalReport = readFileSync(nodePath.join(root, '.relayout/reports/integration-testing.md'), 'utf8');
    assert.doesNotMatch(finalReport, /UNREPORTED/);
    for (const ref of [...verified.references.introduced, ...verified.references.lost]) {
      assert.ok(finalReport.includes(`needs review (reported): ${ref.from}:${ref.line}:${ref.column} `), `${ref.from}:${ref.line} ${ref.text}`);
    }
    assert.match((await run(['status'])).stdout, /^Every step is done\.$/m);
  });
});
