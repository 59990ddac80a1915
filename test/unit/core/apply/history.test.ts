import { strict as assert } from 'node:assert';
import { composeRenames, withBuildRootMoves } from '../../../../src/core/apply/history';
import type { Journal } from '../../../../src/core/apply/journal';

function journal(renames: [string, string][]): Journal {
  return {
    version: 1,
    phase: 'completed',
    startedAt: '2026-01-01T00:00:00.000Z',
    renames: renames.map(([from, to]) => ({ from, to })),
    files: [],
    creates: [],
    relinks: [],
    steps: [],
    expectedAfter: {},
  };
}

describe('apply/history', () => {
  it('composes the renames of applies made one after the other', () => {
    const composed = composeRenames([
      journal([['a/x.yaml', 'b/x.yaml'], ['a/y.yaml', 'b/y.yaml'], ['keep/z', 'moved/z']]),
      journal([['b/x.yaml', 'c/x.yaml'], ['moved/z', 'keep/z']]),
    ]);
    assert.deepEqual(composed, [
      { from: 'a/x.yaml', to: 'c/x.yaml' },
      { from: 'a/y.yaml', to: 'b/y.yaml' },
    ]);
  });

  it('composes a swap within one apply', () => {
    assert.deepEqual(composeRenames([journal([['p', 'q'], ['q', 'p']])]), [
      { from: 'p', to: 'q' },
      { from: 'q', to: 'p' },
    ]);
  });

  it('adds the folder of each kustomization that moved to another folder', () => {
    const renames = [
      { from: 'k8s/overlays/dev/kustomization.yaml', to: 'environments/dev/kustomization.yaml' },
      { from: 'k8s/overlays/dev/patch.yaml', to: 'environments/dev/patches/patch.yaml' },
      { from: 'same/kustomization.yaml', to: 'same/kustomization.yaml' },
    ];
    assert.deepEqual(withBuildRootMoves(renames).slice(3), [{ from: 'k8s/overlays/dev', to: 'environments/dev' }]);
  });
});
