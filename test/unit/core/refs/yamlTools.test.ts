import { strict as assert } from 'node:assert';
import { RefCollector } from '../../../../src/core/refs/yamlRefs';
import { parseYaml } from '../../../../src/core/refs/yamlSource';
import { extractCompose, extractHelmChart, extractSkaffold, isSkaffoldConfig } from '../../../../src/core/refs/yamlTools';
import { Extraction, Reference, WorkspaceView } from '../../../../src/core/types';

const noFiles: WorkspaceView = { stat: () => undefined };

function extract(reader: (collector: RefCollector, root: unknown, folder: string) => void, text: string, path: string): Extraction {
  const parsed = parseYaml(path, text);
  assert.deepEqual(parsed.problems, []);
  const collector = new RefCollector(path, text, parsed.lines, noFiles);
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  for (const document of parsed.documents) reader(collector, document.contents, folder);
  for (const found of [...collector.extraction.refs, ...collector.extraction.review]) {
    assert.equal(text.slice(found.start, found.end), found.text);
    assert.deepEqual(parsed.lines.position(found.start), { line: found.line, column: found.column });
  }
  return collector.extraction;
}

const row = (ref: Reference) => [ref.start, ref.end, ref.text, ref.target, ref.kind, ref.base, ref.baseRule, ref.glob ?? false];

