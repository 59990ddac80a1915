import { strict as assert } from 'node:assert';
import { extractManifestComments, extractYaml } from '../../../../src/core/refs/yaml';
import { Extraction, FileKind, WorkspaceView } from '../../../../src/core/types';

const workspace: WorkspaceView = { stat: (path) => (path === 'scripts/deploy.sh' ? 'file' : undefined) };

function extract(path: string, text: string, kind: FileKind = 'yaml'): Extraction {
  const result = extractYaml({ path, text, kind }, workspace);
  for (const found of [...result.refs, ...result.review]) assert.equal(text.slice(found.start, found.end), found.text);
  return result;
}

const kinds = (result: Extraction) => result.refs.map((ref) => `${ref.kind} ${ref.text}`);

describe('yaml', () => {
  it('hands kustomization files to the kustomization extractor', () => {
    assert.deepEqual(kinds(extract('a/kustomization.yaml', 'resources: [x.yaml]\n')), ['kustomize.resources x.yaml']);
    assert.deepEqual(kinds(extract('a/Kustomization', 'resources: [x.yaml]\n', 'kustomization')), ['kustomize.resources x.yaml']);
  });

  it('dispatches each document of a stream by apiVersion and kind', () => {
    const text = [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'spec: {path: ./apps/prod}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'data: {path: ./not/a/reference}',
      '---',
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'spec: {source: {path: apps/web}}',
      '---',
      'apiVersion: skaffold/v4beta6',
      'kind: Config',
      'manifests: {rawYaml: [k8s/app.yaml]}',
      '',
    ].join('\n');
    const result = extract('clusters/prod/all.yaml', text, 'flux');
    assert.deepEqual(kinds(result), ['flux.path ./apps/prod', 'argocd.path apps/web', 'skaffold.manifests.rawYaml k8s/app.yaml']);
    assert.deepEqual(result.refs.map((ref) => ref.target), ['apps/prod', 'apps/web', 'clusters/prod/k8s/app.yaml']);
  });

  it('dispatches by file name: workflows, composite actions, GitLab CI, compose and Chart.yaml', () => {
    assert.deepEqual(kinds(extract('.github/workflows/ci.yml', 'jobs:\n  a:\n    steps:\n      - uses: ./.github/actions/x\n')), [
      'github.uses ./.github/actions/x',
    ]);
    assert.deepEqual(kinds(extract('.github/actions/x/action.yaml', 'runs:\n  steps:\n    - run: bash scripts/deploy.sh\n')), [
      'github.run.path scripts/deploy.sh',
    ]);
    assert.deepEqual(kinds(extract('.gitlab-ci.yml', 'include: /ci/base.yml\n')), ['gitlab.include /ci/base.yml']);
    assert.deepEqual(kinds(extract('deploy/compose.prod.yaml', 'services:\n  a:\n    build: ./a\n')), ['compose.build.context ./a']);
    assert.deepEqual(kinds(extract('c/Chart.yaml', 'dependencies:\n  - repository: file://../lib\n')), ['helm.dependency ../lib']);
  });

  it('trusts the inventory kind for a file with an unusual name', () => {
    assert.deepEqual(kinds(extract('ci/pipeline.yml', 'include: /ci/base.yml\n', 'gitlab-ci')), ['gitlab.include /ci/base.yml']);
  });

  it('finds nothing in plain Kubernetes objects and values files', () => {
    const result = extract('apps/web/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: {}\n', 'kubernetes');
    assert.deepEqual(result, { refs: [], review: [], problems: [] });
  });

  it('yields a Problem and no references for a file with a syntax error', () => {
    const text = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  path: ./apps\n  sourceRef: {kind: GitRepository\n';
    const result = extract('clusters/flux.yaml', text, 'flux');
    assert.deepEqual(result.refs, []);
    assert.deepEqual(result.review, []);
    assert.ok(result.problems.length > 0);
    assert.deepEqual(
      result.problems.map((problem) => [problem.file, problem.severity]),
      result.problems.map(() => ['clusters/flux.yaml', 'error']),
    );
    assert.equal(result.problems[0].line, 6);
  });

  it('keeps offsets exact in a CRLF file with a BOM', () => {
    const text = '\uFEFFapiVersion: argoproj.io/v1alpha1\r\nkind: Application\r\nspec:\r\n  source:\r\n    path: "apps/web"\r\n';
    const [ref] = extract('argo/app.yaml', text, 'argocd').refs;
    assert.deepEqual([ref.start, ref.end, ref.text, ref.line, ref.column], [83, 91, 'apps/web', 5, 12]);
  });
  it('reads a path-like word in a full-line comment as a probable yaml.comment reference, not one inside a block scalar', () => {
    const text = [
      '# Run scripts/deploy.sh (see https://x.y/scripts/deploy.sh) after editing.',
      'services:',
      '  web:',
      '    command: |',
      '      # scripts/deploy.sh',
      '  # missing/file.sh',
      '',
    ].join('\n');
    const result = extract('compose.yaml', text, 'compose');
    assert.deepEqual(result.refs.map((ref) => [ref.line, ref.kind, ref.text, ref.target, ref.base, ref.confidence]), [
      [1, 'yaml.comment', 'scripts/deploy.sh', 'scripts/deploy.sh', '', 'probable'],
    ]);
    assert.deepEqual(result.review, []);
  });

  it('reads the comment lines of a plain Kubernetes manifest without parsing it', () => {
    const text = '# Apply with: kubectl apply -f scripts/deploy.sh\napiVersion: v1\nkind: ConfigMap\ndata: {a: scripts/deploy.sh}\n';
    const result = extractManifestComments({ path: 'k8s/cm.yaml', text, kind: 'kubernetes' }, workspace);
    assert.deepEqual(result.refs.map((ref) => [ref.line, ref.kind, ref.text, ref.target]), [[1, 'yaml.comment', 'scripts/deploy.sh', 'scripts/deploy.sh']]);
  });

  it('reads an MkDocs config: nav pages and theme assets in docs_dir, custom_dir beside the file, not URLs', () => {
    const text = [
      'docs_dir: site',
      'theme:',
      '  logo: assets/logo.png',
      '  custom_dir: overrides',
      'extra_css: [assets/x.css]',
      'nav:',
      '  - Home: index.md',
      '  - Guide:',
      '    - Start: guide/start.md',
      '  - Issues: https://example.com/issues',
      '',
    ].join('\n');
    const files = new Set(['web/site/index.md', 'web/site/guide/start.md', 'web/site/assets/logo.png', 'web/overrides/main.html']);
    const folders = new Set(['web', 'web/site', 'web/site/guide', 'web/site/assets', 'web/overrides']);
    const result = extractYaml({ path: 'web/mkdocs.yml', text, kind: 'yaml' }, { stat: (path) => (files.has(path) ? 'file' : folders.has(path) ? 'directory' : undefined) });
    assert.deepEqual(result.refs.map((ref) => [ref.kind, ref.text, ref.target, ref.base, ref.baseRule]), [
      ['mkdocs.docsDir', 'site', 'web/site', 'web', 'referrer'],
      ['mkdocs.customDir', 'overrides', 'web/overrides', 'web', 'referrer'],
      ['mkdocs.theme', 'assets/logo.png', 'web/site/assets/logo.png', 'web/site', 'fixed'],
      ['mkdocs.nav', 'index.md', 'web/site/index.md', 'web/site', 'fixed'],
      ['mkdocs.nav', 'guide/start.md', 'web/site/guide/start.md', 'web/site', 'fixed'],
    ]);
  });
});
