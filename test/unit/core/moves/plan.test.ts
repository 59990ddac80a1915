import { strict as assert } from 'node:assert';
import { MemoryFileSource } from '../../../../src/core/inventory/source';
import { applyEditsToText, planMoves } from '../../../../src/core/moves/plan';
import { ReferenceIndex } from '../../../../src/core/refs/index';
import type { FileSource, MovePlan, TextEdit } from '../../../../src/core/types';
import { graphOf, TestGraph } from './fixtures';

function plan(graph: TestGraph, moves: [string, string][], source: FileSource = graph.source): MovePlan {
  return planMoves(
    moves.map(([from, to]) => ({ from, to })),
    graph,
    source,
  );
}

/** The edits as `file:line old → new`, the shape most assertions need. */
function summary(edits: readonly TextEdit[]): string[] {
  return edits.map((edit) => `${edit.file}:${edit.line} ${JSON.stringify(edit.oldText)} → ${JSON.stringify(edit.newText)}`);
}

function edited(graph: TestGraph, result: MovePlan, file: string): string {
  const read = graph.source.readText(file);
  assert.ok(read.ok);
  return applyEditsToText(read.text, result.edits.filter((edit) => edit.file === file));
}

/** Plans `moves` over an in-memory tree with the reference index and the real extractors. */
function planIn(tree: Record<string, string>, moves: [string, string][]): MovePlan {
  const source = new MemoryFileSource(tree);
  return planMoves(moves.map(([from, to]) => ({ from, to })), ReferenceIndex.build(source), source);
}

