import { strict as assert } from 'node:assert';
import { extractKustomization, isKustomizationFile, isKustomizeComponent, isKustomizeConfig } from '../../../../src/core/refs/kustomize';
import { Extraction, Reference, WorkspaceView } from '../../../../src/core/types';

/** A workspace holding `files` and the folders above them. */
function workspaceOf(...files: string[]): WorkspaceView {
  const folders = new Set(files.flatMap((file) => file.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return { stat: (path) => (files.includes(path) ? 'file' : folders.has(path) ? 'directory' : undefined) };
}

function extract(text: string, path = 'apps/web/kustomization.yaml', workspace: WorkspaceView = workspaceOf()): Extraction {
  return extractKustomization({ path, text, kind: 'kustomization' }, workspace);
}

/** The fields a test cares about, checking on the way that `text` is exactly the referenced slice. */
function brief(text: string, ref: Reference) {
  assert.equal(text.slice(ref.start, ref.end), ref.text);
  return { start: ref.start, end: ref.end, text: ref.text, target: ref.target, kind: ref.kind, confidence: ref.confidence };
}

describe('kustomize', () => {
  it('finds resources (files and folders) relative to the kustomization folder', () => {
    const text = 'resources:\n  - deployment.yaml\n  - ../../base\n  - ./svc/\n';
    const result = extract(text);
    assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
      { start: 15, end: 30, text: 'deployment.yaml', target: 'apps/web/deployment.yaml', kind: 'kustomize.resources', confidence: 'exact' },
      { start: 35, end: 45, text: '../../base', target: 'base', kind: 'kustomize.resources', confidence: 'exact' },
      { start: 50, end: 56, text: './svc/', target: 'apps/web/svc', kind: 'kustomize.resources', confidence: 'exact' },
    ]);
    const first = result.refs[0];
    assert.deepEqual(
      [first.from, first.line, first.column, first.base, first.baseRule, first.glob, first.generatorKey],
      ['apps/web/kustomization.yaml', 2, 5, 'apps/web', 'referrer', undefined, undefined],
    );
    assert.deepEqual(result.review, []);
    assert.deepEqual(result.problems, []);
  });

  it('finds bases, components, configurations, crds, generators, transformers and validators', () => {
    const text = [
      'bases: [../b]',
      'components: [../c]',
      'configurations: [conf.yaml]',
      'crds: [crd.json]',
      'generators: [gen.yaml]',
      'transformers: [tr.yaml]',
      'validators: [val.yaml]',
      '',
    ].join('\n');
    const result = extract(text, 'k/kustomization.yml');
    assert.deepEqual(
      result.refs.map((ref) => [ref.kind, ref.text, ref.target, text.slice(ref.start, ref.end)]),
      [
        ['kustomize.bases', '../b', 'b', '../b'],
        ['kustomize.components', '../c', 'c', '../c'],
        ['kustomize.configurations', 'conf.yaml', 'k/conf.yaml', 'conf.yaml'],
        ['kustomize.crds', 'crd.json', 'k/crd.json', 'crd.json'],
        ['kustomize.generators', 'gen.yaml', 'k/gen.yaml', 'gen.yaml'],
        ['kustomize.transformers', 'tr.yaml', 'k/tr.yaml', 'tr.yaml'],
        ['kustomize.validators', 'val.yaml', 'k/val.yaml', 'val.yaml'],
      ],
    );
  });

  it('keeps inline generator and transformer configs out', () => {
    const text = 'transformers:\n  - |-\n    apiVersion: builtin\n    kind: LabelTransformer\n  - labels.yaml\n';
    const result = extract(text, 'kustomization.yaml');
    assert.deepEqual(result.refs.map((ref) => [ref.start, ref.text, ref.target]), [[76, 'labels.yaml', 'labels.yaml']]);
  });

  it('finds patches[].path and patchesJson6902[].path but not inline patches', () => {
    const text = [
      'patches:',
      '  - path: patch-replicas.yaml',
      '    target: {kind: Deployment}',
      '  - patch: |-',
      '      - op: remove',
      '        path: /spec/x',
      'patchesJson6902:',
      '  - target: {kind: Service}',
      '    path: "json/ports.yaml"',
      '',
    ].join('\n');
    const result = extract(text, 'o/kustomization.yaml');
    assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
      { start: 19, end: 38, text: 'patch-replicas.yaml', target: 'o/patch-replicas.yaml', kind: 'kustomize.patches', confidence: 'exact' },
      { start: 181, end: 196, text: 'json/ports.yaml', target: 'o/json/ports.yaml', kind: 'kustomize.patchesJson6902', confidence: 'exact' },
    ]);
  });

  it('finds a bare path written as a patches entry, but not an inline patch string', () => {
    const text = 'patches:\n- overlays/guestbook-deployment.yaml\n- "apiVersion: v1\\nkind: Service"\n';
    const result = extract(text, 'plugins/kustomized-helm/kustomization.yaml');
    assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
      {
        start: 11, end: 45, text: 'overlays/guestbook-deployment.yaml',
        target: 'plugins/kustomized-helm/overlays/guestbook-deployment.yaml', kind: 'kustomize.patches', confidence: 'exact',
      },
    ]);
  });

  it('finds patchesStrategicMerge paths and ignores inline patches', () => {
    const text = [
      'patchesStrategicMerge:',
      '  - memory.yaml',
      '  - |-',
      '    apiVersion: apps/v1',
      '    kind: Deployment',
      '  - "apiVersion: v1\\nkind: Service"',
      '  - \'cpu.yaml\'',
      '',
    ].join('\n');
    const result = extract(text, 'kustomization.yaml');
    assert.deepEqual(result.refs.map((ref) => [ref.start, ref.end, ref.text, ref.kind]), [
      [27, 38, 'memory.yaml', 'kustomize.patchesStrategicMerge'],
      [132, 140, 'cpu.yaml', 'kustomize.patchesStrategicMerge'],
    ]);
    assert.deepEqual(result.review, []);
  });

  it('finds generator files with and without a key, envs and env', () => {
    const text = [
      'configMapGenerator:',
      '  - name: dashboards',
      '    files:',
      '      - dashboards/overview.json',
      '      - alerts.yaml=rules/alerts-v2.yaml',
      '    envs: [app.env]',
      'secretGenerator:',
      '  - name: creds',
      '    env: secret.env',
      '    files: ["tls.crt=certs/server.crt"]',
      '',
    ].join('\n');
    const result = extract(text, 'mon/kustomization.yaml');
    assert.deepEqual(result.refs.map((ref) => [...Object.values(brief(text, ref)), ref.generatorKey]), [
      [60, 84, 'dashboards/overview.json', 'mon/dashboards/overview.json', 'kustomize.configMapGenerator.files', 'exact', 'overview.json'],
      [105, 125, 'rules/alerts-v2.yaml', 'mon/rules/alerts-v2.yaml', 'kustomize.configMapGenerator.files', 'exact', undefined],
      [137, 144, 'app.env', 'mon/app.env', 'kustomize.configMapGenerator.envs', 'exact', undefined],
      [220, 236, 'certs/server.crt', 'mon/certs/server.crt', 'kustomize.secretGenerator.files', 'exact', undefined],
      [188, 198, 'secret.env', 'mon/secret.env', 'kustomize.secretGenerator.env', 'exact', undefined],
    ]);
  });

  it('finds replacements, openapi and the helm fields', () => {
    const text = [
      'replacements:',
      '  - path: repl/image.yaml',
      'openapi:',
      '  path: schema.json',
      'helmCharts:',
      '  - name: redis',
      '    valuesFile: values/redis.yaml',
      '    additionalValuesFiles: [values/extra.yaml]',
      'helmChartInflationGenerator:',
      '  - chartName: old',
      '    chartHome: ../charts',
      '    values: values/old.yaml',
      'helmGlobals:',
      '  chartHome: ../../vendor/charts',
      '',
    ].join('\n');
    const result = extract(text, 'a/b/kustomization.yaml');
    assert.deepEqual(result.refs.map((ref) => [ref.kind, ref.text, ref.target, text.slice(ref.start, ref.end)]), [
      ['kustomize.replacements', 'repl/image.yaml', 'a/b/repl/image.yaml', 'repl/image.yaml'],
      ['kustomize.openapi', 'schema.json', 'a/b/schema.json', 'schema.json'],
      ['kustomize.helmCharts.valuesFile', 'values/redis.yaml', 'a/b/values/redis.yaml', 'values/redis.yaml'],
      ['kustomize.helmCharts.additionalValuesFiles', 'values/extra.yaml', 'a/b/values/extra.yaml', 'values/extra.yaml'],
      ['kustomize.helmChartInflationGenerator.chartHome', '../charts', 'a/charts', '../charts'],
      ['kustomize.helmChartInflationGenerator.values', 'values/old.yaml', 'a/b/values/old.yaml', 'values/old.yaml'],
      ['kustomize.helmGlobals.chartHome', '../../vendor/charts', 'vendor/charts', '../../vendor/charts'],
    ]);
  });

  it('ignores remote URLs and absolute paths', () => {
    const text = [
      'resources:',
      '  - https://github.com/org/repo/deploy?ref=v1',
      '  - http://example.com/x.yaml',
      '  - git@github.com:org/repo.git//deploy',
      '  - ssh://git@github.com/org/repo//x',
      '  - github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v1.0.6',
      '  - gitlab.com/org/repo/base',
      '  - org/repo//base',
      '  - /etc/manifests/x.yaml',
      '  - local.yaml',
      '',
    ].join('\n');
    assert.deepEqual(extract(text, 'kustomization.yaml').refs.map((ref) => ref.text), ['local.yaml']);
  });

  it('gives exact ranges in flow sequences with quotes', () => {
    const text = "resources: [a.yaml, \"b dir/c.yaml\", 'd.yaml']\n";
    assert.deepEqual(extract(text, 'kustomization.yaml').refs.map((ref) => [ref.start, ref.end, ref.text]), [
      [12, 18, 'a.yaml'],
      [21, 33, 'b dir/c.yaml'],
      [37, 43, 'd.yaml'],
    ]);
  });

  it('keeps exact offsets with a BOM and CRLF line endings', () => {
    const text = '\uFEFFapiVersion: kustomize.config.k8s.io/v1beta1\r\nresources:\r\n  - ../base\r\n  - "svc.yaml"\r\n  # - old.yaml\r\n';
    const refs = extract(text, 'ov/Kustomization', workspaceOf('ov/old.yaml')).refs;
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.line, ref.column, ref.target]), [
      [62, 69, '../base', 3, 5, 'base'],
      [76, 84, 'svc.yaml', 4, 6, 'ov/svc.yaml'],
      [93, 101, 'old.yaml', 5, 7, 'ov/old.yaml'],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('reports invalid YAML as a problem and yields no references', () => {
    const text = 'resources:\n  - a.yaml\n  - [b.yaml\n';
    const result = extract(text, 'x/kustomization.yaml');
    assert.deepEqual(result.refs, []);
    assert.ok(result.problems.length > 0);
    assert.equal(result.problems[0].file, 'x/kustomization.yaml');
    assert.equal(result.problems[0].severity, 'error');
    assert.equal(result.problems[0].line, 4);
  });

  it('reviews templated paths instead of guessing', () => {
    const text = 'resources:\n  - ../envs/${ENV}/app\n';
    const result = extract(text, 'k/kustomization.yaml');
    assert.deepEqual(result.refs, []);
    assert.deepEqual(result.review, [
      {
        file: 'k/kustomization.yaml',
        start: 15,
        end: 33,
        line: 2,
        column: 5,
        text: '../envs/${ENV}/app',
        kind: 'kustomize.resources',
        reason: 'The path is built from a variable or template, so it cannot be rewritten statically.',
        target: 'envs',
      },
    ]);
  });

  describe('commented-out entries', () => {
    const workspace = workspaceOf('base/kustomization.yaml', 'ov/old.yaml', 'ov/p.yaml', 'ov/conf.env');

    it('are probable references when they resolve to something that exists', () => {
      const text = [
        'resources:',
        '  # - ../base',
        '  #- old.yaml',
        '  # - gone.yaml',
        '  # - https://github.com/org/repo?ref=v1',
        '  - now.yaml',
        'patches:',
        '  #- path: p.yaml',
        'configMapGenerator:',
        '  - name: c',
        '    files:',
        '    # - key=conf.env',
        '',
      ].join('\n');
      const result = extract(text, 'ov/kustomization.yaml', workspace);
      assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
        { start: 100, end: 108, text: 'now.yaml', target: 'ov/now.yaml', kind: 'kustomize.resources', confidence: 'exact' },
        { start: 17, end: 24, text: '../base', target: 'base', kind: 'kustomize.commented', confidence: 'probable' },
        { start: 30, end: 38, text: 'old.yaml', target: 'ov/old.yaml', kind: 'kustomize.commented', confidence: 'probable' },
        { start: 129, end: 135, text: 'p.yaml', target: 'ov/p.yaml', kind: 'kustomize.commented', confidence: 'probable' },
        { start: 191, end: 199, text: 'conf.env', target: 'ov/conf.env', kind: 'kustomize.commented', confidence: 'probable' },
      ]);
      assert.equal(result.refs[1].baseRule, 'referrer');
    });

    it('count below a commented-out field name too, but not below unrelated fields', () => {
      const text = ['# resources:', '# - old.yaml', 'commonLabels:', '  # - p.yaml', '  app: x', ''].join('\n');
      const result = extract(text, 'ov/kustomization.yaml', workspace);
      assert.deepEqual(result.refs.map((ref) => [ref.start, ref.text, ref.kind]), [[17, 'old.yaml', 'kustomize.commented']]);
    });

    it('inside a block scalar are content, not comments', () => {
      const text = 'patchesStrategicMerge:\n  - |-\n    # - old.yaml\n    kind: X\n';
      assert.deepEqual(extract(text, 'ov/kustomization.yaml', workspace).refs, []);
    });
  });

  it('reads a Flux Kustomization saved as kustomization.yaml as a GitOps document, not as kustomize fields', () => {
    const text = [
      '# - ../base',
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'spec:',
      '  path: ./infrastructure/overlays/prod',
      '  sourceRef: {kind: GitRepository, name: repo}',
      '  resources: [not-a-kustomize-field.yaml]',
      '',
    ].join('\n');
    const result = extract(text, 'ci/flux/kustomization.yaml', workspaceOf('base/kustomization.yaml'));
    assert.deepEqual(result.refs.map((ref) => brief(text, ref)), [
      { start: 89, end: 119, text: './infrastructure/overlays/prod', target: 'infrastructure/overlays/prod', kind: 'flux.path', confidence: 'exact' },
    ]);
    assert.equal(isKustomizeConfig(text), false);
    assert.equal(isKustomizeConfig('resources: [a.yaml]\n'), true);
    assert.equal(isKustomizeConfig('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'), true);
  });

  it('recognizes kustomization file names and components', () => {
    assert.equal(isKustomizationFile('a/kustomization.yaml'), true);
    assert.equal(isKustomizationFile('a/kustomization.yml'), true);
    assert.equal(isKustomizationFile('Kustomization'), true);
    assert.equal(isKustomizationFile('a/my-kustomization.yaml'), false);
    assert.equal(isKustomizeComponent('apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n'), true);
    assert.equal(isKustomizeComponent('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'), false);
    assert.equal(isKustomizeComponent('resources: [a'), false);
  });
});
