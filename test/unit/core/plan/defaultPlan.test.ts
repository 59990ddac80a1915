import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPlan } from '../../../../src/core/apply/apply';
import { DiskFileSource } from '../../../../src/core/inventory/source';
import { planMoves } from '../../../../src/core/moves/plan';
import { selectSteps } from '../../../../src/core/plan/select';
import { ReferenceIndex } from '../../../../src/core/refs/index';
import { compilePlan, describeProgress } from '../../../../src/core/plan/compile';
import { defaultPlanFor } from '../../../../src/core/plan/defaultPlan';
import { EMBEDDED_PLAN_PATH, embeddedPlanModule, SAMPLE_PLAN_PATH } from '../../../../src/core/plan/embedPlan';
import { importProposal } from '../../../../src/core/plan/importProposal';
import { formatProblem, loadPlan } from '../../../../src/core/plan/load';
import type { Plan } from '../../../../src/core/plan/types';
import { isInside, movePath } from '../../../../src/core/paths';

const SAMPLE = path.resolve(__dirname, '../../../../sample/bakery-ia');
const SHARED_PROPOSAL = path.resolve(__dirname, '../../../../../shared/proposal/infrastructure-reorganization-proposal.md');

function listFiles(root: string, folder = ''): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
    return entry.isDirectory() ? listFiles(root, relative) : [relative];
  });
}