describe('yamlTools', () => {
  describe('skaffold', () => {
    it('recognizes skaffold documents', () => {
      assert.equal(isSkaffoldConfig(parseYaml('s', 'apiVersion: skaffold/v4beta6\nkind: Config\n').documents[0].contents), true);
      assert.equal(isSkaffoldConfig(parseYaml('s', 'apiVersion: v1\nkind: Config\n').documents[0].contents), false);
    });

    it('finds manifests, deploy, build and requires paths relative to the skaffold folder', () => {
      const text = [
        'apiVersion: skaffold/v4beta6',
        'kind: Config',
        'requires:',
        '  - path: ../shared',
        'build:',
        '  artifacts:',
        '    - image: web',
        '      context: services/web',
        '      docker: {dockerfile: build/Dockerfile}',
        '    - image: api',
        '      docker: {dockerfile: api.Dockerfile}',
        'manifests:',
        '  kustomize:',
        '    paths: [k8s/overlays/dev]',
        '  rawYaml: ["k8s/raw/*.yaml"]',
        '  helm:',
        '    releases:',
        '      - chartPath: charts/web',
        '        valuesFiles: [charts/web/values-dev.yaml]',
        'deploy:',
        '  kustomize:',
        '    paths: [k8s/legacy]',
        '  kubectl:',
        '    manifests: [k8s/crds.yaml]',
        '',
      ].join('\n');
      assert.deepEqual(extract(extractSkaffold, text, 'dev/skaffold.yaml').refs.map(row), [
        [278, 294, 'k8s/overlays/dev', 'dev/k8s/overlays/dev', 'skaffold.manifests.kustomize', 'dev', 'referrer', false],
        [309, 323, 'k8s/raw/*.yaml', 'dev/k8s/raw', 'skaffold.manifests.rawYaml', 'dev', 'referrer', true],
        [461, 471, 'k8s/legacy', 'dev/k8s/legacy', 'skaffold.deploy.kustomize', 'dev', 'referrer', false],
        [500, 513, 'k8s/crds.yaml', 'dev/k8s/crds.yaml', 'skaffold.deploy.kubectl', 'dev', 'referrer', false],
        [367, 377, 'charts/web', 'dev/charts/web', 'skaffold.helm.chartPath', 'dev', 'referrer', false],
        [400, 426, 'charts/web/values-dev.yaml', 'dev/charts/web/values-dev.yaml', 'skaffold.helm.valuesFiles', 'dev', 'referrer', false],
        [124, 136, 'services/web', 'dev/services/web', 'skaffold.build.context', 'dev', 'referrer', false],
        [164, 180, 'build/Dockerfile', 'dev/services/web/build/Dockerfile', 'skaffold.build.dockerfile', 'dev/services/web', 'fixed', false],
        [226, 240, 'api.Dockerfile', 'dev/api.Dockerfile', 'skaffold.build.dockerfile', 'dev', 'referrer', false],
        [62, 71, '../shared', 'shared', 'skaffold.requires', 'dev', 'referrer', false],
      ]);
    });

    it('reads profiles and the JSON-patch values that replace a path field', () => {
      const text = [
        'apiVersion: skaffold/v4beta6',
        'kind: Config',
        'profiles:',
        '  - name: prod',
        '    manifests:',
        '      kustomize:',
        '        paths: [k8s/overlays/prod]',
        '    patches:',
        '      - op: replace',
        '        path: /build/artifacts/0/context',
        '        value: services/web-prod',
        '      - op: add',
        '        path: /manifests/rawYaml/-',
        '        value: k8s/extra/*.yaml',
        '      - op: replace',
        '        path: /build/artifacts/0/image',
        '        value: web/prod',
        '',
      ].join('\n');
      assert.deepEqual(extract(extractSkaffold, text, 'dev/skaffold.yaml').refs.map(row), [
        [115, 132, 'k8s/overlays/prod', 'dev/k8s/overlays/prod', 'skaffold.manifests.kustomize', 'dev', 'referrer', false],
        [223, 240, 'services/web-prod', 'dev/services/web-prod', 'skaffold.profilePatch', 'dev', 'referrer', false],
        [307, 323, 'k8s/extra/*.yaml', 'dev/k8s/extra', 'skaffold.profilePatch', 'dev', 'referrer', true],
      ]);
    });
  });

  describe('compose', () => {
    it('finds build contexts, Dockerfiles, bind mounts, env files, extends, configs, secrets and includes', () => {
      const text = [
        'services:',
        '  web:',
        '    build: ./web',
        '    env_file: [.env, "config/web.env"]',
        '    volumes:',
        '      - ./data/web:/var/lib/web:ro',
        '      - cache:/cache',
        '      - /var/run/docker.sock:/var/run/docker.sock',
        '      - ${CONFIG_DIR}/nginx.conf:/etc/nginx/nginx.conf',
        '      - type: bind',
        '        source: ../shared/certs',
        '        target: /certs',
        '  api:',
        '    build:',
        '      context: ../api',
        '      dockerfile: docker/Dockerfile.prod',
        '    env_file:',
        '      - path: api.env',
        '        required: false',
        '    extends: {file: common.yaml, service: base}',
        '  worker:',
        '    build:',
        '      context: https://github.com/org/worker.git#main',
        '      dockerfile: Dockerfile',
        'configs:',
        '  nginx: {file: ./nginx/nginx.conf}',
        'secrets:',
        '  tls: {file: certs/tls.crt}',
        'include:',
        '  - other/compose.yaml',
        '',
      ].join('\n');
      const result = extract(extractCompose, text, 'deploy/docker-compose.yml');
      assert.deepEqual(result.refs.map(row), [
        [28, 33, './web', 'deploy/web', 'compose.build.context', 'deploy', 'referrer', false],
        [94, 104, './data/web', 'deploy/data/web', 'compose.volume', 'deploy', 'referrer', false],
        [282, 297, '../shared/certs', 'shared/certs', 'compose.volume', 'deploy', 'referrer', false],
        [49, 53, '.env', 'deploy/.env', 'compose.env_file', 'deploy', 'referrer', false],
        [56, 70, 'config/web.env', 'deploy/config/web.env', 'compose.env_file', 'deploy', 'referrer', false],
        [354, 360, '../api', 'api', 'compose.build.context', 'deploy', 'referrer', false],
        [379, 401, 'docker/Dockerfile.prod', 'api/docker/Dockerfile.prod', 'compose.build.dockerfile', 'api', 'fixed', false],
        [430, 437, 'api.env', 'deploy/api.env', 'compose.env_file', 'deploy', 'referrer', false],
        [482, 493, 'common.yaml', 'deploy/common.yaml', 'compose.extends', 'deploy', 'referrer', false],
        [639, 657, './nginx/nginx.conf', 'deploy/nginx/nginx.conf', 'compose.configs.file', 'deploy', 'referrer', false],
        [682, 695, 'certs/tls.crt', 'deploy/certs/tls.crt', 'compose.secrets.file', 'deploy', 'referrer', false],
        [710, 728, 'other/compose.yaml', 'deploy/other/compose.yaml', 'compose.include', 'deploy', 'referrer', false],
      ]);
      assert.deepEqual(result.review.map((item) => [item.start, item.end, item.text, item.kind, item.line]), [
        [200, 224, '${CONFIG_DIR}/nginx.conf', 'compose.volume', 9],
      ]);
    });

    it('resolves a Dockerfile against a context that is the compose folder itself', () => {
      const text = 'services:\n  app:\n    build: {context: ., dockerfile: Dockerfile}\n';
      assert.deepEqual(extract(extractCompose, text, 'docker-compose.yml').refs.map(row), [
        [53, 63, 'Dockerfile', 'Dockerfile', 'compose.build.dockerfile', '', 'referrer', false],
      ]);
    });
  });

  describe('Helm Chart.yaml', () => {
    it('file:// dependencies are references relative to the chart folder; chart repositories are not', () => {
      const text = [
        'apiVersion: v2',
        'name: app',
        'dependencies:',
        '  - name: common',
        '    repository: file://../common',
        '  - name: redis',
        '    repository: https://charts.bitnami.com/bitnami',
        '  - name: local',
        '    repository: "file://charts/local"',
        '',
      ].join('\n');
      assert.deepEqual(extract(extractHelmChart, text, 'charts/app/Chart.yaml').refs.map(row), [
        [79, 88, '../common', 'charts/common', 'helm.dependency', 'charts/app', 'referrer', false],
        [196, 208, 'charts/local', 'charts/app/charts/local', 'helm.dependency', 'charts/app', 'referrer', false],
      ]);
    });
  });
});
