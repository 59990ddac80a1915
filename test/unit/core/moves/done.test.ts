import { strict as assert } from 'node:assert';
import { MemoryFileSource } from '../../../../src/core/inventory/source';
import { planDoneMoves } from '../../../../src/core/moves/done';
import { applyEditsToText, planMoves } from '../../../../src/core/moves/plan';
import { ReferenceIndex } from '../../../../src/core/refs/index';

/** Moves a file in the memory tree and tells the index, as the editor's watcher does after a terminal `mv`. */
function moveOnDisk(source: MemoryFileSource, index: ReferenceIndex, from: string, to: string): void {
  const read = source.readText(from);
  assert.ok(read.ok);
  source.delete(from);
  source.write(to, read.text);
  index.update(from);
  index.update(to);
}

function applyAll(source: MemoryFileSource, plan: ReturnType<typeof planDoneMoves>): void {
  for (const file of new Set(plan.edits.map((edit) => edit.file))) {
    const read = source.readText(file);
    assert.ok(read.ok, file);
    source.write(file, applyEditsToText(read.text, plan.edits.filter((edit) => edit.file === file)));
  }
}

describe('planDoneMoves', () => {
  const tree = () =>
    new MemoryFileSource({
      'app/base/kustomization.yaml': 'resources:\n  - ./deploy.yaml\n  - "service.yaml"\n',
      'app/base/deploy.yaml': 'kind: Deployment\n',
      'app/base/service.yaml': 'kind: Service\n',
      'app/overlays/dev/kustomization.yaml': '\uFEFFresources:\n  - ../../base\n',
      'docs/app.md': 'See [the service](../app/base/service.yaml).\n',
    });

  it('rewrites the references to a file moved outside Relayout, at the referrers, in their style', () => {
    const source = tree();
    const index = ReferenceIndex.build(source);
    moveOnDisk(source, index, 'app/base/service.yaml', 'app/base/net/service.yaml');

    const plan = planDoneMoves([{ from: 'app/base/service.yaml', to: 'app/base/net/service.yaml' }], index, source);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual(
      plan.edits.map((edit) => [edit.file, edit.oldText, edit.newText]).sort(),
      [
        ['app/base/kustomization.yaml', 'service.yaml', 'net/service.yaml'],
        ['docs/app.md', '../app/base/service.yaml', '../app/base/net/service.yaml'],
      ],
    );
    applyAll(source, plan);
    const kustomization = source.readText('app/base/kustomization.yaml');
    assert.ok(kustomization.ok);
    assert.equal(kustomization.text, 'resources:\n  - ./deploy.yaml\n  - "net/service.yaml"\n');
  });

  it('edits the moved file where it is now, re-reading its references from where it was', () => {
    const source = tree();
    const index = ReferenceIndex.build(source);
    moveOnDisk(source, index, 'app/overlays/dev/kustomization.yaml', 'env/dev/kustomization.yaml');

    const moves = [{ from: 'app/overlays/dev/kustomization.yaml', to: 'env/dev/kustomization.yaml' }];
    const plan = planDoneMoves(moves, index, source);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual(
      plan.edits.map((edit) => [edit.file, edit.oldText, edit.newText]),
      [['env/dev/kustomization.yaml', '../../base', '../../app/base']],
    );
    applyAll(source, plan);
    const moved = source.readText('env/dev/kustomization.yaml');
    assert.ok(moved.ok);
    assert.equal(moved.text, '\uFEFFresources:\n  - ../../app/base\n');
  });

  it('gives the edits planMoves would have given before the move, for a folder', () => {
    const before = tree();
    const expected = planMoves([{ from: 'app/base', to: 'shared/base' }], ReferenceIndex.build(before), before);

    const source = tree();
    const index = ReferenceIndex.build(source);
    for (const file of source.listFiles().filter((path) => path.startsWith('app/base/'))) {
      const read = source.readText(file);
      assert.ok(read.ok);
      source.delete(file);
      source.write(file.replace('app/base/', 'shared/base/'), read.text);
    }
    index.update('app/base');
    index.update('shared/base');
    const plan = planDoneMoves([{ from: 'app/base', to: 'shared/base' }], index, source);

    const moved = (file: string) => file.replace(/^app\/base\//, 'shared/base/');
    assert.ok(expected.edits.length > 0);
    assert.deepEqual(
      plan.edits.map((edit) => [edit.file, edit.start, edit.oldText, edit.newText]),
      expected.edits.map((edit) => [moved(edit.file), edit.start, edit.oldText, edit.newText]),
    );
  });
});
