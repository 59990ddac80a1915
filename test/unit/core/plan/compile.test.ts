import { strict as assert } from 'node:assert';
import { compilePlan, describeProgress } from '../../../../src/core/plan/compile';
import { formatProblem, loadPlan } from '../../../../src/core/plan/load';
import type { Plan } from '../../../../src/core/plan/types';

function plan(text: string): Plan {
  const { plan, problems } = loadPlan(text, 'relayout.yaml');
  assert.ok(plan, problems.map(formatProblem).join('\n'));
  return plan;
}

const PLAN = plan(`version: 1
root: infra
exclude: ["**/.DS_Store"]
layout:
  - path: cicd
  - path: services
  - path: scripts
  - path: environments
rules:
  - id: databases
    from: k8s/components/databases/*.yaml
    to: services/databases/\${stem}/k8s-manifests/
  - id: components
    from: k8s/components/*/
    to: services/$1
    exclude: [k8s/components/*/legacy.yaml]
  - id: pipelines
    from: ci-cd/*/
    to: cicd/$1
  - id: scripts
    from: "**/*.sh"
    to: scripts/
  - id: overlays
    from: k8s/overlays/{dev,prod}/
    to: environments/$1/k8s-manifests
keep:
  - path: README.md
    reason: already at the top of the layout
phases:
  - id: p1
    title: Moves
    steps:
      - {id: pipes, title: CI/CD, action: move, rules: [pipelines, scripts]}
      - {id: services, title: Services, action: move, rules: [databases, components, overlays]}
      - {id: staging, title: Staging, action: create-environment, with: {from: environments/dev, name: staging}}
      - {id: check, title: Check, action: validate}
`);

const TREE = [
  'infra/README.md',
  'infra/ci-cd/flux/git-repository.yaml',
  'infra/ci-cd/flux/kustomization.yaml',
  'infra/ci-cd/tekton/tasks/git-clone.yaml',
  'infra/ci-cd/tekton/deploy.sh',
  'infra/ci-cd/.DS_Store',
  'infra/k8s/components/databases/auth-db.yaml',
  'infra/k8s/components/databases/kustomization.yml',
  'infra/k8s/components/gateway/service.yaml',
  'infra/k8s/components/gateway/legacy.yaml',
  'infra/k8s/components/hpa/hpa.yaml',
  'infra/k8s/overlays/dev/kustomization.yaml',
  'infra/k8s/overlays/staging/kustomization.yaml',
  'infra/k8s/restart.sh',
  'other/untouched.yaml',
];