describe('the Bakery-IA plan (sample/bakery-ia/relayout.yaml)', () => {
  const text = readFileSync(SAMPLE_PLAN_PATH, 'utf8');
  const loaded = loadPlan(text, 'relayout.yaml');
  const plan = loaded.plan as Plan;
  const files = listFiles(SAMPLE).sort();
  const infrastructure = files.filter((file) => file.startsWith('infrastructure/'));

  it('is embedded unchanged in the bundle (run `npx tsx src/core/plan/embedPlan.ts` after editing it)', () => {
    const embedded = readFileSync(EMBEDDED_PLAN_PATH, 'utf8');
    assert.ok(embedded === embeddedPlanModule(text), 'the embedded plan is out of date: run `npx tsx src/core/plan/embedPlan.ts`');
  });

  it('loads without a single problem', () => {
    assert.deepEqual(loaded.problems.map(formatProblem), []);
    assert.ok(plan);
  });

  it('sends every one of the 177 files to exactly one place inside the proposed layout', () => {
    assert.equal(infrastructure.length, 177);
    const result = compilePlan(plan, files);
    assert.deepEqual(result.problems.map(formatProblem), []);
    assert.deepEqual(result.unmatched, []);
    assert.deepEqual(result.done, []);
    const destinations = new Map<string, string>();
    for (const file of infrastructure) {
      const move = result.moves.find((m) => movePath(file, m.from, m.to) !== undefined);
      const kept = result.kept.some((k) => k.path === file && k.reason.trim() !== '');
      assert.ok(move || kept, `${file} is neither moved nor kept with a reason`);
      if (!move) continue;
      const target = movePath(file, move.from, move.to)!;
      assert.ok(!destinations.has(target), `${file} and ${destinations.get(target)} both go to ${target}`);
      destinations.set(target, file);
    }
    const layout = plan.layout.filter((f) => f.path !== '.').map((f) => `infrastructure/${f.path}`);
    for (const target of destinations.keys()) {
      assert.ok(layout.some((folder) => isInside(target, folder)), `${target} is outside the proposed layout`);
    }
    assert.equal(result.moves.reduce((sum, m) => sum + m.files, 0) + result.kept.length, 177);
  });

  it('has every folder of the proposal’s detailed structure in its layout', () => {
    const proposal = importProposal(readFileSync(SHARED_PROPOSAL, 'utf8'), 'docs/proposal.md').plan!;
    const ours = new Map(plan.layout.map((f) => [f.path, f]));
    for (const folder of proposal.layout) {
      assert.ok(ours.has(folder.path), `the plan's layout lacks ${folder.path}`);
      if (folder.description) assert.equal(ours.get(folder.path)!.description, folder.description, folder.path);
    }
  });

  it('carries the proposal’s five phases with all their steps, in order, each an action', () => {
    const whole = readFileSync(SHARED_PROPOSAL, 'utf8');
    const start = whole.indexOf('## Migration Strategy');
    const markdown = whole.slice(start, whole.indexOf('\n## ', start + 1));
    const proposalSteps = [...markdown.matchAll(/^### Phase (\d+): (.+)$|^\d+\. \*\*(.+?)\*\*:/gm)].reduce<string[][]>(
      (phases, match) => (match[1] ? [...phases, []] : (phases[phases.length - 1]?.push(match[3]), phases)),
      [],
    );
    assert.deepEqual(
      plan.phases.map((p) => p.steps.map((s) => s.title)),
      proposalSteps,
    );
    assert.deepEqual(plan.phases.map((p) => p.steps.length), [4, 4, 4, 4, 4]);
  });

  it('ends with everything done once its moves are carried out', () => {
    const result = compilePlan(plan, files);
    const moved = files.map((file) => result.moves.reduce<string>((at, m) => movePath(at, m.from, m.to) ?? at, file));
    const after = compilePlan(plan, moved);
    assert.deepEqual(after.moves, []);
    assert.deepEqual(after.unmatched, []);
    assert.equal(after.done.length, 177);
    const progress = describeProgress(plan, moved);
    assert.ok(progress.rules.every((r) => r.pending === 0 && r.done === r.total && r.total > 0), JSON.stringify(progress.rules));
    const staging = progress.steps.find((s) => s.step === 'create-environment-structure')!;
    assert.equal(staging.done, 0, 'no staging environment was created');
    const withStaging = describeProgress(plan, [...moved, 'infrastructure/environments/staging/kustomization.yaml']);
    assert.equal(withStaging.steps.find((s) => s.step === 'create-environment-structure')!.done, 1);
  });

  it('sees the staging overlay created beside dev before the manifests move', () => {
    const before = describeProgress(plan, files).steps.find((s) => s.step === 'create-environment-structure')!;
    assert.deepEqual([before.done, before.pending], [0, 1]);
    const copied = [...files, 'infrastructure/kubernetes/overlays/staging/kustomization.yaml'];
    assert.equal(describeProgress(plan, copied).steps.find((s) => s.step === 'create-environment-structure')!.done, 1);
    const result = compilePlan(plan, copied);
    assert.ok(result.moves.some((m) => m.from === 'infrastructure/kubernetes/overlays/staging/kustomization.yaml' && m.to === 'infrastructure/environments/staging/kustomization.yaml'));
  });
});

describe('the Bakery-IA plan carried out phase by phase with the engine', function () {
  this.timeout(120_000);

  it('moves step after step without a conflict, empties today’s folders and renders the same objects', () => {
    const root = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'relayout-phases-'));
    try {
      cpSync(SAMPLE, root, { recursive: true });
      const plan = loadPlan(readFileSync(SAMPLE_PLAN_PATH, 'utf8'), 'relayout.yaml').plan!;
      const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
      const render = (folder: string): string =>
        spawnSync('kubectl', ['kustomize', path.join(root, folder)], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
      const before = kubectl ? ['dev', 'prod'].map((env) => render(`infrastructure/kubernetes/overlays/${env}`)) : [];

      // Move steps only: the create-environment action has no engine yet.
      const moveSteps = plan.phases.flatMap((phase) => phase.steps).filter((step) => step.action === 'move');
      for (const step of moveSteps) {
        const source = new DiskFileSource(root);
        const selection = selectSteps(plan, { step: step.id });
        assert.ok(selection.ok);
        const compiled = compilePlan(plan, source.listFiles(), { rules: selection.rules });
        assert.deepEqual(compiled.problems.map(formatProblem), [], step.id);
        assert.ok(compiled.moves.length > 0, `${step.id} moves nothing`);
        const movePlan = planMoves(compiled.moves.map(({ from, to }) => ({ from, to })), ReferenceIndex.build(source), source);
        assert.deepEqual(movePlan.conflicts, [], step.id);
        applyPlan(movePlan, root, source);
      }

      const after = new DiskFileSource(root).listFiles();
      for (const old of ['ci-cd', 'helm', 'kubernetes', 'signoz', 'tls']) {
        assert.deepEqual(after.filter((file) => file.startsWith(`infrastructure/${old}/`)), [], `infrastructure/${old} is not empty`);
      }
      const final = compilePlan(plan, after);
      assert.deepEqual([final.moves, final.unmatched], [[], []]);
      if (kubectl) {
        assert.ok(before.every((output) => output.includes('kind: Deployment')));
        assert.deepEqual(['dev', 'prod'].map((env) => render(`infrastructure/environments/${env}`)), before);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('defaultPlanFor', () => {
  const files = listFiles(SAMPLE);

  it('offers the Bakery-IA plan for the sample workspace', () => {
    assert.equal(defaultPlanFor(files), readFileSync(SAMPLE_PLAN_PATH, 'utf8'));
  });

  it('still offers it part-way through the migration', () => {
    const partial = files.map((file) => file.replace('infrastructure/ci-cd/', 'infrastructure/cicd/').replace('infrastructure/tls/', 'infrastructure/security/certificates/').replace('infrastructure/signoz/', 'infrastructure/monitoring/signoz/'));
    assert.ok(defaultPlanFor(partial));
  });

  it('offers nothing for a workspace of another shape', () => {
    assert.equal(defaultPlanFor(['infrastructure/kubernetes/base/kustomization.yaml', 'infrastructure/tls/ca.pem', 'README.md']), undefined);
    assert.equal(defaultPlanFor(['deploy/ci-cd/a.yaml', 'deploy/helm/b.yaml', 'deploy/kubernetes/base/c.yaml', 'deploy/tls/d.pem']), undefined);
  });
});
