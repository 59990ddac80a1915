import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { DiskFileSource } from '../../../../src/core/inventory/source';
import { selectSteps } from '../../../../src/core/plan/select';
import { previewSteps } from '../../../../src/core/phases/preview';
import { runSteps } from '../../../../src/core/phases/run';
import { fixturePlan, makeWorkspace, snapshot } from './fixture';

describe('phases/preview', () => {
  let root: string;
  beforeEach(() => (root = makeWorkspace()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('plans each step on the tree the steps before it leave, writing nothing, and matches what apply then does', async () => {
    const plan = fixturePlan();
    const selection = selectSteps(plan, { phase: 'restructure' });
    assert.ok(selection.ok);
    const before = snapshot(root);
    const preview = previewSteps(plan, new DiskFileSource(root), selection.steps);
    assert.deepEqual(snapshot(root), before);
    const steps = preview.phases[0].steps;
    const manifests = steps.find((step) => step.id === 'manifests')!;
    // The staging overlay does not exist yet: the create-environment step before it makes it.
    assert.deepEqual(
      manifests.moves.map((move) => `${move.from} → ${move.to}`),
      [
        'deploy/k8s/base → deploy/environments/base',
        'deploy/k8s/overlays/dev → deploy/environments/dev',
        'deploy/k8s/overlays/staging → deploy/environments/staging',
      ],
    );
    // Both overlays name the base; restart.sh names the dev overlay, and the scripts step has moved it by then.
    assert.deepEqual(manifests.edits, [
      { file: 'deploy/k8s/overlays/dev/kustomization.yaml', count: 1 },
      { file: 'deploy/k8s/overlays/staging/kustomization.yaml', count: 1 },
      { file: 'deploy/scripts/restart.sh', count: 1 },
    ]);
    // Its root-relative path stays valid wherever restart.sh goes; only the README's link to it changes.
    assert.deepEqual(steps.find((step) => step.id === 'scripts')!.edits, [{ file: 'README.md', count: 1 }]);

    const outcomes = (await runSteps(root, plan, selection.steps.filter(({ step }) => step.id !== 'check'))).outcomes;
    const moved = outcomes.find((outcome) => outcome.step === 'manifests')!;
    assert.equal(moved.status, 'done');
    assert.match(moved.summary, /^moved 4 files \(3 moves\), edited 3 files/);
  });
});