describe('planMoves', () => {
  describe('path style', () => {
    it('keeps a ./ prefix and reports the exact range', () => {
      const text = 'resources:\n  - ./deploy.yaml\n';
      const graph = graphOf({ 'app/kustomization.yaml': text, 'app/deploy.yaml': 'kind: Deployment\n' });
      graph.ref('app/kustomization.yaml', './deploy.yaml');
      const result = plan(graph, [['app/deploy.yaml', 'app/workloads/deploy.yaml']]);
      assert.deepEqual(result.conflicts, []);
      assert.deepEqual(result.renames, [{ from: 'app/deploy.yaml', to: 'app/workloads/deploy.yaml' }]);
      assert.deepEqual(result.edits, [
        {
          file: 'app/kustomization.yaml',
          start: 15,
          end: 28,
          line: 2,
          oldText: './deploy.yaml',
          newText: './workloads/deploy.yaml',
          kind: 'kustomize.resources',
          confidence: 'exact',
        },
      ]);
    });

    it('keeps a trailing slash and recomputes ../ depth for a folder move', () => {
      const graph = graphOf({
        'overlays/prod/kustomization.yaml': 'resources:\n- ../../base/\n',
        'base/kustomization.yaml': 'resources: []\n',
      });
      graph.ref('overlays/prod/kustomization.yaml', '../../base/');
      const result = plan(graph, [['base', 'platform/core/base']]);
      assert.deepEqual(summary(result.edits), ['overlays/prod/kustomization.yaml:2 "../../base/" → "../../platform/core/base/"']);
      assert.deepEqual(result.renames, [{ from: 'base/kustomization.yaml', to: 'platform/core/base/kustomization.yaml' }]);
    });

    it('keeps a root-absolute link root-absolute, and leaves it alone when only the referrer moves', () => {
      const graph = graphOf({ 'docs/guide.md': 'See [apps](/apps/a.md).\n', 'apps/a.md': '# A\n' });
      graph.ref('docs/guide.md', '/apps/a.md', { kind: 'markdown.link', base: '', baseRule: 'fixed', confidence: 'probable' });
      assert.deepEqual(summary(plan(graph, [['apps', 'services']]).edits), ['docs/guide.md:1 "/apps/a.md" → "/services/a.md"']);
      assert.deepEqual(plan(graph, [['docs/guide.md', 'handbook/deep/guide.md']]).edits, []);
    });

    it('rewrites outgoing references of a moved referrer', () => {
      const graph = graphOf({
        'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\n- patch.yaml\n',
        'overlays/prod/patch.yaml': 'kind: Deployment\n',
        'base/kustomization.yaml': 'resources: []\n',
      });
      graph.ref('overlays/prod/kustomization.yaml', '../../base');
      graph.ref('overlays/prod/kustomization.yaml', 'patch.yaml');
      const result = plan(graph, [['overlays/prod', 'clusters/eu/prod']]);
      assert.deepEqual(summary(result.edits), ['overlays/prod/kustomization.yaml:2 "../../base" → "../../../base"']);
    });

    it('writes . when a path comes to name its own base, and a folder name when it stops doing so', () => {
      const graph = graphOf({ Makefile: 'build:\n\tkustomize build deploy\n', 'deploy/kustomization.yaml': 'resources: []\n' });
      graph.ref('Makefile', 'deploy', { kind: 'makefile.path', confidence: 'probable' });
      assert.deepEqual(summary(plan(graph, [['Makefile', 'deploy/Makefile']]).edits), ['Makefile:2 "deploy" → "."']);

      const nested = graphOf({ 'deploy/Makefile': 'build:\n\tkustomize build ./\n', 'deploy/kustomization.yaml': '' });
      nested.ref('deploy/Makefile', './', { kind: 'makefile.path', target: 'deploy', confidence: 'probable' });
      assert.deepEqual(summary(plan(nested, [['deploy/Makefile', 'Makefile']]).edits), ['deploy/Makefile:2 "./" → "./deploy/"']);
    });

    it('leaves references alone when a base and its overlay move together', () => {
      const graph = graphOf({
        'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\n',
        'base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
        'base/deploy.yaml': 'kind: Deployment\n',
      });
      graph.ref('overlays/prod/kustomization.yaml', '../../base');
      graph.ref('base/kustomization.yaml', 'deploy.yaml');
      const result = plan(graph, [
        ['base', 'k8s/base'],
        ['overlays', 'k8s/overlays'],
      ]);
      assert.deepEqual(result.edits, []);
      assert.deepEqual(result.conflicts, []);
      assert.equal(result.renames.length, 3);
    });

    it('rewrites base and overlay moved apart in one batch', () => {
      const graph = graphOf({
        'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\n',
        'base/kustomization.yaml': 'resources: []\n',
      });
      graph.ref('overlays/prod/kustomization.yaml', '../../base');
      const result = plan(graph, [
        ['base', 'shared/base'],
        ['overlays/prod', 'envs/prod'],
      ]);
      assert.deepEqual(summary(result.edits), ['overlays/prod/kustomization.yaml:2 "../../base" → "../../shared/base"']);
    });

    it('adjusts a SCRIPT_DIR/.. anchor depth when the script moves', () => {
      const text = 'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\nREPO_ROOT="$SCRIPT_DIR/.."\n';
      const graph = graphOf({ 'scripts/deploy.sh': text });
      graph.ref('scripts/deploy.sh', '..', { kind: 'shell.anchor', target: '', after: 'SCRIPT_DIR/', confidence: 'exact' });
      const result = plan(graph, [['scripts/deploy.sh', 'tools/ci/deploy.sh']]);
      assert.deepEqual(summary(result.edits), ['scripts/deploy.sh:2 ".." → "../.."']);
      assert.equal(edited(graph, result, 'scripts/deploy.sh'), text.replace('$SCRIPT_DIR/..', '$SCRIPT_DIR/../..'));
    });

    it('rewrites a fixed-base path when its base folder moves', () => {
      const moved = graphOf({ 'ops/run.sh': 'cd deploy && cat ../notes.md\n', 'ops/deploy/x.yaml': '', 'ops/notes.md': '' });
      moved.ref('ops/run.sh', '../notes.md', { kind: 'shell.path', base: 'ops/deploy', baseRule: 'fixed', target: 'ops/notes.md', confidence: 'probable' });
      const result = plan(moved, [['ops/deploy', 'ops/k8s/deploy']]);
      assert.deepEqual(summary(result.edits), ['ops/run.sh:1 "../notes.md" → "../../notes.md"']);
      assert.equal(result.edits[0].confidence, 'probable');
    });
  });

  describe('configMapGenerator files', () => {
    const text = 'configMapGenerator:\n- name: app\n  files:\n  - config.json\n';

    function generatorGraph(): TestGraph {
      const graph = graphOf({ 'app/kustomization.yaml': text, 'app/config.json': '{}' });
      graph.ref('app/kustomization.yaml', 'config.json', { kind: 'kustomize.configMapGenerator.files', generatorKey: 'config.json' });
      return graph;
    }

    it('writes key=newpath when the file name changes', () => {
      const result = plan(generatorGraph(), [['app/config.json', 'app/conf/app-settings.json']]);
      assert.deepEqual(summary(result.edits), ['app/kustomization.yaml:4 "config.json" → "config.json=conf/app-settings.json"']);
    });

    it('keeps the entry plain when the file name stays', () => {
      const result = plan(generatorGraph(), [['app/config.json', 'app/conf/config.json']]);
      assert.deepEqual(summary(result.edits), ['app/kustomization.yaml:4 "config.json" → "conf/config.json"']);
    });

    it('is a conflict when the generator file would leave the kustomization folder', () => {
      const result = plan(generatorGraph(), [['app/config.json', 'shared/config.json']]);
      assert.deepEqual(result.edits, []);
      assert.equal(result.conflicts.length, 1);
      assert.equal(result.conflicts[0].path, 'app/kustomization.yaml');
      assert.equal(result.conflicts[0].line, 4);
      assert.match(result.conflicts[0].reason, /load restrictor/);
    });
  });

  describe('kustomize cycles', () => {
    it('is a conflict when a kustomization moves below a folder it references (kustomize: root contains visited root)', () => {
      const graph = graphOf({
        'examples/notify/kustomization.yaml': 'resources:\n- ../../manifests/notify\n',
        'manifests/notify/kustomization.yaml': 'resources:\n- cm.yaml\n',
        'manifests/notify/cm.yaml': 'kind: ConfigMap\n',
      });
      graph.ref('examples/notify/kustomization.yaml', '../../manifests/notify');
      graph.ref('manifests/notify/kustomization.yaml', 'cm.yaml');
      const result = plan(graph, [['examples/notify', 'manifests/notify/examples']]);
      assert.equal(result.conflicts.length, 1);
      assert.equal(result.conflicts[0].path, 'examples/notify/kustomization.yaml');
      assert.match(result.conflicts[0].reason, /cycle/);
    });

    it('is no conflict when the kustomization moves beside the folder it references', () => {
      const graph = graphOf({
        'examples/notify/kustomization.yaml': 'resources:\n- ../../manifests/notify\n',
        'manifests/notify/kustomization.yaml': 'resources: []\n',
      });
      graph.ref('examples/notify/kustomization.yaml', '../../manifests/notify');
      const result = plan(graph, [['examples/notify', 'manifests/notify-examples']]);
      assert.deepEqual(result.conflicts, []);
      assert.deepEqual(summary(result.edits), ['examples/notify/kustomization.yaml:2 "../../manifests/notify" → "../notify"']);
    });
  });

  describe('kustomize load restrictor', () => {
    it('wraps resources files moved out of the folder in a new kustomization', () => {
      const text = 'resources:\n  - deploy.yaml # the app\n  - ../base\n  - "svc.yaml"\n';
      const graph = graphOf({
        'overlay/kustomization.yaml': text,
        'overlay/deploy.yaml': 'kind: Deployment\n',
        'overlay/svc.yaml': 'kind: Service\n',
        'base/kustomization.yaml': 'resources: []\n',
      });
      graph.ref('overlay/kustomization.yaml', 'deploy.yaml');
      graph.ref('overlay/kustomization.yaml', '../base');
      graph.ref('overlay/kustomization.yaml', 'svc.yaml');
      const result = plan(graph, [
        ['overlay/deploy.yaml', 'shared/app/deploy.yaml'],
        ['overlay/svc.yaml', 'shared/app/svc.yaml'],
      ]);
      assert.deepEqual(result.conflicts, []);
      assert.deepEqual(result.creates.map(({ path, content }) => ({ path, content })), [
        {
          path: 'shared/app/kustomization.yaml',
          content: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deploy.yaml\n- svc.yaml\n',
        },
      ]);
      assert.deepEqual(summary(result.edits), [
        'overlay/kustomization.yaml:2 "deploy.yaml" → "../shared/app"',
        'overlay/kustomization.yaml:4 "  - \\"svc.yaml\\"\\n" → ""',
      ]);
      assert.equal(edited(graph, result, 'overlay/kustomization.yaml'), 'resources:\n  - ../shared/app # the app\n  - ../base\n');
    });

    it('removes further entries of a flow sequence with their comma', () => {
      const text = 'resources: [deploy.yaml, ../base, svc.yaml]\n';
      const graph = graphOf({ 'overlay/kustomization.yaml': text, 'overlay/deploy.yaml': '', 'overlay/svc.yaml': '', 'base/kustomization.yaml': '' });
      graph.ref('overlay/kustomization.yaml', 'deploy.yaml');
      graph.ref('overlay/kustomization.yaml', '../base');
      graph.ref('overlay/kustomization.yaml', 'svc.yaml');
      const result = plan(graph, [
        ['overlay/deploy.yaml', 'shared/deploy.yaml'],
        ['overlay/svc.yaml', 'shared/svc.yaml'],
      ]);
      assert.equal(edited(graph, result, 'overlay/kustomization.yaml'), 'resources: [../shared, ../base]\n');
    });

    it('deletes whole CRLF lines and keeps the BOM', () => {
      const text = '\uFEFFresources:\r\n- a.yaml\r\n- b.yaml  # second\r\n';
      const graph = graphOf({ 'o/kustomization.yaml': text, 'o/a.yaml': '', 'o/b.yaml': '' });
      graph.ref('o/kustomization.yaml', 'a.yaml');
      graph.ref('o/kustomization.yaml', 'b.yaml');
      const result = plan(graph, [['o/a.yaml', 'x/a.yaml'], ['o/b.yaml', 'x/b.yaml']]);
      assert.equal(edited(graph, result, 'o/kustomization.yaml'), '\uFEFFresources:\r\n- ../x\r\n');
    });

    it('makes two referrers of the same moved file both reference the new folder', () => {
      const graph = graphOf({
        'a/kustomization.yaml': 'resources:\n- sub/cm.yaml\n',
        'a/sub/kustomization.yaml': 'resources:\n- cm.yaml\n',
        'a/sub/cm.yaml': 'kind: ConfigMap\n',
      });
      graph.ref('a/kustomization.yaml', 'sub/cm.yaml');
      graph.ref('a/sub/kustomization.yaml', 'cm.yaml');
      const result = plan(graph, [['a/sub/cm.yaml', 'shared/cm.yaml']]);
      assert.deepEqual(result.conflicts, []);
      assert.deepEqual(result.creates.map((create) => [create.path, create.content]), [
        ['shared/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cm.yaml\n'],
      ]);
      assert.deepEqual(summary(result.edits), [
        'a/kustomization.yaml:2 "sub/cm.yaml" → "../shared"',
        'a/sub/kustomization.yaml:2 "cm.yaml" → "../../shared"',
      ]);
    });

    it('wraps for every referrer whose entry the move breaks', () => {
      const graph = graphOf({
        'a/kustomization.yaml': 'resources:\n- cm.yaml\n',
        'a/cm.yaml': '',
        'b/kustomization.yaml': 'resources:\n- ./x.yaml\n',
        'b/x.yaml': '',
      });
      graph.ref('a/kustomization.yaml', 'cm.yaml');
      graph.ref('b/kustomization.yaml', './x.yaml');
      const result = plan(graph, [
        ['a/cm.yaml', 'shared/cm.yaml'],
        ['b/x.yaml', 'shared/x.yaml'],
      ]);
      assert.deepEqual(result.creates.map((create) => create.content.split('resources:\n')[1]), ['- cm.yaml\n- x.yaml\n']);
      assert.deepEqual(summary(result.edits), [
        'a/kustomization.yaml:2 "cm.yaml" → "../shared"',
        'b/kustomization.yaml:2 "./x.yaml" → "../shared"',
      ]);
    });

    it('is a conflict when the destination already has a kustomization', () => {
      const graph = graphOf({
        'overlay/kustomization.yaml': 'resources:\n- deploy.yaml\n',
        'overlay/deploy.yaml': '',
        'shared/kustomization.yaml': 'resources:\n- other.yaml\n',
      });
      graph.ref('overlay/kustomization.yaml', 'deploy.yaml');
      const result = plan(graph, [['overlay/deploy.yaml', 'shared/deploy.yaml']]);
      assert.deepEqual(result.creates, []);
      assert.equal(result.conflicts.length, 1);
      assert.match(result.conflicts[0].reason, /shared\/kustomization\.yaml already exists/);
    });

    it('is a conflict for a patch moved out of its kustomization folder', () => {
      const graph = graphOf({ 'o/kustomization.yaml': 'patches:\n- path: p.yaml\n', 'o/p.yaml': '' });
      graph.ref('o/kustomization.yaml', 'p.yaml', { kind: 'kustomize.patches' });
      const result = plan(graph, [['o/p.yaml', 'patches/p.yaml']]);
      assert.equal(result.conflicts.length, 1);
      assert.match(result.conflicts[0].reason, /^o\/kustomization\.yaml:2: kustomize\.patches entry p\.yaml would name patches\/p\.yaml/);
    });

    it('allows folder entries to climb out', () => {
      const graph = graphOf({ 'o/kustomization.yaml': 'resources:\n- base\n', 'o/base/kustomization.yaml': '' });
      graph.ref('o/kustomization.yaml', 'base');
      const result = plan(graph, [['o/base', 'base']]);
      assert.deepEqual(result.conflicts, []);
      assert.deepEqual(summary(result.edits), ['o/kustomization.yaml:2 "base" → "../base"']);
    });
  });

  describe('conflicts', () => {
    const files = {
      'a/x.yaml': 'x',
      'a/y.yaml': 'y',
      'b/z.yaml': 'z',
      'notes.txt': 'n',
    };

    function reasons(moves: [string, string][]): string[] {
      return plan(graphOf(files), moves).conflicts.map((conflict) => conflict.reason);
    }

    it('reports a target that exists', () => {
      assert.deepEqual(reasons([['a/x.yaml', 'b/z.yaml']]), ['cannot move a/x.yaml to b/z.yaml: b/z.yaml already exists']);
      assert.deepEqual(reasons([['a', 'b']]), ['cannot move a to b: b already exists']);
    });

    it('accepts a target that moves away in the same batch (a swap)', () => {
      const result = plan(graphOf(files), [
        ['a/x.yaml', 'a/y.yaml'],
        ['a/y.yaml', 'a/x.yaml'],
      ]);
      assert.deepEqual(result.conflicts, []);
      assert.deepEqual(result.renames, [
        { from: 'a/x.yaml', to: 'a/y.yaml' },
        { from: 'a/y.yaml', to: 'a/x.yaml' },
      ]);
    });

    it('reports two sources moving to one target', () => {
      assert.deepEqual(reasons([['a/x.yaml', 'c/x.yaml'], ['a/y.yaml', 'c/x.yaml']]), ['both a/x.yaml and a/y.yaml would move to c/x.yaml']);
    });

    it('reports a folder moved into itself', () => {
      assert.deepEqual(reasons([['a', 'a/inner']]), ['the folder a cannot move into itself (a/inner)']);
    });

    it('reports a missing source', () => {
      assert.deepEqual(reasons([['a/nope.yaml', 'c/nope.yaml']]), ['a/nope.yaml does not exist']);
    });

    it('reports paths outside the workspace', () => {
      assert.deepEqual(reasons([['a/x.yaml', '../elsewhere/x.yaml'], ['/etc/passwd', 'p'], ['a', '.']]), [
        '../elsewhere/x.yaml lies outside the workspace root',
        '/etc/passwd is an absolute path; moves take workspace-relative paths',
        'the workspace root itself cannot be moved or be a move target',
      ]);
    });

    it('reports a target below a file', () => {
      assert.deepEqual(reasons([['a/x.yaml', 'notes.txt/x.yaml']]), ['cannot move a/x.yaml to notes.txt/x.yaml: notes.txt is a file']);
    });

    it('reports a source moved twice to different places, and ignores exact repeats and no-op moves', () => {
      assert.deepEqual(reasons([['a/x.yaml', 'c/x.yaml'], ['a/x.yaml', 'd/x.yaml']]), ['a/x.yaml is moved twice: to c/x.yaml and to d/x.yaml']);
      const result = plan(graphOf(files), [['a/x.yaml', 'c/x.yaml'], ['./a/x.yaml', 'c/x.yaml/'], ['b', 'b']]);
      assert.deepEqual(result.moves, [{ from: 'a/x.yaml', to: 'c/x.yaml' }]);
    });

    it('drops an inner move its folder move already implies, and lets an inner move with its own target win', () => {
      const redundant = plan(graphOf(files), [['a', 'c'], ['a/x.yaml', 'c/x.yaml']]);
      assert.deepEqual(redundant.moves, [{ from: 'a', to: 'c' }]);
      const override = plan(graphOf(files), [['a', 'c'], ['a/x.yaml', 'd/x.yaml']]);
      assert.deepEqual(override.conflicts, []);
      assert.deepEqual(override.renames, [
        { from: 'a/x.yaml', to: 'd/x.yaml' },
        { from: 'a/y.yaml', to: 'c/y.yaml' },
      ]);
    });

    it('accepts a case-only rename on a case-insensitive file system', () => {
      const memory = new MemoryFileSource({ 'a/Config.yaml': 'x' });
      const caseInsensitive: FileSource = {
        listFiles: () => memory.listFiles(),
        stat: (path) => memory.stat(path) ?? memory.stat(path.replace(/config\.yaml$/, 'Config.yaml')),
        readText: (path) => memory.readText(path),
        readSymlink: (path) => memory.readSymlink(path),
      };
      const result = plan(graphOf({ 'a/Config.yaml': 'x' }), [['a/Config.yaml', 'a/config.yaml']], caseInsensitive);
      assert.deepEqual(result.conflicts, []);
      assert.deepEqual(result.renames, [{ from: 'a/Config.yaml', to: 'a/config.yaml' }]);
    });

    it('reports targets differing only in case when the file system ignores case', () => {
      const graph = graphOf(files);
      const result = planMoves([{ from: 'a/x.yaml', to: 'c/X.yaml' }, { from: 'a/y.yaml', to: 'c/x.yaml' }], graph, graph.source, {
        caseInsensitive: true,
      });
      assert.deepEqual(result.conflicts.map((conflict) => conflict.reason), ['both a/x.yaml and a/y.yaml would move to c/x.yaml']);
    });

    it('reports an edit needed in a file with a YAML problem, naming file and line', () => {
      const graph = graphOf({ 'k/kustomization.yaml': 'resources:\n- ../a\n', 'a/x.yaml': '' });
      graph.ref('k/kustomization.yaml', '../a');
      graph.problemList.push({ file: 'k/kustomization.yaml', line: 3, column: 1, message: 'bad indentation', severity: 'error' });
      graph.problemList.push({ file: 'unrelated.yaml', line: 1, column: 1, message: 'bad', severity: 'error' });
      const result = plan(graph, [['a', 'b']]);
      assert.deepEqual(result.conflicts, [
        { path: 'k/kustomization.yaml', line: 3, reason: 'k/kustomization.yaml:3: needs an edit but cannot be parsed: bad indentation' },
      ]);
      assert.deepEqual(result.problems.map((problem) => problem.file), ['k/kustomization.yaml']);
    });

    it('stops a batch that moves what a file it cannot parse names, or the file itself with paths beside it', () => {
      const source = new MemoryFileSource({
        'k/kustomization.yaml': 'resources:\n  - a.yaml\n  - b: [\n',
        'k/a.yaml': '',
        'k/notes.txt': '',
        'other/x.yaml': '',
      });
      const graph = ReferenceIndex.build(source);
      assert.equal(graph.problems()[0]?.file, 'k/kustomization.yaml');
      const conflictsOf = (moves: [string, string][]) => planMoves(moves.map(([from, to]) => ({ from, to })), graph, source).conflicts;
      const [named] = conflictsOf([['k/a.yaml', 'k/c.yaml']]);
      assert.equal(named.path, 'k/kustomization.yaml');
      assert.match(named.reason, /^k\/kustomization\.yaml:4: cannot be parsed \(.+\) and names a\.yaml, which the batch moves \(line 2\): fix the file first$/);
      assert.match(conflictsOf([['k/kustomization.yaml', 'deploy/kustomization.yaml']])[0].reason, /and moves, and names a\.yaml beside it \(line 2\)/);
      assert.deepEqual(conflictsOf([['other/x.yaml', 'other/y.yaml'], ['k/notes.txt', 'k/docs/notes.txt']]), []);
    });

    it('reports two rewrites of overlapping text', () => {
      const graph = graphOf({ 'run.sh': 'kubectl apply -f a/x.yaml\n', 'a/x.yaml': '' });
      graph.ref('run.sh', 'a/x.yaml', { kind: 'shell.path', base: '', baseRule: 'fixed' });
      graph.ref('run.sh', 'a', { kind: 'shell.path', base: '', baseRule: 'fixed', after: '-f ' });
      const result = plan(graph, [['a', 'b']]);
      assert.equal(result.conflicts.length, 1);
      assert.match(result.conflicts[0].reason, /^run\.sh:1: two rewrites of overlapping text/);
    });
  });

  describe('folders as build roots', () => {
    it('makes folder references follow a kustomization that moves without its folder', () => {
      const graph = graphOf({
        'overlays/prod/kustomization.yaml': 'resources:\n- ../../base/\n',
        'base/kustomization.yaml': 'resources:\n- ../common\n',
        'base/notes.txt': '',
        'common/kustomization.yaml': '',
        'docs/base.md': 'cd base',
      });
      graph.ref('overlays/prod/kustomization.yaml', '../../base/', { target: 'base' });
      graph.ref('base/kustomization.yaml', '../common');
      graph.ref('docs/base.md', 'base', { kind: 'shell.path', base: 'docs', target: 'base', confidence: 'probable' });
      const result = plan(graph, [['base/kustomization.yaml', 'platform/base/kustomization.yaml']]);
      assert.deepEqual(summary(result.edits), [
        'base/kustomization.yaml:2 "../common" → "../../common"',
        'overlays/prod/kustomization.yaml:2 "../../base/" → "../../platform/base/"',
      ]);
    });

    it('points any reference at the kustomization of a folder the batch empties', () => {
      const graph = graphOf({
        'overlays/dev/kustomization.yaml': 'patches:\n- path: patch.yaml\n',
        'overlays/dev/patch.yaml': '',
        Makefile: 'dev:\n\tkubectl apply -k overlays/dev\n',
      });
      graph.ref('overlays/dev/kustomization.yaml', 'patch.yaml', { kind: 'kustomize.patches' });
      graph.ref('Makefile', 'overlays/dev', { kind: 'makefile.path', confidence: 'probable' });
      const result = plan(graph, [
        ['overlays/dev/kustomization.yaml', 'environments/dev/kustomization.yaml'],
        ['overlays/dev/patch.yaml', 'environments/dev/patches/patch.yaml'],
      ]);
      assert.deepEqual(summary(result.edits), [
        'Makefile:2 "overlays/dev" → "environments/dev"',
        'overlays/dev/kustomization.yaml:2 "patch.yaml" → "patches/patch.yaml"',
      ]);
      assert.deepEqual(result.review, []);
    });

    it('reports a reference to a folder the batch empties when there is no kustomization to follow', () => {
      const graph = graphOf({ 'docs/tls.md': 'See [tls](../tls).\n', 'tls/gen.sh': '', 'tls/ca/ca.pem': '', 'keep/x': '' });
      graph.ref('docs/tls.md', '../tls', { kind: 'markdown.link', confidence: 'probable' });
      const result = plan(graph, [
        ['tls/gen.sh', 'scripts/gen.sh'],
        ['tls/ca', 'security/ca'],
      ]);
      assert.deepEqual(result.edits, []);
      assert.deepEqual(result.review.map((item) => `${item.file}:${item.line} ${item.reason}`), [
        'docs/tls.md:1 ../tls names tls, which the batch empties (its files go to security/ca, scripts); there is no single new path to write',
      ]);
      assert.deepEqual(plan(graph, [['tls/gen.sh', 'scripts/gen.sh']]).review, []);
    });

    it('reports files entering or leaving a folder a Flux path deploys whole', () => {
      const fluxText = 'spec:\n  path: ./apps\n';
      const graph = graphOf({ 'clusters/prod/apps.yaml': fluxText, 'apps/a.yaml': '', 'apps/b.yaml': '', 'legacy/c.yaml': '' });
      graph.ref('clusters/prod/apps.yaml', './apps', { kind: 'flux.path', base: '', baseRule: 'fixed' });
      const leaving = plan(graph, [['apps/a.yaml', 'legacy/a.yaml'], ['legacy/c.yaml', 'apps/c.yaml']]);
      assert.deepEqual(leaving.edits, []);
      assert.deepEqual(leaving.review.map((item) => `${item.file}:${item.line} ${item.reason}`), [
        'clusters/prod/apps.yaml:2 ./apps deploys every manifest below apps (it has no kustomization), so the files it deploys ' +
          'would change after the batch (2 moved: apps/a.yaml → legacy/a.yaml, legacy/c.yaml → apps/c.yaml)',
      ]);
      const wrapped = graphOf({ 'clusters/prod/apps.yaml': fluxText, 'apps/team/kustomization.yaml': 'resources:\n- x.yaml\n', 'apps/team/x.yaml': '' });
      wrapped.ref('clusters/prod/apps.yaml', './apps', { kind: 'flux.path', base: '', baseRule: 'fixed' });
      wrapped.ref('apps/team/kustomization.yaml', 'x.yaml');
      assert.deepEqual(plan(wrapped, [['apps/team/x.yaml', 'apps/shared/x.yaml']]).review.map((item) => item.reason), [
        './apps deploys every manifest below apps (it has no kustomization); the batch creates apps/shared/kustomization.yaml ' +
          'there, which changes how that folder is built',
      ]);
      const whole = plan(graph, [['apps', 'workloads/apps']]);
      assert.deepEqual(summary(whole.edits), ['clusters/prod/apps.yaml:2 "./apps" → "./workloads/apps"']);
      assert.deepEqual(whole.review, []);
    });
  });

  describe('globs, review items and symlinks', () => {
    it('rewrites the static prefix of a glob whose folder moves whole', () => {
      const graph = graphOf({ '.github/workflows/ci.yaml': "on:\n  push:\n    paths: ['kustomize/**']\n", 'kustomize/a.yaml': '' });
      graph.ref('.github/workflows/ci.yaml', 'kustomize/**', { kind: 'github.paths', base: '', baseRule: 'fixed', target: 'kustomize', glob: true });
      const result = plan(graph, [['kustomize', 'deploy/kustomize']]);
      assert.deepEqual(summary(result.edits), ['.github/workflows/ci.yaml:3 "kustomize" → "deploy/kustomize"']);
      assert.deepEqual(result.review, []);
    });

    it('reads a CI path filter glob against file paths only: a folder move adds no item broader than what it matched', () => {
      const workflow = "on:\n  pull_request:\n    paths:\n      - 'common/istio*/*'\n      - 'common/knative/**'\n";
      const source = new MemoryFileSource({
        '.github/workflows/ci.yaml': workflow,
        'common/istio/README.md': '',
        'common/istio/base/kustomization.yaml': 'resources: []\n',
        'common/knative/a.yaml': '',
      });
      const result = planMoves([{ from: 'common/istio', to: 'common/mesh/istio' }], ReferenceIndex.build(source), source);
      const after = applyEditsToText(workflow, result.edits.filter((edit) => edit.file === '.github/workflows/ci.yaml'));
      // `common/istio*/*` matched the README only (GitHub's `*` stops at `/`): the README alone gets an item.
      assert.equal(after, workflow.replace("'common/istio*/*'\n", "'common/istio*/*'\n      - 'common/mesh/istio/README.md'\n"));
    });

    it('reports a dirname-derived script variable only when the script moves to another depth', () => {
      const script = 'HERE="$(cd "$(dirname "$0")" && pwd)"\nROOT=$(dirname "$HERE")\ngit -C "$ROOT" status\n';
      const source = new MemoryFileSource({ 'scripts/sync.sh': script, 'README.md': '' });
      const index = ReferenceIndex.build(source);
      const deeper = planMoves([{ from: 'scripts', to: 'hack/sync' }], index, source);
      assert.deepEqual(deeper.review.map((item) => [item.file, item.line, item.kind]), [['scripts/sync.sh', 2, 'shell.scriptDepth']]);
      assert.deepEqual(planMoves([{ from: 'scripts', to: 'tools' }], index, source).review, []);
      assert.deepEqual(planMoves([{ from: 'README.md', to: 'docs/README.md' }], index, source).review, []);
    });

    it('reviews a prose path read from its file\'s folder when the batch creates that name at the root, read first', () => {
      const source = new MemoryFileSource({
        'schema/README.md': 'Each service has a file in `services/`.\n',
        'schema/services/cart.yaml': '',
        'src/ad/main.go': '',
      });
      const index = ReferenceIndex.build(source);
      const shadowing = planMoves([{ from: 'src/ad', to: 'services/ad' }], index, source);
      assert.deepEqual(shadowing.review.map((item) => [item.file, item.line, item.text, item.target]), [['schema/README.md', 1, 'services/', 'schema/services']]);
      assert.deepEqual(planMoves([{ from: 'src/ad', to: 'apps/ad' }], index, source).review, []);
    });

    it('keeps COPY sources when the Dockerfile moves alone (the build context stays) and reviews one leaving the context', () => {
      const source = new MemoryFileSource({ 'Dockerfile': 'FROM go\nCOPY go.mod .\nCOPY cmd/main.go .\n', 'go.mod': '', 'cmd/main.go': '' });
      const index = ReferenceIndex.build(source);
      const alone = planMoves([{ from: 'Dockerfile', to: 'build/Dockerfile' }], index, source);
      assert.deepEqual([alone.edits, alone.review], [[], []]);
      const inner = planMoves([{ from: 'cmd/main.go', to: 'app/main.go' }], index, source);
      assert.deepEqual(summary(inner.edits), ['Dockerfile:3 "cmd/main.go" → "app/main.go"']);
      const nested = new MemoryFileSource({ 'svc/Dockerfile': 'FROM go\nCOPY main.go .\n', 'svc/main.go': '' });
      const leaving = planMoves([{ from: 'svc/main.go', to: 'lib/main.go' }], ReferenceIndex.build(nested), nested);
      assert.deepEqual(leaving.edits, []);
      assert.match(leaving.review.map((item) => item.reason).join('\n'), /outside the build context svc/);
    });

    it('rewrites MkDocs nav pages in docs_dir, and reviews a move of the default docs folder that no line names', () => {
      const source = new MemoryFileSource({ 'mkdocs.yml': 'site_name: x\nnav:\n  - Home: index.md\n  - Start: start.md\n', 'docs/index.md': '', 'docs/start.md': '' });
      const index = ReferenceIndex.build(source);
      const page = planMoves([{ from: 'docs/start.md', to: 'docs/guide/start.md' }], index, source);
      assert.deepEqual(summary(page.edits), ['mkdocs.yml:4 "start.md" → "guide/start.md"']);
      assert.deepEqual(page.review, []);
      const folder = planMoves([{ from: 'docs', to: 'site/docs' }], index, source);
      assert.deepEqual(folder.edits, []);
      assert.deepEqual(folder.review.map((item) => [item.file, item.line, item.kind]), [['mkdocs.yml', 1, 'mkdocs.docsDir.default']]);
    });

    it('keeps the % of a make pattern prerequisite and rewrites only its folder; reviews a file leaving what it matches', () => {
      const graph = graphOf({ 'Makefile': 'out/%.yaml: chart/templates/%.yaml\n\tcp $< $@\n', 'chart/templates/a.yaml': '', 'chart/templates/b.yaml': '' });
      graph.ref('Makefile', 'chart/templates/%.yaml', { kind: 'make.prerequisite', target: 'chart/templates', glob: true, confidence: 'probable' });
      assert.deepEqual(summary(plan(graph, [['chart', 'deploy/chart']]).edits), ['Makefile:1 "chart/templates" → "deploy/chart/templates"']);
      const leaving = plan(graph, [['chart/templates/a.yaml', 'legacy/a.yaml']]);
      assert.deepEqual(leaving.edits, []);
      assert.match(leaving.review[0].reason, /would match different files/);
    });

    it('reports a file moving out of what a glob matches', () => {
      const graph = graphOf({ 'Makefile': 'charts:\n\tls charts/*/Chart.yaml\n', 'charts/a/Chart.yaml': '', 'charts/b/Chart.yaml': '' });
      graph.ref('Makefile', 'charts/*/Chart.yaml', { kind: 'makefile.path', target: 'charts', glob: true, confidence: 'probable' });
      const result = plan(graph, [['charts/a', 'legacy/a']]);
      assert.deepEqual(result.edits, []);
      assert.equal(result.review.length, 1);
      assert.equal(result.review[0].file, 'Makefile');
      assert.equal(result.review[0].line, 2);
      assert.match(result.review[0].reason, /would match different files after the batch \(1 moved: charts\/a\/Chart\.yaml → legacy\/a\/Chart\.yaml\)/);
      assert.deepEqual(plan(graph, [['charts/a', 'charts/c']]).review, []);
    });

    it('includes graph review items whose path overlaps a moved path', () => {
      const graph = graphOf({ 'run.sh': 'kubectl apply -k "apps/${NAME}/overlay"\n', 'apps/web/overlay/k.yaml': '', 'apps/api/k.yaml': '', 'other/x': '' });
      const item = { file: 'run.sh', start: 18, end: 39, line: 1, column: 19, text: 'apps/${NAME}/overlay', kind: 'shell.path', reason: 'variable', target: 'apps' };
      graph.reviewItems.push(item);
      assert.deepEqual(plan(graph, [['apps/web', 'services/web']]).review, [item]);
      assert.deepEqual(plan(graph, [['other', 'apps/other']]).review, [item]);
      assert.deepEqual(plan(graph, [['other', 'misc']]).review, []);
      assert.deepEqual(plan(graph, [['run.sh', 'ops/run.sh']]).review, [item]);
    });

    it('re-points a symlink whose target moves, and one that moves itself', () => {
      const graph = graphOf({ 'current': { symlink: 'releases/v1' }, 'releases/v1/a.yaml': '', 'docs/link.md': { symlink: '../README.md' }, 'README.md': '' });
      assert.deepEqual(plan(graph, [['releases', 'archive/releases']]).relinks, [{ path: 'current', linkText: 'archive/releases/v1' }]);
      const moved = plan(graph, [['docs/link.md', 'a/b/link.md']]);
      assert.deepEqual(moved.relinks, [{ path: 'a/b/link.md', linkText: '../../README.md' }]);
      assert.deepEqual(moved.renames, [{ from: 'docs/link.md', to: 'a/b/link.md' }]);
    });

    it('re-points a moved symlink that leads out of the workspace, and reports an absolute one whose target moves', () => {
      const graph = graphOf({ 'env/secrets': { symlink: '../../vault/secrets' }, 'abs': { symlink: '/work/repo/data' }, 'data/x': '' });
      assert.deepEqual(plan(graph, [['env', 'deploy/env']]).relinks, [{ path: 'deploy/env/secrets', linkText: '../../../vault/secrets' }]);
      // Memory symlinks never resolve absolute text; this source says where `/work/repo/data` lands in the workspace.
      const source: FileSource = {
        listFiles: () => graph.source.listFiles(),
        stat: (path) => graph.source.stat(path),
        readText: (path) => graph.source.readText(path),
        readSymlink: (path) => (path === 'abs' ? { linkText: '/work/repo/data', target: 'data' } : graph.source.readSymlink(path)),
      };
      const result = planMoves([{ from: 'data', to: 'store' }], graph, source);
      assert.deepEqual(result.relinks, []);
      assert.deepEqual(result.review.map((item) => [item.file, item.reason]), [
        ['abs', "the symlink's absolute target moves to store; absolute links are not rewritten"],
      ]);
    });
  });

  describe('with the reference index and extractors', () => {
    const files: Record<string, string> = {
      'apps/web/kustomization.yaml':
        'resources:\n- deploy.yaml\n- ../../shared/config\nconfigMapGenerator:\n- name: web\n  files:\n  - settings.json\n',
      'apps/web/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
      'apps/web/settings.json': '{}\n',
      'shared/config/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'shared/config/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      'clusters/prod/web.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: web\nspec:\n  path: ./apps/web\n' +
        '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      'scripts/deploy.sh':
        '#!/bin/bash\nSCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\nREPO_ROOT="$SCRIPT_DIR/.."\n' +
        'kubectl apply -k "$REPO_ROOT/apps/web"\n',
    };

    it('moves a kustomization folder, renames a generator file inside it and moves a script deeper', () => {
      const source = new MemoryFileSource(files);
      const result = planMoves(
        [
          { from: 'apps/web', to: 'services/web/base' },
          { from: 'apps/web/settings.json', to: 'services/web/base/config/web-settings.json' },
          { from: 'scripts/deploy.sh', to: 'tools/ci/deploy.sh' },
        ],
        ReferenceIndex.build(source),
        source,
      );
      assert.deepEqual(result.conflicts, []);
      assert.deepEqual(result.renames.map((rename) => rename.to), [
        'services/web/base/deploy.yaml',
        'services/web/base/kustomization.yaml',
        'services/web/base/config/web-settings.json',
        'tools/ci/deploy.sh',
      ]);
      const after = (file: string): string => applyEditsToText(files[file], result.edits.filter((edit) => edit.file === file));
      assert.equal(
        after('apps/web/kustomization.yaml'),
        files['apps/web/kustomization.yaml']
          .replace('../../shared/config', '../../../shared/config')
          .replace('- settings.json', '- settings.json=config/web-settings.json'),
      );
      assert.equal(after('clusters/prod/web.yaml'), files['clusters/prod/web.yaml'].replace('./apps/web', './services/web/base'));
      assert.equal(
        after('scripts/deploy.sh'),
        files['scripts/deploy.sh'].replace('$SCRIPT_DIR/..', '$SCRIPT_DIR/../..').replace('/apps/web', '/services/web/base'),
      );
      assert.equal(result.edits.length, 5);
    });

    it('wraps resources moved out of a kustomization found by the extractor', () => {
      const source = new MemoryFileSource(files);
      const result = planMoves([{ from: 'apps/web/deploy.yaml', to: 'workloads/web/deploy.yaml' }], ReferenceIndex.build(source), source);
      assert.deepEqual(result.creates.map((create) => create.path), ['workloads/web/kustomization.yaml']);
      assert.deepEqual(summary(result.edits), ['apps/web/kustomization.yaml:2 "deploy.yaml" → "../../workloads/web"']);
    });

    describe('output paths (files a command writes)', () => {
      const tree: Record<string, string> = {
        'README.md':
          '# Tenants\n\n```sh\nflux create secret git auth --export > ./tenants/base/dev-team/auth.yaml\n' +
          'kustomize build tenants/base/dev-team | tee tenants/base/dev-team/rendered/all.yaml\n```\n',
        'tenants/base/dev-team/kustomization.yaml': 'resources:\n- rbac.yaml\n',
        'tenants/base/dev-team/rbac.yaml': 'kind: ServiceAccount\n',
        'tenants/base/dev-team/rendered/.keep': '',
        'tenants/base/other/kustomization.yaml': 'resources: []\n',
        'scripts/render.sh': '#!/bin/sh\nkustomize build ../tenants/base/dev-team > ../tenants/base/dev-team/rendered/out.yaml\n',
      };
      const planOf = (moves: [string, string][]): MovePlan => planIn(tree, moves);

      it('rewrites a file written into a folder the batch moves, like a path to a file in it', () => {
        const result = planOf([['tenants/base/dev-team', 'tenants/dev-team']]);
        assert.deepEqual(result.conflicts, []);
        assert.deepEqual(summary(result.edits), [
          'README.md:4 "./tenants/base/dev-team/auth.yaml" → "./tenants/dev-team/auth.yaml"',
          'README.md:5 "tenants/base/dev-team" → "tenants/dev-team"',
          'README.md:5 "tenants/base/dev-team/rendered/all.yaml" → "tenants/dev-team/rendered/all.yaml"',
          'scripts/render.sh:2 "../tenants/base/dev-team" → "../tenants/dev-team"',
          'scripts/render.sh:2 "../tenants/base/dev-team/rendered/out.yaml" → "../tenants/dev-team/rendered/out.yaml"',
        ]);
        assert.deepEqual(
          result.edits.filter((edit) => edit.oldText.endsWith('auth.yaml')).map((edit) => [edit.start, edit.end, edit.kind, edit.confidence]),
          [[tree['README.md'].indexOf('./tenants'), tree['README.md'].indexOf('./tenants') + 33, 'markdown.shell.output', 'probable']],
        );
      });

      it('rewrites a file written into a folder that itself moves, and leaves it when an unrelated folder moves', () => {
        const moved = planOf([['tenants/base/dev-team/rendered', 'build/rendered']]);
        assert.deepEqual(moved.conflicts, []);
        assert.deepEqual(summary(moved.edits), [
          'README.md:5 "tenants/base/dev-team/rendered/all.yaml" → "build/rendered/all.yaml"',
          'scripts/render.sh:2 "../tenants/base/dev-team/rendered/out.yaml" → "../build/rendered/out.yaml"',
        ]);
        const unrelated = planOf([['tenants/base/other', 'tenants/other']]);
        assert.deepEqual(unrelated.edits, []);
      });

      it('follows a folder moved file by file, and asks for review when its files go to several places', () => {
        const reassembled = planOf([
          ['tenants/base/dev-team/kustomization.yaml', 'tenants/dev-team/kustomization.yaml'],
          ['tenants/base/dev-team/rbac.yaml', 'tenants/dev-team/rbac.yaml'],
          ['tenants/base/dev-team/rendered/.keep', 'tenants/dev-team/rendered/.keep'],
        ]);
        assert.deepEqual(reassembled.conflicts, []);
        assert.deepEqual(summary(reassembled.edits.filter((edit) => edit.kind.endsWith('.output'))), [
          'README.md:4 "./tenants/base/dev-team/auth.yaml" → "./tenants/dev-team/auth.yaml"',
          'README.md:5 "tenants/base/dev-team/rendered/all.yaml" → "tenants/dev-team/rendered/all.yaml"',
          'scripts/render.sh:2 "../tenants/base/dev-team/rendered/out.yaml" → "../tenants/dev-team/rendered/out.yaml"',
        ]);
        const scattered = planOf([
          ['tenants/base/dev-team/kustomization.yaml', 'teams/dev/kustomization.yaml'],
          ['tenants/base/dev-team/rbac.yaml', 'rbac/dev-team.yaml'],
          ['tenants/base/dev-team/rendered/.keep', 'build/rendered/.keep'],
        ]);
        // rendered/ went whole to build/rendered: the files written there follow it; dev-team/ itself has no one place.
        assert.deepEqual(summary(scattered.edits.filter((edit) => edit.kind.endsWith('.output'))), [
          'README.md:5 "tenants/base/dev-team/rendered/all.yaml" → "build/rendered/all.yaml"',
          'scripts/render.sh:2 "../tenants/base/dev-team/rendered/out.yaml" → "../build/rendered/out.yaml"',
        ]);
        const start = tree['README.md'].indexOf('./tenants');
        assert.deepEqual(
          scattered.review.filter((item) => item.kind.endsWith('.output')).map((item) => [item.file, item.start, item.end, item.target, item.reason]),
          [[
            'README.md', start, start + 33, 'tenants/base/dev-team',
            './tenants/base/dev-team/auth.yaml names a file written into tenants/base/dev-team, which the batch empties (its files go to teams/dev, rbac, build/rendered); there is no single new folder to write',
          ]],
        );
      });
    });
    describe('.gitignore patterns', () => {
      // What the patterns ignore is not listed (the keys), so the tree holds only what git tracks.
      const tree: Record<string, string> = {
        '.gitignore': '*.log\n/infrastructure/tls/*.key\ninfrastructure/tls/ca.srl\n!/infrastructure/tls/ca.crt\n',
        'infrastructure/tls/ca.crt': 'cert\n',
        'infrastructure/tls/generate.sh': '#!/bin/sh\n',
        'deploy/.gitignore': 'apps/web.env\n',
        'deploy/apps/web.yaml': 'kind: Deployment\n',
      };
      const planOf = (moves: [string, string][]): MovePlan => planIn(tree, moves);

      it('rewrites the patterns below a folder that moves whole, and a negated file that moves on its own', () => {
        const whole = planOf([['infrastructure/tls', 'security/certificates']]);
        assert.deepEqual(whole.conflicts, []);
        assert.deepEqual(summary(whole.edits), [
          '.gitignore:2 "infrastructure/tls" → "security/certificates"',
          '.gitignore:3 "infrastructure/tls" → "security/certificates"',
          '.gitignore:4 "infrastructure/tls/ca.crt" → "security/certificates/ca.crt"',
        ]);
        assert.deepEqual(whole.edits.map((edit) => [edit.start, edit.end, edit.kind, edit.confidence])[0], [7, 25, 'gitignore', 'exact']);

        const alone = planOf([['infrastructure/tls/ca.crt', 'security/ca.crt']]);
        assert.deepEqual(summary(alone.edits), ['.gitignore:4 "infrastructure/tls/ca.crt" → "security/ca.crt"']);
      });

      it('keeps a pattern anchored, with a leading / when its new path has no / in the middle', () => {
        const result = planOf([['deploy/apps', 'deploy/web']]);
        assert.deepEqual(summary(result.edits), ['deploy/.gitignore:1 "apps" → "web"']);
        const flat = { ...tree, 'deploy/.gitignore': 'apps/web.yaml\n' };
        const single = planIn(flat, [['deploy/apps/web.yaml', 'deploy/web.yaml']]);
        assert.equal(applyEditsToText(flat['deploy/.gitignore'], single.edits), '/web.yaml\n');
      });

      it("reviews a pattern whose folder would leave the .gitignore's folder, or is emptied file by file: the ignored files stay", () => {
        const leaving = planOf([['deploy/apps', 'apps']]);
        assert.deepEqual(leaving.edits, []);
        assert.deepEqual(leaving.review.map((item) => [item.file, item.line, item.text, item.reason]), [
          ['deploy/.gitignore', 1, 'apps', 'apps would be written ../apps, outside the folder deploy of its .gitignore, whose patterns git applies only below it'],
        ]);
        const fileByFile = planOf([
          ['infrastructure/tls/ca.crt', 'security/certificates/ca.crt'],
          ['infrastructure/tls/generate.sh', 'scripts/generate-tls.sh'],
        ]);
        assert.deepEqual(summary(fileByFile.edits), ['.gitignore:4 "infrastructure/tls/ca.crt" → "security/certificates/ca.crt"']);
        assert.deepEqual(fileByFile.review.map((item) => [item.file, item.line, item.text, item.reason]), [
          [
            '.gitignore', 2, 'infrastructure/tls/*.key',
            'infrastructure/tls/*.key matches below infrastructure/tls, which the batch empties file by file; the files it ignores stay there',
          ],
          [
            '.gitignore', 3, 'infrastructure/tls',
            'infrastructure/tls names infrastructure/tls, which the batch empties (its files go to security/certificates, scripts); there is no single new path to write',
          ],
        ]);
        // Moved file by file into one folder, the tracked files are together again, but the ignored ones stayed.
        const reassembled = planOf([
          ['infrastructure/tls/ca.crt', 'security/certificates/ca.crt'],
          ['infrastructure/tls/generate.sh', 'security/certificates/generate.sh'],
        ]);
        assert.deepEqual(summary(reassembled.edits), ['.gitignore:4 "infrastructure/tls/ca.crt" → "security/certificates/ca.crt"']);
        assert.deepEqual(reassembled.review.map((item) => [item.file, item.line]), [['.gitignore', 2], ['.gitignore', 3]]);
      });

      it('rewrites a .dockerignore pattern as it is written, every one anchored at the build context', () => {
        const context = {
          '.dockerignore': 'hack\n/docs/\nsrc/*/README.md\n',
          'hack/tools.go': '',
          'docs/index.md': '',
          'main.go': '',
          'src/ad/README.md': '',
          'src/cart/README.md': '',
        };
        const result = planIn(context, [['hack', 'tools'], ['docs', 'site/docs'], ['src/ad', 'services/ad']]);
        assert.equal(applyEditsToText(context['.dockerignore'], result.edits), 'tools\n/site/docs/\nsrc/*/README.md\n');
        // The moved README no longer matches: Docker would now send it.
        assert.deepEqual(result.review.map((item) => [item.line, item.reason]), [
          [3, 'the pattern src/*/README.md would match different files after the batch (1 moved: src/ad/README.md → services/ad/README.md)'],
        ]);
        const whole = planIn(context, [['src', 'services']]);
        assert.equal(applyEditsToText(context['.dockerignore'], whole.edits), 'hack\n/docs/\nservices/*/README.md\n');
        assert.deepEqual(whole.review, []);
        const nested = { ...context, 'build/.dockerignore': 'hack\n', 'build/hack/x.go': '' };
        const leaving = planIn(nested, [['build/hack', 'hack-build']]);
        assert.deepEqual(leaving.review.map((item) => item.reason), [
          'hack would be written ../hack-build, outside the folder build of its .dockerignore, whose patterns Docker applies only below it',
        ]);
      });
    });
  });

  it('plans 1,000 folder moves on a 10,000-file graph: every file renamed, each climbing path and glob handled', () => {
    const files: Record<string, string> = { 'common/kustomization.yaml': 'resources: []\n' };
    for (let service = 0; service < 1000; service++) {
      for (let file = 0; file < 9; file++) files[`services/s${service}/f${file}.yaml`] = 'kind: ConfigMap\n';
      files[`services/s${service}/kustomization.yaml`] = 'resources:\n- f0.yaml\n- ../../common\n';
    }
    let workflow = 'on:\n  push:\n    paths:\n';
    for (let glob = 0; glob < 20; glob++) workflow += `      - 'services/**/f${glob % 9}.yaml'\n`;
    files['.github/workflows/ci.yaml'] = workflow;
    const source = new MemoryFileSource(files);
    const index = ReferenceIndex.build(source);
    const moves = Array.from({ length: 1000 }, (_, service) => ({ from: `services/s${service}`, to: `platform/team${service % 10}/s${service}` }));
    const result = planMoves(moves, index, source);
    assert.equal(result.renames.length, 10_000);
    assert.equal(result.edits.length, 1020);
    assert.equal(result.edits.find((edit) => edit.file.startsWith('services/'))?.newText, '../../../common');
    // The workflow's globs over the emptied `services/` follow their files as one list: each pattern once, below the
    // files' new common folder; the repeated items are dropped, since the list matches the same files without them.
    const workflowEdits = result.edits.filter((edit) => edit.file === '.github/workflows/ci.yaml');
    assert.equal(result.edits.length - workflowEdits.length, 1000);
    const newWorkflow = applyEditsToText(workflow, workflowEdits);
    assert.equal(newWorkflow, `on:\n  push:\n    paths:\n${Array.from({ length: 9 }, (_, glob) => `      - 'platform/**/f${glob}.yaml'\n`).join('')}`);
    assert.deepEqual(result.review, []);
  });
});
