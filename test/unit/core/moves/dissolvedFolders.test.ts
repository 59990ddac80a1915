import { strict as assert } from 'node:assert';
import { MemoryFileSource } from '../../../../src/core/inventory/source';
import { planMoves } from '../../../../src/core/moves/plan';
import { ReferenceIndex } from '../../../../src/core/refs/index';

/** Plans `moves` over an in-memory tree with the real extractors. */
function plan(tree: Record<string, string>, moves: { from: string; to: string }[]) {
  const source = new MemoryFileSource(tree);
  return planMoves(moves, ReferenceIndex.build(source), source);
}

describe('moves/plan: folders a batch empties', () => {
  const overlays = {
    'k8s/overlays/dev/kustomization.yaml': 'resources: []\n',
    'k8s/overlays/dev/patch.yaml': 'a: 1\n',
    'k8s/overlays/prod/kustomization.yaml': 'resources: []\n',
    'k8s/overlays/prod/patches/replicas.yaml': 'a: 2\n',
    'docs/guide.md': 'The overlays are in [the overlays folder](../k8s/overlays).\n',
  };

  it('rewrites a link to a folder whose subfolders all land, under their names, in one new folder', () => {
    const result = plan(overlays, [
      { from: 'k8s/overlays/dev/kustomization.yaml', to: 'environments/dev/kustomization.yaml' },
      { from: 'k8s/overlays/dev/patch.yaml', to: 'environments/dev/patches/patch.yaml' },
      { from: 'k8s/overlays/prod/kustomization.yaml', to: 'environments/prod/kustomization.yaml' },
      { from: 'k8s/overlays/prod/patches', to: 'environments/prod/patches' },
    ]);
    assert.deepEqual(result.conflicts, []);
    const edit = result.edits.find((e) => e.file === 'docs/guide.md');
    assert.ok(edit, JSON.stringify(result.review));
    assert.equal(edit.newText, '../environments');
    assert.ok(!result.review.some((item) => item.file === 'docs/guide.md'));
  });

  it('still asks for review when the subfolders are split up or renamed', () => {
    const result = plan(overlays, [
      { from: 'k8s/overlays/dev/kustomization.yaml', to: 'environments/development/kustomization.yaml' },
      { from: 'k8s/overlays/dev/patch.yaml', to: 'environments/development/patch.yaml' },
      { from: 'k8s/overlays/prod/kustomization.yaml', to: 'environments/prod/kustomization.yaml' },
      { from: 'k8s/overlays/prod/patches', to: 'environments/prod/patches' },
    ]);
    assert.ok(!result.edits.some((e) => e.file === 'docs/guide.md'));
    assert.ok(result.review.some((item) => item.file === 'docs/guide.md' && /empties/.test(item.reason)), JSON.stringify(result.review));
  });

  it('keeps a free-text path looking like a path when it shortens to one segment', () => {
    const result = plan(
      {
        'k8s/overlays/prod/kustomization.yaml': 'resources: []\n',
        'k8s/README.md': 'Flux reconciles `overlays/prod` every minute.\n',
      },
      [
        { from: 'k8s/README.md', to: 'environments/README.md' },
        { from: 'k8s/overlays/prod', to: 'environments/prod' },
      ],
    );
    const edit = result.edits.find((e) => e.file === 'k8s/README.md');
    assert.ok(edit, JSON.stringify(result));
    assert.equal(edit.oldText, 'overlays/prod');
    assert.equal(edit.newText, './prod');
  });
});
