import { strict as assert } from 'node:assert';
import { MemoryFileSource } from '../../../../src/core/inventory/source';
import type { FileKind, Problem, Reference, ReferenceGraph, ReviewItem } from '../../../../src/core/types';
import { compareBrokenReferences, findBrokenReferences, findLostReferences, findResolvedReferences, type BrokenReference } from '../../../../src/core/verify/broken';
import { RenameMap } from '../../../../src/core/verify/renames';
import { ReferenceIndex } from '../../../../src/core/refs/index';

function ref(from: string, text: string, target: string, line = 1): Reference {
  return { from, start: 0, end: text.length, line, column: 3, text, kind: 'markdown.link', base: '', baseRule: 'referrer', target, confidence: 'exact' };
}

function graphOf(refs: Reference[]): ReferenceGraph {
  return {
    files: () => [...new Set(refs.map((r) => r.from))].sort(),
    kindOf: (): FileKind | undefined => 'markdown',
    refsFrom: (file) => refs.filter((r) => r.from === file),
    refsInto: (path) => refs.filter((r) => r.target === path),
    allRefs: () => refs,
    review: (): ReviewItem[] => [],
    problems: (): Problem[] => [],
  };
}

const broken = (from: string, text: string, target: string, line = 1): BrokenReference => ({ from, line, column: 3, kind: 'markdown.link', text, target });

