import { strict as assert } from 'node:assert';
import { extractSourceIgnore, ignoreFileExtractor, ignorePatternRefs } from '../../../../src/core/refs/ignorePatterns';
import { LineIndex } from '../../../../src/core/text';
import type { Reference } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const workspace = workspaceOf(
  'infrastructure/kubernetes/base/kustomization.yaml',
  'infrastructure/ci-cd/tekton/pipeline.yaml',
  'deploy/apps/web.yaml',
  'deploy/notes.md',
);

function summary(ref: Reference): object {
  const { start, end, text, target, base, baseRule, kind, confidence, glob, line } = ref;
  return { start, end, text, target, base, baseRule, kind, confidence, glob, line };
}

describe('core/refs/ignorePatterns', () => {
  it('reads the anchored patterns of a block, negated or not, from the repository root; not /*, unanchored or missing ones', () => {
    const text = 'spec:\n  ignore: |\n    /*\n    !/infrastructure/kubernetes/\n    !/infrastructure/ci-cd/tekton/*.yaml\n    # /deploy/\n    *.md\n    /gone/\n';
    const start = text.indexOf('/*');
    const refs = ignorePatternRefs(
      { file: 'flux/git-repository.yaml', text, start, end: text.length, base: '', baseRule: 'fixed', kind: 'flux.ignore' },
      workspace,
      new LineIndex(text),
    );
    assert.deepEqual(refs.map(summary), [
      {
        start: 31, end: 57, text: 'infrastructure/kubernetes/', target: 'infrastructure/kubernetes', base: '', baseRule: 'fixed',
        kind: 'flux.ignore', confidence: 'probable', glob: true, line: 4,
      },
      {
        start: 64, end: 98, text: 'infrastructure/ci-cd/tekton/*.yaml', target: 'infrastructure/ci-cd/tekton', base: '', baseRule: 'fixed',
        kind: 'flux.ignore', confidence: 'probable', glob: true, line: 5,
      },
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('resolves a .sourceignore from its own folder, with CRLF line endings', () => {
    const text = '# only the apps\r\n/*\r\n!/apps/\r\n!/notes.md\r\n';
    const { refs, review } = extractSourceIgnore({ path: 'deploy/.sourceignore', text, kind: 'other' }, workspace);
    assert.deepEqual(review, []);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.target, ref.base, ref.baseRule, ref.kind, ref.line]), [
      [23, 28, 'apps/', 'deploy/apps', 'deploy', 'referrer', 'flux.sourceignore', 3],
      [32, 40, 'notes.md', 'deploy/notes.md', 'deploy', 'referrer', 'flux.sourceignore', 4],
    ]);
  });

  describe('.gitignore', () => {
    const tree = workspaceOf(
      'infrastructure/tls/ca.crt',
      'infrastructure/tls/generate.sh',
      'infrastructure/kubernetes/base/kustomization.yaml',
      'deploy/apps/web.yaml',
      'deploy/notes.md',
    );
    const refsOf = (path: string, text: string) => {
      const { refs, review, problems } = ignoreFileExtractor(path)!({ path, text, kind: 'other' }, tree);
      assert.deepEqual([review, problems], [[], []]);
      for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
      return refs.map((ref) => [ref.start, ref.end, ref.text, ref.target, ref.base, ref.baseRule, ref.kind, ref.confidence, ref.line, ref.column, ref.glob ?? false]);
    };

    it('reads anchored patterns (a leading or middle /) on their longest existing leading path, a wildcard pattern as a glob over its folder', () => {
      const text =
        '# keys made by generate.sh\n/infrastructure/tls/*.key\ninfrastructure/tls/ca.srl\n!/infrastructure/tls/ca.crt\n' +
        '/infrastructure/kubernetes/\ninfrastructure/kubernetes/base/charts/**\n';
      assert.deepEqual(refsOf('.gitignore', text), [
        [28, 52, 'infrastructure/tls/*.key', 'infrastructure/tls', '', 'referrer', 'gitignore', 'exact', 2, 2, true],
        [53, 71, 'infrastructure/tls', 'infrastructure/tls', '', 'referrer', 'gitignore', 'exact', 3, 1, false],
        [81, 106, 'infrastructure/tls/ca.crt', 'infrastructure/tls/ca.crt', '', 'referrer', 'gitignore', 'exact', 4, 3, false],
        [108, 133, 'infrastructure/kubernetes', 'infrastructure/kubernetes', '', 'referrer', 'gitignore', 'exact', 5, 2, false],
        // Its folder before the wildcard does not exist: the deepest one that does.
        [135, 165, 'infrastructure/kubernetes/base', 'infrastructure/kubernetes/base', '', 'referrer', 'gitignore', 'exact', 6, 1, false],
      ]);
    });

    it('leaves out unanchored patterns, comments, escapes, . and .. segments, a leading wildcard and places that do not exist', () => {
      const text = '*.log\ntmp/\n# /deploy/\n\\#deploy/notes.md\n**/apps/\n./deploy/notes.md\ndeploy/../deploy/notes.md\n/gone/x\n/deploy//apps\n';
      assert.deepEqual(refsOf('.gitignore', text), []);
    });

    it('reads paths in comments as free text: probable, only where they exist', () => {
      const text = '# keys written by infrastructure/tls/generate.sh; see docs/tls.md\n/infrastructure/tls/*.key\n';
      const { refs } = ignoreFileExtractor('.gitignore')!({ path: '.gitignore', text, kind: 'other' }, tree);
      assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.kind, ref.confidence]), [
        [18, 48, 'infrastructure/tls/generate.sh', 'text.path', 'probable'],
        [67, 91, 'infrastructure/tls/*.key', 'gitignore', 'exact'],
      ]);
    });

    it("resolves a nested .gitignore from its own folder, with CRLF line endings and trailing spaces", () => {
      const text = '/apps/*.bak  \r\napps/web.yaml\r\n!notes.md\r\n';
      assert.deepEqual(refsOf('deploy/.gitignore', text), [
        [1, 11, 'apps/*.bak', 'deploy/apps', 'deploy', 'referrer', 'gitignore', 'exact', 1, 2, true],
        [15, 28, 'apps/web.yaml', 'deploy/apps/web.yaml', 'deploy', 'referrer', 'gitignore', 'exact', 2, 1, false],
      ]);
    });
  });

  it('reads every pattern of a .dockerignore from its folder, the build context: no / needed', () => {
    const tree = workspaceOf('build/hack/tools.go', 'build/docs/index.md', 'build/README.md', 'build/main.go');
    const text = '# not sent to the daemon\nhack\n/docs/\n**/*.md\n!README.md\n.git\n';
    const { refs } = ignoreFileExtractor('build/.dockerignore')!({ path: 'build/.dockerignore', text, kind: 'other' }, tree);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.target, ref.base, ref.kind, ref.line]), [
      [25, 29, 'hack', 'build/hack', 'build', 'dockerignore', 2],
      [31, 35, 'docs', 'build/docs', 'build', 'dockerignore', 3],
      [46, 55, 'README.md', 'build/README.md', 'build', 'dockerignore', 5],
    ]);
    assert.equal(ignoreFileExtractor('build/Dockerfile'), undefined);
  });
});
