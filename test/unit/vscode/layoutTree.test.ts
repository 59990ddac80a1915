import { strict as assert } from 'node:assert';
import { MemoryFileSource } from '../../../src/core/inventory/source';
import { compilePlan } from '../../../src/core/plan/compile';
import { formatProblem, loadPlan } from '../../../src/core/plan/load';
import { ReferenceIndex } from '../../../src/core/refs/index';
import {
  buildLayoutTree,
  childrenOf,
  countLabel,
  rootsOf,
  type LayoutFolder,
  type LayoutNode,
  type LayoutTree,
} from '../../../src/vscode/layoutTree';

const PLAN = `version: 1
root: infra
layout:
  - path: services
    description: Application services
  - path: services/auth
  - path: cicd
    description: CI/CD pipeline
  - path: scripts
rules:
  - id: auth
    from: k8s/auth-*.yaml
    to: services/auth/
  - id: pipelines
    from: ci-cd/*/
    to: cicd/$1
  - id: scripts
    from: "k8s/*.sh"
    to: scripts/
`;

function treeOf(files: Record<string, string>, planText = PLAN): LayoutTree {
  const loaded = loadPlan(planText, 'relayout.yaml');
  assert.ok(loaded.plan, loaded.problems.map(formatProblem).join('\n'));
  const graph = ReferenceIndex.build(new MemoryFileSource(files));
  return buildLayoutTree({ plan: loaded.plan, compiled: compilePlan(loaded.plan, graph.files()), graph });
}

/** One line per node: indentation, label (folders end with /), counts, state, and where an entry is now. */
function outline(nodes: readonly LayoutNode[], onlyPending = false, depth = 0): string[] {
  return nodes.flatMap((node) => {
    const indent = '  '.repeat(depth);
    const below = outline(childrenOf(node, onlyPending), onlyPending, depth + 1);
    switch (node.kind) {
      case 'folder':
        return [`${indent}${node.path}/ [${countLabel(node) ?? '-'}] ${node.state}${node.source ? ` <= ${node.source}` : ''}`, ...below];
      case 'entry':
        return [`${indent}${node.destination} ${node.state}${node.current !== node.destination ? ` <= ${node.current}` : ''}`];
      case 'group':
        return [`${indent}(${node.label})`, ...below];
      case 'conflict':
        return [`${indent}x ${node.entry.current}`];
      case 'planConflict':
        return [`${indent}! ${node.problem.message}`];
      case 'unmatched':
        return [`${indent}? ${node.path}`];
    }
  });
}

const files = {
  'infra/k8s/auth-service.yaml': 'kind: Service\n',
  'infra/k8s/auth-db.yaml': 'kind: Deployment\n',
  'infra/k8s/restart.sh': '#!/bin/sh\nkubectl apply -f infra/k8s/auth-db.yaml\n',
  'infra/ci-cd/tekton/kustomization.yaml': 'resources:\n  - tasks/build.yaml\n',
  'infra/ci-cd/tekton/tasks/build.yaml': 'kind: Task\n',
  'infra/scripts/old.sh': 'echo done\n',
  'infra/notes.txt': 'not in the plan\n',
  'README.md': 'outside the plan root\n',
};

