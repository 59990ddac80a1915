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
