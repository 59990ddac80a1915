import { strict as assert } from 'node:assert';
import { MemoryFileSource } from '../../../../src/core/inventory/source';
import { coalesceFolderMoves, pairSightings } from '../../../../src/core/moves/detect';
import { ReferenceIndex } from '../../../../src/core/refs/index';

describe('pairSightings', () => {
  it('pairs a deletion with the creation of the same content, whatever its name', () => {
    const result = pairSightings(
      [{ path: 'a/x.yaml', fingerprint: 'h1' }, { path: 'a/gone.yaml', fingerprint: 'h9' }],
      [{ path: 'b/y.yaml', fingerprint: 'h1' }, { path: 'b/new.yaml', fingerprint: 'h2' }],
    );
    assert.deepEqual(result.pairs, [{ from: 'a/x.yaml', to: 'b/y.yaml' }]);
    assert.deepEqual(result.deletions, [{ path: 'a/gone.yaml', fingerprint: 'h9' }]);
    assert.deepEqual(result.creations, [{ path: 'b/new.yaml', fingerprint: 'h2' }]);
  });

  it('among several creations of the same content takes the one of the same name, and guesses nothing otherwise', () => {
    const sameName = pairSightings(
      [{ path: 'a/empty.yaml', fingerprint: 'e' }],
      [{ path: 'b/other.yaml', fingerprint: 'e' }, { path: 'b/empty.yaml', fingerprint: 'e' }],
    );
    assert.deepEqual(sameName.pairs, [{ from: 'a/empty.yaml', to: 'b/empty.yaml' }]);
    const ambiguous = pairSightings(
      [{ path: 'a/one.yaml', fingerprint: 'e' }],
      [{ path: 'b/two.yaml', fingerprint: 'e' }, { path: 'c/three.yaml', fingerprint: 'e' }],
    );
    assert.deepEqual(ambiguous.pairs, []);
    assert.equal(ambiguous.deletions.length, 1);
    assert.equal(ambiguous.creations.length, 2);
  });
});

describe('coalesceFolderMoves', () => {
  const after = (files: Record<string, string>) => {
    const source = new MemoryFileSource(files);
    return { source, graph: ReferenceIndex.build(source) };
  };

  it('makes one folder move of file moves that carry a whole folder to a new one', () => {
    const { source, graph } = after({ 'b/x/f1.yaml': '1', 'b/x/f2.yaml': '2', 'c/keep.yaml': 'k' });
    const pairs = [
      { from: 'a/x/f1.yaml', to: 'b/x/f1.yaml' },
      { from: 'a/x/f2.yaml', to: 'b/x/f2.yaml' },
    ];
    assert.deepEqual(coalesceFolderMoves(pairs, graph, source, ['a/x/f1.yaml', 'a/x/f2.yaml']), [{ from: 'a', to: 'b' }]);
  });

  it('keeps the largest folder that moved whole when its parent did not', () => {
    const { source, graph } = after({ 'a/other.yaml': 'o', 'b/x/f1.yaml': '1', 'b/x/f2.yaml': '2' });
    const pairs = [
      { from: 'a/x/f1.yaml', to: 'b/x/f1.yaml' },
      { from: 'a/x/f2.yaml', to: 'b/x/f2.yaml' },
    ];
    assert.deepEqual(coalesceFolderMoves(pairs, graph, source, ['a/x/f1.yaml', 'a/x/f2.yaml']), [{ from: 'a/x', to: 'b/x' }]);
  });

  it('keeps file moves when part of the folder stayed, or was deleted, or the files joined a folder that has others', () => {
    const partly = after({ 'a/x/stays.yaml': 's', 'b/x/f1.yaml': '1' });
    assert.deepEqual(
      coalesceFolderMoves([{ from: 'a/x/f1.yaml', to: 'b/x/f1.yaml' }], partly.graph, partly.source, ['a/x/f1.yaml']),
      [{ from: 'a/x/f1.yaml', to: 'b/x/f1.yaml' }],
    );
    const oneDeleted = after({ 'b/x/f1.yaml': '1' });
    assert.deepEqual(
      coalesceFolderMoves([{ from: 'a/x/f1.yaml', to: 'b/x/f1.yaml' }], oneDeleted.graph, oneDeleted.source, ['a/x/f1.yaml', 'a/x/f2.yaml']),
      [{ from: 'a/x/f1.yaml', to: 'b/x/f1.yaml' }],
    );
    const merged = after({ 'db/auth-db.yaml': '1', 'db/kustomization.yaml': 'k' });
    assert.deepEqual(
      coalesceFolderMoves([{ from: 'db/postgres/auth-db.yaml', to: 'db/auth-db.yaml' }], merged.graph, merged.source, ['db/postgres/auth-db.yaml']),
      [{ from: 'db/postgres/auth-db.yaml', to: 'db/auth-db.yaml' }],
    );
  });
});