describe('compilePlan', () => {
  const result = compilePlan(PLAN, TREE);

  it('collapses a folder whose files all go together into one folder move, and moves the rest file by file', () => {
    assert.deepEqual(
      result.moves.map((m) => [m.rule, m.from, m.to, m.folder, m.files]),
      [
        ['pipelines', 'infra/ci-cd/flux', 'infra/cicd/flux', true, 2],
        ['pipelines', 'infra/ci-cd/tekton', 'infra/cicd/tekton', true, 2],
        ['databases', 'infra/k8s/components/databases/auth-db.yaml', 'infra/services/databases/auth-db/k8s-manifests/auth-db.yaml', false, 1],
        ['components', 'infra/k8s/components/databases/kustomization.yml', 'infra/services/databases/kustomization.yml', false, 1],
        ['components', 'infra/k8s/components/gateway/service.yaml', 'infra/services/gateway/service.yaml', false, 1],
        ['components', 'infra/k8s/components/hpa', 'infra/services/hpa', true, 1],
        ['overlays', 'infra/k8s/overlays/dev', 'infra/environments/dev/k8s-manifests', true, 1],
        ['scripts', 'infra/k8s/restart.sh', 'infra/scripts/restart.sh', false, 1],
      ],
    );
  });

  it('keeps, leaves unmatched and ignores excluded files as the plan says', () => {
    assert.deepEqual(result.kept, [{ path: 'infra/README.md', reason: 'already at the top of the layout' }]);
    assert.deepEqual(result.unmatched, ['infra/k8s/components/gateway/legacy.yaml', 'infra/k8s/overlays/staging/kustomization.yaml']);
    assert.ok(!result.moves.some((m) => m.from.includes('.DS_Store')));
    assert.deepEqual(result.done, []);
  });

  it('reports nothing for a clean plan whose targets all lie in the layout', () => {
    assert.deepEqual(result.problems, []);
  });

  it('recognises files already at their destination as done, not unmatched', () => {
    const moved = TREE.map((file) =>
      file
        .replace('infra/ci-cd/flux/', 'infra/cicd/flux/')
        .replace('infra/k8s/components/hpa/', 'infra/services/hpa/')
        .replace('infra/k8s/restart.sh', 'infra/scripts/restart.sh'),
    );
    const again = compilePlan(PLAN, moved);
    assert.deepEqual(again.done, ['infra/cicd/flux/git-repository.yaml', 'infra/cicd/flux/kustomization.yaml', 'infra/scripts/restart.sh', 'infra/services/hpa/hpa.yaml']);
    assert.equal(again.moves.length, result.moves.length - 3);
    assert.deepEqual(again.unmatched, result.unmatched);
  });

  it('keeps a whole folder when a keep entry ends with `/`', () => {
    const keeping = plan(`version: 1
root: infra
rules:
  - {from: "**", to: all/$1}
keep:
  - {path: k8s/overlays/, reason: the overlays stay until phase 3}
`);
    const { kept, moves } = compilePlan(keeping, TREE);
    assert.deepEqual(kept.map((k) => k.path), ['infra/k8s/overlays/dev/kustomization.yaml', 'infra/k8s/overlays/staging/kustomization.yaml']);
    assert.ok(!moves.some((m) => m.from.includes('overlays')));
  });

  it('reports two files sent to one target, naming both', () => {
    const clash = plan(`version: 1
root: infra
rules:
  - id: flatten
    from: "**/*.yaml"
    to: all/\${name}
`);
    const { problems } = compilePlan(clash, ['infra/a/x.yaml', 'infra/b/x.yaml', 'infra/c/y.yaml']);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.line, p.message]),
      [['error', 4, '`infra/a/x.yaml` (rule `flatten`) and `infra/b/x.yaml` (rule `flatten`) would both move to `infra/all/x.yaml`.']],
    );
  });

  it('reports a move onto a file that stays', () => {
    const onto = plan(`version: 1
root: infra
rules:
  - id: up
    from: nested/*.yaml
    to: ./
`);
    const { problems } = compilePlan(onto, ['infra/nested/a.yaml', 'infra/a.yaml']);
    assert.deepEqual(problems.map((p) => p.message), ['Rule `up` moves `infra/nested/a.yaml` to `infra/a.yaml`, where a file already is and stays.']);
  });

  it('moves only the selected rules but still lets earlier rules claim their files', () => {
    const only = compilePlan(PLAN, TREE, { rules: ['components'] });
    assert.deepEqual(only.moves.map((m) => m.from), [
      'infra/k8s/components/databases/kustomization.yml',
      'infra/k8s/components/gateway/service.yaml',
      'infra/k8s/components/hpa',
    ]);
  });

  it('moves file by file into a destination folder that already holds files', () => {
    const { moves, problems } = compilePlan(PLAN, [...TREE, 'infra/cicd/flux/existing.yaml']);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      moves.filter((m) => m.rule === 'pipelines').map((m) => [m.from, m.to, m.folder]),
      [
        ['infra/ci-cd/flux/git-repository.yaml', 'infra/cicd/flux/git-repository.yaml', false],
        ['infra/ci-cd/flux/kustomization.yaml', 'infra/cicd/flux/kustomization.yaml', false],
        ['infra/ci-cd/tekton', 'infra/cicd/tekton', true],
      ],
    );
  });

  it('moves file by file when a folder would land inside itself', () => {
    const deeper = plan(`version: 1
root: .
rules:
  - from: app/
    to: app/base
`);
    const { moves } = compilePlan(deeper, ['app/a.yaml', 'app/b/c.yaml']);
    assert.deepEqual(moves.map((m) => [m.from, m.to, m.folder]), [
      ['app/a.yaml', 'app/base/a.yaml', false],
      ['app/b/c.yaml', 'app/base/b/c.yaml', false],
    ]);
  });

  it('warns about targets outside the layout, rules that match nothing and keep entries that keep nothing', () => {
    const loose = plan(`version: 1
root: infra
layout:
  - path: services
rules:
  - id: out
    from: a/*.yaml
    to: elsewhere/
  - id: nothing
    from: zzz/*.yaml
    to: services/
keep:
  - path: missing.md
    reason: nothing to keep
`);
    const { problems } = compilePlan(loose, ['infra/a/one.yaml', 'infra/a/two.yaml']);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.line, p.message]),
      [
        ['warning', 6, 'Rule `out` sends files outside the proposed layout: `infra/elsewhere/one.yaml` and 1 more.'],
        ['warning', 9, 'Rule `nothing` matches no file: its `from` (`zzz/*.yaml`) finds nothing that an earlier rule did not take.'],
        ['warning', 13, 'Keep entry `missing.md` matches no file.'],
      ],
    );
  });
});

describe('describeProgress', () => {
  it('counts pending and done files per rule, per step and per phase from the tree alone', () => {
    // The staging file lies in a layout folder: in place, so neither a rule's nor unmatched.
    const halfway = TREE.map((file) => file.replace('infra/ci-cd/flux/', 'infra/cicd/flux/')).concat('infra/environments/staging/kustomization.yaml');
    const progress = describeProgress(PLAN, halfway);
    assert.deepEqual(progress.rules, [
      { rule: 'databases', total: 1, done: 0, pending: 1 },
      { rule: 'components', total: 3, done: 0, pending: 3 },
      { rule: 'pipelines', total: 4, done: 2, pending: 2 },
      { rule: 'scripts', total: 1, done: 0, pending: 1 },
      { rule: 'overlays', total: 1, done: 0, pending: 1 },
    ]);
    assert.deepEqual(
      progress.steps.map((s) => [s.step, s.measured, s.total, s.done, s.pending]),
      [
        ['pipes', true, 5, 2, 3],
        ['services', true, 5, 0, 5],
        ['staging', true, 1, 1, 0],
        ['check', false, 0, 0, 0],
      ],
    );
    assert.deepEqual(progress.phases, [{ phase: 'p1', total: 11, done: 3, pending: 8 }]);
    assert.equal(progress.kept, 1);
    assert.equal(progress.unmatched, 2);
  });
});
