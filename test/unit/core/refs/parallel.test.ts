import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { chartFoldersOf } from '../../../../src/core/inventory/classify';
import { DiskFileSource, MemoryFileSource } from '../../../../src/core/inventory/source';
import { ReferenceIndex } from '../../../../src/core/refs/index';
import { extractIndexedFile, ListedTree } from '../../../../src/core/refs/indexedFile';
import { ExtractionHelper } from '../../../../src/core/refs/parallel';

const SAMPLE = path.resolve(__dirname, '../../../../sample/bakery-ia');

/** Everything an index answers, in a form `deepEqual` compares. */
function contents(index: ReferenceIndex) {
  return {
    files: [...index.files()],
    kinds: index.files().map((file) => index.kindOf(file)),
    refs: [...index.allRefs()],
    review: [...index.review()],
    problems: [...index.problems()],
    stats: index.stats(),
  };
}

describe('parallel extraction', function () {
  // A helper thread running from TypeScript compiles the engine first.
  this.timeout(60_000);

  it('builds the same index on two threads as on one', () => {
    const sequential = ReferenceIndex.build(new DiskFileSource(SAMPLE), { parallel: false });
    const parallel = ReferenceIndex.build(new DiskFileSource(SAMPLE), { parallel: true });
    assert.ok(sequential.stats().refs > 100);
    assert.deepEqual(contents(parallel), contents(sequential));
  });

  /** What this thread extracts for each entry of the sample, by entry index. */
  function extractedHere(source: DiskFileSource, entries: ReturnType<DiskFileSource['listEntries']>) {
    const tree = new ListedTree(source);
    for (const entry of entries) tree.add(entry.path, entry.type);
    const chartFolders = chartFoldersOf(entries.map((entry) => entry.path));
    return entries.map((entry) => extractIndexedFile(entry.path, entry.type, source, tree, chartFolders));
  }

  it('has the helper extract exactly what this thread would, file by file', () => {
    const source = new DiskFileSource(SAMPLE);
    const entries = source.listEntries();
    const helper = ExtractionHelper.start(source, entries);
    assert.ok(helper, 'a helper starts for a DiskFileSource');
    assert.equal(helper.awaitStart(30_000), true);
    // Nothing claimed here: the helper takes every chunk.
    const fromHelper = helper.finish().sort((a, b) => a[0] - b[0]);
    assert.deepEqual(
      fromHelper.map(([i]) => i),
      entries.map((_, i) => i),
    );
    assert.deepEqual(
      fromHelper.map(([, extracted]) => extracted),
      extractedHere(source, entries),
    );
  });

  it('shares the chunks between the threads, each file extracted once', () => {
    const source = new DiskFileSource(SAMPLE);
    const entries = source.listEntries();
    const helper = ExtractionHelper.start(source, entries)!;
    assert.equal(helper.awaitStart(30_000), true);
    const mine: number[] = [];
    for (let chunk = helper.claim(); chunk; chunk = helper.claim()) {
      for (let i = chunk.start; i < chunk.end; i++) mine.push(i);
    }
    const theirs = helper.finish().map(([i]) => i);
    assert.deepEqual(
      [...mine, ...theirs].sort((a, b) => a - b),
      entries.map((_, i) => i),
    );
  });

  it('does nothing when every chunk was taken before the helper started', () => {
    const source = new DiskFileSource(SAMPLE);
    const entries = source.listEntries();
    const helper = ExtractionHelper.start(source, entries)!;
    while (helper.claim()) continue;
    assert.deepEqual(helper.finish(), []);
  });

  it('starts no helper for a source another thread cannot open', () => {
    const source = new MemoryFileSource({ 'a/kustomization.yaml': 'resources:\n  - b.yaml\n', 'a/b.yaml': 'kind: ConfigMap\n' });
    assert.equal(ExtractionHelper.start(source, source.listEntries()), undefined);
    assert.deepEqual(contents(ReferenceIndex.build(source, { parallel: true })), contents(ReferenceIndex.build(source, { parallel: false })));
  });
});
