import { strict as assert } from 'node:assert';
import { extractGitOpsDocument, isTektonGroup, resourceType } from '../../../../src/core/refs/gitops';
import { RefCollector } from '../../../../src/core/refs/yamlRefs';
import { parseYaml } from '../../../../src/core/refs/yamlSource';
import { Extraction, Reference, WorkspaceView } from '../../../../src/core/types';

/** A workspace holding `files` and the folders above them. */
function workspaceOf(...files: string[]): WorkspaceView {
  const folders = new Set(files.flatMap((file) => file.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return { stat: (path) => (files.includes(path) ? 'file' : folders.has(path) ? 'directory' : undefined) };
}

function extract(text: string, workspace: WorkspaceView = workspaceOf(), path = 'clusters/prod/apps.yaml'): Extraction & { handled: boolean[] } {
  const parsed = parseYaml(path, text);
  assert.deepEqual(parsed.problems, []);
  const collector = new RefCollector(path, text, parsed.lines, workspace);
  const handled = parsed.documents.map((document) => extractGitOpsDocument(collector, document.contents));
  for (const found of [...collector.extraction.refs, ...collector.extraction.review]) {
    assert.equal(text.slice(found.start, found.end), found.text);
    assert.deepEqual(parsed.lines.position(found.start), { line: found.line, column: found.column });
  }
  return { ...collector.extraction, handled };
}

function brief(text: string, ref: Reference) {
  assert.equal(text.slice(ref.start, ref.end), ref.text);
  return { start: ref.start, end: ref.end, text: ref.text, target: ref.target, kind: ref.kind, confidence: ref.confidence };
}

const TEMPLATE_REASON = 'The path is built from a variable or template, so it cannot be rewritten statically.';

describe('gitops', () => {
  it('reads the API group and kind of a document', () => {
    const root = parseYaml('f', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\n').documents[0].contents;
    assert.deepEqual(resourceType(root), { group: 'argoproj.io', kind: 'Application' });
    assert.deepEqual(resourceType(parseYaml('f', 'apiVersion: v1\nkind: ConfigMap\n').documents[0].contents), { group: '', kind: 'ConfigMap' });
    assert.equal(resourceType(parseYaml('f', 'a: 1\n').documents[0].contents), undefined);
    assert.equal(isTektonGroup('triggers.tekton.dev'), true);
    assert.equal(isTektonGroup('tekton.dev'), true);
    assert.equal(isTektonGroup('notekton.dev'), false);
  });

  it('leaves other documents to other readers', () => {
    const result = extract('apiVersion: apps/v1\nkind: Deployment\nspec:\n  path: ./x\n');
    assert.deepEqual(result.handled, [false]);
    assert.deepEqual(result.refs, []);
  });

  describe('Flux ArtifactGenerator', () => {
    it('reads copy[].from after a GitRepository alias as a repo-root glob, and leaves other sources alone', () => {
      const text = [
        'apiVersion: source.extensions.fluxcd.io/v1beta1',
        'kind: ArtifactGenerator',
        'spec:',
        '  sources:',
        '    - {alias: monorepo, kind: GitRepository, name: flux-system}',
        '    - {alias: charts, kind: OCIRepository, name: charts}',
        '  artifacts:',
        '    - name: apps',
        '      copy:',
        '        - from: "@monorepo/apps/base/**"',
        '          to: "@artifact/"',
        '        - from: "@charts/podinfo/**"',
        '          to: "@artifact/charts/"',
        '',
      ].join('\n');
      const result = extract(text, workspaceOf('apps/base/kustomization.yaml'));
      assert.deepEqual(result.handled, [true]);
      assert.deepEqual(result.refs.map((ref) => ({ ...brief(text, ref), glob: ref.glob, base: ref.base, baseRule: ref.baseRule })), [
        { start: 279, end: 291, text: 'apps/base/**', target: 'apps/base', kind: 'flux.artifactCopy', confidence: 'exact', glob: true, base: '', baseRule: 'fixed' },
      ]);
      assert.deepEqual(result.review, []);
    });
  });

  describe('Flux Kustomization', () => {
    it('spec.path is repo-root based and keeps the ./ prefix in its range', () => {
      const text = [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'spec:',
        '  path: ./infrastructure/controllers',
        '  sourceRef:',
        '    kind: GitRepository',
        '    name: flux-system',
        '',
      ].join('\n');
      const result = extract(text);
      assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
        { start: 77, end: 105, text: './infrastructure/controllers', target: 'infrastructure/controllers', kind: 'flux.path', confidence: 'exact' },
      ]);
      assert.deepEqual([result.refs[0].base, result.refs[0].baseRule, result.refs[0].line, result.refs[0].column], ['', 'fixed', 4, 9]);
    });

    it('spec.components resolve against the spec.path folder', () => {
      const text = [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'spec:',
        '  path: ./apps/prod',
        '  components: [../components/ha]',
        '',
      ].join('\n');
      const refs = extract(text).refs;
      assert.deepEqual(refs.map((ref) => [...Object.values(brief(text, ref)), ref.base, ref.baseRule]), [
        [77, 88, './apps/prod', 'apps/prod', 'flux.path', 'exact', '', 'fixed'],
        [104, 120, '../components/ha', 'apps/components/ha', 'flux.components', 'exact', 'apps/prod', 'fixed'],
      ]);
    });

    it('treats an absent sourceRef kind as a GitRepository and reads every document', () => {
      const text = [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1beta2',
        'kind: Kustomization',
        'spec: {path: "apps/base"}',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'spec:',
        '  path: clusters/staging',
        '',
      ].join('\n');
      const result = extract(text);
      assert.deepEqual(result.handled, [true, true]);
      assert.deepEqual(result.refs.map((ref) => [ref.start, ref.end, ref.text, ref.target]), [
        [82, 91, 'apps/base', 'apps/base'],
        [175, 191, 'clusters/staging', 'clusters/staging'],
      ]);
    });

    it('reviews a path inside an OCI artifact or a bucket instead of referencing it', () => {
      const text = [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'spec:',
        '  path: ./deploy',
        '  sourceRef: {kind: OCIRepository, name: podinfo}',
        '',
      ].join('\n');
      const result = extract(text);
      assert.deepEqual(result.refs, []);
      assert.deepEqual(result.review, [
        {
          file: 'clusters/prod/apps.yaml',
          start: 77,
          end: 85,
          line: 4,
          column: 9,
          text: './deploy',
          kind: 'flux.path',
          reason: "The path is relative to the OCIRepository podinfo artifact, not to this repository's tree.",
        },
      ]);
    });

    it('reviews a path with ${…} substitutions', () => {
      const text = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  path: ./clusters/${CLUSTER}/apps\n';
      const result = extract(text);
      assert.deepEqual(result.refs, []);
      assert.deepEqual(result.review.map((item) => [item.start, item.end, item.text, item.kind, item.reason, item.target]), [
        [77, 103, './clusters/${CLUSTER}/apps', 'flux.path', TEMPLATE_REASON, 'clusters'],
      ]);
    });
  });

  describe('Flux HelmRelease', () => {
    it('references a chart path and values files from a GitRepository', () => {
      const text = [
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'spec:',
        '  chart:',
        '    spec:',
        '      chart: ./charts/podinfo',
        '      sourceRef: {kind: GitRepository, name: repo}',
        '      valuesFiles: [charts/podinfo/values-prod.yaml]',
        '',
      ].join('\n');
      assert.deepEqual(extract(text).refs.map((ref) => brief(text, ref)), [
        { start: 94, end: 110, text: './charts/podinfo', target: 'charts/podinfo', kind: 'flux.helmChart', confidence: 'exact' },
        { start: 182, end: 213, text: 'charts/podinfo/values-prod.yaml', target: 'charts/podinfo/values-prod.yaml', kind: 'flux.helmValuesFiles', confidence: 'exact' },
      ]);
    });

    it('ignores a chart name from a HelmRepository', () => {
      const text = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  chart:\n    spec:\n      chart: podinfo/podinfo\n      sourceRef: {kind: HelmRepository, name: podinfo}\n';
      assert.deepEqual(extract(text).refs, []);
    });
  });

  describe('Argo CD', () => {
    it('Application spec.source.path and spec.sources[].path are root based; helm valueFiles follow the path', () => {
      const text = [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'spec:',
        '  source:',
        '    repoURL: https://github.com/org/repo.git',
        '    path: apps/web/overlays/prod',
        '    helm:',
        '      valueFiles: [values-prod.yaml, $values/shared.yaml]',
        '  sources:',
        "    - path: 'charts/api'",
        '    - chart: redis',
        '',
      ].join('\n');
      const result = extract(text);
      assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
        { start: 122, end: 144, text: 'apps/web/overlays/prod', target: 'apps/web/overlays/prod', kind: 'argocd.path', confidence: 'exact' },
        { start: 174, end: 190, text: 'values-prod.yaml', target: 'apps/web/overlays/prod/values-prod.yaml', kind: 'argocd.helm.valueFiles', confidence: 'exact' },
        { start: 237, end: 247, text: 'charts/api', target: 'charts/api', kind: 'argocd.path', confidence: 'exact' },
      ]);
      assert.deepEqual([result.refs[1].base, result.refs[1].baseRule], ['apps/web/overlays/prod', 'fixed']);
      assert.deepEqual(result.review.map((item) => [item.start, item.text, item.kind]), [[192, '$values/shared.yaml', 'argocd.helm.valueFiles']]);
    });

    it('kustomize components of a source resolve against its path', () => {
      const text = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    path: apps/prod\n    kustomize:\n      components: [../components/ha]\n';
      assert.deepEqual(extract(text).refs.map((ref) => [...Object.values(brief(text, ref)), ref.base]), [
        [77, 86, 'apps/prod', 'apps/prod', 'argocd.path', 'exact', ''],
        [121, 137, '../components/ha', 'apps/components/ha', 'argocd.kustomize.components', 'exact', 'apps/prod'],
      ]);
    });

    it('ApplicationSet templated paths are reviewed; git generator paths are glob references', () => {
      const text = [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: ApplicationSet',
        'spec:',
        '  generators:',
        '    - git:',
        '        directories:',
        "          - path: 'apps/*/overlays/prod'",
        '          - path: apps/legacy',
        '            exclude: true',
        '    - matrix:',
        '        generators:',
        '          - git:',
        '              files: [{path: "config/**/cluster.json"}]',
        '  template:',
        '    spec:',
        '      source:',
        "        path: '{{.path.path}}'",
        '',
      ].join('\n');
      const result = extract(text);
      assert.deepEqual(result.refs.map((ref) => [...Object.values(brief(text, ref)), ref.glob]), [
        [125, 145, 'apps/*/overlays/prod', 'apps', 'argocd.generator.directories', 'exact', true],
        [165, 176, 'apps/legacy', 'apps/legacy', 'argocd.generator.directories', 'exact', undefined],
        [284, 306, 'config/**/cluster.json', 'config', 'argocd.generator.files', 'exact', true],
      ]);
      assert.deepEqual(result.review.map((item) => [item.start, item.end, item.text, item.kind, item.reason, item.line]), [
        [361, 375, '{{.path.path}}', 'argocd.path', TEMPLATE_REASON, 17],
      ]);
    });
  });

  describe('Tekton', () => {
    const workspace = workspaceOf('ci/tasks/build.yaml', 'infra/deploy.sh', 'apps/web/kustomization.yaml');

    it('git resolver pathInRepo is a root-based exact reference', () => {
      const text = [
        'apiVersion: tekton.dev/v1',
        'kind: PipelineRun',
        'spec:',
        '  pipelineRef:',
        '    resolver: git',
        '    params:',
        '      - name: url',
        '        value: https://github.com/org/repo',
        '      - name: pathInRepo',
        '        value: ci/tasks/build.yaml',
        '',
      ].join('\n');
      const result = extract(text, workspace);
      assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
        { start: 196, end: 215, text: 'ci/tasks/build.yaml', target: 'ci/tasks/build.yaml', kind: 'tekton.pathInRepo', confidence: 'exact' },
      ]);
      assert.deepEqual([result.refs[0].base, result.refs[0].baseRule], ['', 'fixed']);
    });

    it('Pipelines-as-Code pipeline and task annotations name repository files from the root; hub names and URLs are not paths', () => {
      const text = [
        'apiVersion: tekton.dev/v1',
        'kind: PipelineRun',
        'metadata:',
        '  annotations:',
        '    pipelinesascode.tekton.dev/pipeline: "ci/tasks/build.yaml"',
        '    pipelinesascode.tekton.dev/task: "[git-clone, infra/deploy.sh, https://example.com/t.yaml]"',
        '    pipelinesascode.tekton.dev/task-1: missing/task.yaml',
        '    other.dev/pipeline: ci/tasks/build.yaml',
        '',
      ].join('\n');
      const result = extract(text, workspace);
      assert.deepEqual(
        result.refs.map((ref) => [ref.text, ref.target, ref.kind, ref.confidence, ref.base]),
        [
          ['ci/tasks/build.yaml', 'ci/tasks/build.yaml', 'tekton.pacAnnotation', 'exact', ''],
          ['infra/deploy.sh', 'infra/deploy.sh', 'tekton.pacAnnotation', 'exact', ''],
        ],
      );
    });

    it('$(workspaces.NAME.path)/sub/path is probable when it exists, reviewed when built from a parameter', () => {
      const text = [
        'apiVersion: tekton.dev/v1',
        'kind: Task',
        'spec:',
        '  steps:',
        '    - name: a',
        '      args: ["$(workspaces.source.path)/infra/deploy.sh", "$(workspaces.source.path)/missing/x"]',
        '      env:',
        '        - {name: DIR, value: "$(workspaces.source.path)/apps/$(params.app)/base"}',
        '',
      ].join('\n');
      const result = extract(text, workspace);
      assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
        { start: 106, end: 121, text: 'infra/deploy.sh', target: 'infra/deploy.sh', kind: 'tekton.workspacePath', confidence: 'probable' },
      ]);
      assert.deepEqual(result.review.map((item) => [item.start, item.end, item.text, item.kind, item.target]), [
        [230, 253, 'apps/$(params.app)/base', 'tekton.workspacePath', 'apps'],
      ]);
    });

    it('script blocks are scanned as shell from the step working folder, skipping other interpreters', () => {
      const text = [
        'apiVersion: tekton.dev/v1',
        'kind: Task',
        'spec:',
        '  steps:',
        '    - name: deploy',
        '      workingDir: $(workspaces.source.path)/apps',
        '      script: |',
        '        kubectl apply -k web',
        '    - name: root',
        '      script: "bash infra/deploy.sh"',
        '    - name: python',
        '      script: |',
        '        #!/usr/bin/env python3',
        '        open("infra/deploy.sh")',
        '',
      ].join('\n');
      const result = extract(text, workspace);
      assert.deepEqual(result.refs.map((ref) => [...Object.values(brief(text, ref)), ref.base]), [
        [115, 119, 'apps', 'apps', 'tekton.workspacePath', 'probable', ''],
        [161, 164, 'web', 'apps/web', 'tekton.script.path', 'probable', 'apps'],
        [202, 217, 'infra/deploy.sh', 'infra/deploy.sh', 'tekton.script.path', 'probable', ''],
      ]);
    });

    it('param values and defaults naming an existing path are probable references', () => {
      const text = [
        'apiVersion: tekton.dev/v1',
        'kind: Pipeline',
        'spec:',
        '  params:',
        '    - {name: overlay, default: apps/web}',
        '    - {name: mode, default: fast}',
        '    - {name: files, default: [infra/deploy.sh, none.sh]}',
        '  tasks:',
        '    - name: t',
        '      params:',
        '        - {name: dir, value: $(params.overlay)}',
        '',
      ].join('\n');
      const result = extract(text, workspace);
      assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
        { start: 88, end: 96, text: 'apps/web', target: 'apps/web', kind: 'tekton.param', confidence: 'probable' },
        { start: 162, end: 177, text: 'infra/deploy.sh', target: 'infra/deploy.sh', kind: 'tekton.param', confidence: 'probable' },
      ]);
      assert.deepEqual(result.review, []);
    });

    it('a workspace path inside a script is reported once', () => {
      const text = 'apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  steps:\n    - script: |\n        bash $(workspaces.src.path)/infra/deploy.sh\n';
      const result = extract(text, workspace);
      assert.deepEqual(result.refs.map((ref) => [ref.text, ref.kind]), [['infra/deploy.sh', 'tekton.workspacePath']]);
    });
  });
});