describe('verify/broken', () => {
  it('finds references whose target does not exist or lies outside the workspace', () => {
    const source = new MemoryFileSource({ 'docs/a.md': 'x', 'base/x.yaml': 'y' });
    const graph = graphOf([
      ref('docs/a.md', '../base/x.yaml', 'base/x.yaml'),
      ref('docs/a.md', '../base', 'base'),
      ref('docs/a.md', 'gone.md', 'docs/gone.md', 2),
      ref('docs/a.md', '../../other', '../other', 3),
    ]);
    assert.deepEqual(findBrokenReferences(graph, source), [
      broken('docs/a.md', 'gone.md', 'docs/gone.md', 2),
      broken('docs/a.md', '../../other', '../other', 3),
    ]);
  });

  it('recognizes a pre-existing broken reference that moved with its file, by text or by target', () => {
    const baseline = [broken('docs/a.md', 'gone.md', 'docs/gone.md', 4), broken('docs/a.md', '../old/x.md', 'old/x.md', 9)];
    const renames = new RenameMap([{ from: 'docs/a.md', to: 'guide/a.md' }]);
    const current = [
      broken('guide/a.md', 'gone.md', 'guide/gone.md', 4),
      // Rewritten by the move to keep naming the same missing target from the new folder.
      broken('guide/a.md', '../old/x.md', 'old/x.md', 9),
    ];
    const comparison = compareBrokenReferences(baseline, current, renames);
    assert.deepEqual(comparison.introduced, []);
    assert.deepEqual(comparison.preExisting, current);
    assert.deepEqual(comparison.fixed, []);
  });

  it('counts duplicates: a second identical broken reference is new', () => {
    const baseline = [broken('a.md', 'gone.md', 'gone.md', 1)];
    const current = [broken('a.md', 'gone.md', 'gone.md', 1), broken('a.md', 'gone.md', 'gone.md', 5)];
    const comparison = compareBrokenReferences(baseline, current, new RenameMap([]));
    assert.deepEqual(comparison.introduced, [current[1]]);
    assert.deepEqual(comparison.preExisting, [current[0]]);
  });

  it('lists baseline entries that no longer break as fixed', () => {
    const comparison = compareBrokenReferences([broken('a.md', 'gone.md', 'gone.md')], [], new RenameMap([]));
    assert.deepEqual(comparison.fixed, [broken('a.md', 'gone.md', 'gone.md')]);
    assert.deepEqual(comparison.introduced, []);
  });

  it('finds references that resolved before and no longer reach their moved target', () => {
    const before = new MemoryFileSource({ 'docs/a.md': 'see ../old/x.sh and ../old/y.sh\n', 'old/x.sh': '', 'old/y.sh': '', 'notes.md': '' });
    const baselineGraph = graphOf([
      ref('docs/a.md', '../old/x.sh', 'old/x.sh'),
      ref('docs/a.md', '../old/y.sh', 'old/y.sh'),
      ref('notes.md', 'old', 'old'),
      { ...ref('docs/a.md', '../old/*.sh', 'old'), glob: true },
    ]);
    const resolved = findResolvedReferences(baselineGraph, before);
    assert.deepEqual(resolved.map((r) => r.text), ['../old/x.sh', '../old/y.sh', 'old']);

    // After moving old/ to new/: x.sh's reference was rewritten, y.sh's was left behind (and, naming nothing, is no
    // longer a reference at all); notes.md was deleted.
    const after = new MemoryFileSource({ 'guide/a.md': 'see ../new/x.sh and\n ../old/y.sh\n', 'new/x.sh': '', 'new/y.sh': '' });
    const afterGraph = graphOf([ref('guide/a.md', '../new/x.sh', 'new/x.sh')]);
    const renames = new RenameMap(
      [
        { from: 'docs/a.md', to: 'guide/a.md' },
        { from: 'old/x.sh', to: 'new/x.sh' },
        { from: 'old/y.sh', to: 'new/y.sh' },
      ],
      (folder) => folder === 'guide' || folder === 'new',
    );
    assert.deepEqual(findLostReferences(resolved, afterGraph, after, renames), [
      { from: 'guide/a.md', line: 2, column: 2, kind: 'markdown.link', text: '../old/y.sh', target: 'new/y.sh' },
    ]);
    // Naming the folder that now holds y.sh (as a load-restrictor wrap does) reaches it.
    const wrapped = graphOf([ref('guide/a.md', '../new/x.sh', 'new/x.sh'), ref('guide/a.md', '../new', 'new', 2)]);
    assert.deepEqual(findLostReferences(resolved, wrapped, after, renames), []);
  });

  it('takes a reference to a folder the change emptied into several places as reaching it when it names a new folder holding some of its files', () => {
    const before = new MemoryFileSource({ 'docs/a.md': '[tls](../tls)\n', 'tls/README.md': '', 'tls/gen.sh': '' });
    const resolved = findResolvedReferences(graphOf([ref('docs/a.md', '../tls', 'tls')]), before);
    const after = new MemoryFileSource({ 'docs/a.md': '[tls](../security)\n', 'security/README.md': '', 'scripts/gen.sh': '', 'other/x': '' });
    const renames = new RenameMap([
      { from: 'tls/README.md', to: 'security/README.md' },
      { from: 'tls/gen.sh', to: 'scripts/gen.sh' },
    ]);
    assert.deepEqual(findLostReferences(resolved, graphOf([ref('docs/a.md', '../security', 'security')]), after, renames), []);
    // A folder none of tls's files went to does not reach it; neither does a folder the file already named before.
    const elsewhere = graphOf([ref('docs/a.md', '../other', 'other')]);
    assert.deepEqual(findLostReferences(resolved, elsewhere, after, renames).map((r) => r.text), ['../tls']);
    const namedBefore = [...resolved, { from: 'docs/a.md', line: 2, column: 3, kind: 'markdown.link', text: '../security', target: 'security' }];
    assert.deepEqual(findLostReferences(namedBefore, graphOf([ref('docs/a.md', '../security', 'security')]), after, renames).map((r) => r.text), ['../tls']);
  });

  describe('output references (a file a command writes)', () => {
    const README = '# Tenants\n\n```sh\nflux create secret git auth --export > ./tenants/dev-team/auth.yaml\n```\n';
    const TENANT = { 'tenants/dev-team/kustomization.yaml': 'resources: []\n', 'tenants/other/kustomization.yaml': 'resources: []\n' };

    it('does not count an output reference whose folder exists as broken, but one whose folder is gone', () => {
      const source = new MemoryFileSource({ 'docs/a.md': 'x', 'base/kustomization.yaml': 'y' });
      const output = (text: string, target: string, line: number): Reference => ({ ...ref('docs/a.md', text, target, line), kind: 'markdown.shell.output', output: true });
      const graph = graphOf([output('base/auth.yaml', 'base/auth.yaml', 1), output('gone/auth.yaml', 'gone/auth.yaml', 2)]);
      assert.deepEqual(findBrokenReferences(graph, source), [
        { from: 'docs/a.md', line: 2, column: 3, kind: 'markdown.shell.output', text: 'gone/auth.yaml', target: 'gone/auth.yaml' },
      ]);
    });

    it('records an output reference as resolved, so a folder move that leaves it naming the old folder makes it stale', () => {
      const before = new MemoryFileSource({ 'README.md': README, ...TENANT });
      const resolved = findResolvedReferences(ReferenceIndex.build(before), before);
      assert.deepEqual(resolved, [
        { from: 'README.md', line: 4, column: 40, kind: 'markdown.shell.output', text: './tenants/dev-team/auth.yaml', target: 'tenants/dev-team/auth.yaml' },
      ]);
      const renames = [{ from: 'tenants/dev-team/kustomization.yaml', to: 'teams/dev-team/kustomization.yaml' }];
      const moved = { 'teams/dev-team/kustomization.yaml': 'resources: []\n', 'tenants/other/kustomization.yaml': 'resources: []\n' };
      const renameMap = (files: Record<string, string>) => new RenameMap(renames, (folder) => Object.keys(files).some((file) => file.startsWith(`${folder}/`)));

      // Moved without rewriting the README: the path names a folder that is gone, so it is no reference any more.
      const stale = new MemoryFileSource({ 'README.md': README, ...moved });
      const staleGraph = ReferenceIndex.build(stale);
      assert.deepEqual(findBrokenReferences(staleGraph, stale), []);
      assert.deepEqual(findLostReferences(resolved, staleGraph, stale, renameMap(moved)).map((r) => [r.text, r.target]), [
        ['./tenants/dev-team/auth.yaml', 'teams/dev-team/auth.yaml'],
      ]);

      // Rewritten: it reaches the file's new place.
      const rewritten = new MemoryFileSource({ 'README.md': README.replace('tenants/dev-team', 'teams/dev-team'), ...moved });
      const rewrittenGraph = ReferenceIndex.build(rewritten);
      assert.deepEqual(findBrokenReferences(rewrittenGraph, rewritten), []);
      assert.deepEqual(findLostReferences(resolved, rewrittenGraph, rewritten, renameMap(moved)), []);
    });
  });
});
