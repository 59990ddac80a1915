import { strict as assert } from 'node:assert';
import { loadPlan } from '../../../../src/core/plan/load';
import { selectSteps } from '../../../../src/core/plan/select';

const plan = loadPlan(
  `version: 1
root: infra
rules:
  - {id: a, from: "a/*", to: x/}
  - {id: b, from: "b/*", to: y/}
phases:
  - id: phase-1
    title: One
    steps:
      - {id: count, title: Count, action: inventory}
      - {id: move-a, title: Move A, action: move, rules: [a]}
  - id: phase-2
    title: Two
    steps:
      - {id: move-ab, title: Move both, action: move, rules: [b, a]}
`,
  'relayout.yaml',
).plan!;

describe('selectSteps', () => {
  it('selects every step, a phase or one step, with the rules they apply', () => {
    const all = selectSteps(plan);
    assert.ok(all.ok);
    assert.deepEqual(all.steps.map((s) => `${s.phase.id}/${s.step.id}`), ['phase-1/count', 'phase-1/move-a', 'phase-2/move-ab']);
    assert.deepEqual(all.rules, ['a', 'b']);
    const phase = selectSteps(plan, { phase: 'phase-2' });
    assert.ok(phase.ok);
    assert.deepEqual(phase.rules, ['b', 'a']);
    const step = selectSteps(plan, { step: 'count' });
    assert.ok(step.ok);
    assert.deepEqual([step.steps.length, step.rules], [1, []]);
  });

  it('names the ids there are, and the closest, for an unknown phase or step', () => {
    assert.deepEqual(selectSteps(plan, { phase: 'phase-3' }), {
      ok: false,
      message: "The plan has no phase `phase-3`. Did you mean `phase-1`? The plan's phases: phase-1, phase-2.",
    });
    const wrongPhase = selectSteps(plan, { phase: 'phase-1', step: 'move-ab' });
    assert.ok(!wrongPhase.ok);
    assert.match(wrongPhase.message, /no step `move-ab`\. Did you mean `move-a`\? The plan's steps: count, move-a\./);
  });
});