describe('Proposed Layout tree model', () => {
  it('nests the layout folders in plan order with the files that land in each, and counts them', () => {
    const tree = treeOf(files);
    assert.deepEqual(outline(tree.roots), [
      'infra/services/ [0/2 moved] pending',
      '  infra/services/auth/ [0/2 moved] pending',
      '    infra/services/auth/auth-db.yaml pending <= infra/k8s/auth-db.yaml',
      '    infra/services/auth/auth-service.yaml pending <= infra/k8s/auth-service.yaml',
      'infra/cicd/ [0/2 moved] pending',
      '  infra/cicd/tekton/ [0/2 moved] pending <= infra/ci-cd/tekton',
      '    infra/cicd/tekton/tasks/ [0/1 moved] pending',
      '      infra/cicd/tekton/tasks/build.yaml pending <= infra/ci-cd/tekton/tasks/build.yaml',
      '    infra/cicd/tekton/kustomization.yaml pending <= infra/ci-cd/tekton/kustomization.yaml',
      'infra/scripts/ [1/2 moved] pending',
      '  infra/scripts/old.sh done',
      '  infra/scripts/restart.sh pending <= infra/k8s/restart.sh',
      '(Not in the plan)',
      '  ? infra/notes.txt',
    ]);
    assert.equal(tree.folders.get('infra/services')?.description, 'Application services');
    assert.equal(tree.folders.get('infra/cicd/tekton')?.inLayout, false);
  });

  it('maps every path with a pending move to its destination: move sources and the files inside folder moves', () => {
    const tree = treeOf(files);
    assert.deepEqual(Object.fromEntries(tree.destinations), {
      'infra/ci-cd/tekton': 'infra/cicd/tekton',
      'infra/ci-cd/tekton/kustomization.yaml': 'infra/cicd/tekton/kustomization.yaml',
      'infra/ci-cd/tekton/tasks/build.yaml': 'infra/cicd/tekton/tasks/build.yaml',
      'infra/k8s/auth-db.yaml': 'infra/services/auth/auth-db.yaml',
      'infra/k8s/auth-service.yaml': 'infra/services/auth/auth-service.yaml',
      'infra/k8s/restart.sh': 'infra/scripts/restart.sh',
    });
  });

  it('shows a move as done once the file is at its destination, and "Show Only Pending" hides it', () => {
    const moved = { ...files, 'infra/services/auth/auth-db.yaml': files['infra/k8s/auth-db.yaml'] };
    delete (moved as Record<string, string>)['infra/k8s/auth-db.yaml'];
    const tree = treeOf(moved);
    assert.equal(countLabel(tree.folders.get('infra/services')!), '1/2 moved');
    assert.equal(tree.entries.get('infra/services/auth/auth-db.yaml')?.state, 'done');
    assert.deepEqual(outline(rootsOf(tree, true), true), [
      'infra/services/ [1/2 moved] pending',
      '  infra/services/auth/ [1/2 moved] pending',
      '    infra/services/auth/auth-service.yaml pending <= infra/k8s/auth-service.yaml',
      'infra/cicd/ [0/2 moved] pending',
      '  infra/cicd/tekton/ [0/2 moved] pending <= infra/ci-cd/tekton',
      '    infra/cicd/tekton/tasks/ [0/1 moved] pending',
      '      infra/cicd/tekton/tasks/build.yaml pending <= infra/ci-cd/tekton/tasks/build.yaml',
      '    infra/cicd/tekton/kustomization.yaml pending <= infra/ci-cd/tekton/kustomization.yaml',
      'infra/scripts/ [1/2 moved] pending',
      '  infra/scripts/restart.sh pending <= infra/k8s/restart.sh',
      '(Not in the plan)',
      '  ? infra/notes.txt',
    ]);
  });

  it('marks a file whose destination is taken by a file that stays as a conflict, in the tree and the Conflicts group', () => {
    const tree = treeOf({ ...files, 'infra/scripts/restart.sh': 'echo already here\n' });
    const entry = tree.entries.get('infra/k8s/restart.sh');
    assert.equal(entry?.state, 'conflict');
    assert.deepEqual(entry?.reasons, ['infra/scripts/restart.sh already exists and stays']);
    assert.equal(tree.folders.get('infra/scripts')?.state, 'conflict');
    const conflicts = tree.roots.find((node) => node.kind === 'group' && node.id === 'conflicts');
    assert.ok(conflicts && conflicts.kind === 'group');
    assert.deepEqual(
      conflicts.children.map((child) => (child.kind === 'conflict' ? child.entry.current : child.kind)),
      ['planConflict', 'infra/k8s/restart.sh'],
    );
  });

  it('marks files that two rules send to one path as conflicts', () => {
    const planText = PLAN.replace('rules:\n', 'rules:\n  - id: both\n    from: "k8s/{auth-db,auth-service}.yaml"\n    to: services/auth/one.yaml\n');
    const tree = treeOf(files, planText);
    assert.equal(tree.entries.get('infra/k8s/auth-db.yaml')?.state, 'conflict');
    assert.deepEqual(tree.entries.get('infra/k8s/auth-service.yaml')?.reasons, [
      'infra/k8s/auth-db.yaml would move to infra/services/auth/one.yaml too',
    ]);
  });

  it('marks a pending file as needing review when a path to it cannot be rewritten statically', () => {
    const tree = treeOf({
      ...files,
      'infra/k8s/restart.sh': '#!/bin/sh\nfor s in auth; do kubectl apply -f "infra/k8s/${s}-db.yaml"; done\n',
    });
    const script = tree.entries.get('infra/k8s/restart.sh');
    assert.equal(script?.state, 'review');
    assert.match(script?.reasons[0] ?? '', /^infra\/k8s\/restart\.sh:2: /);
    assert.equal(tree.folders.get('infra/scripts')?.state, 'review');
    assert.equal((tree.roots[0] as LayoutFolder).state, 'pending');
  });
});
