import { strict as assert } from 'node:assert';
import { extractTiltfile } from '../../../../src/core/refs/tiltfile';
import type { Extraction } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const TILTFILE = 'dev/Tiltfile';
const workspace = workspaceOf(
  TILTFILE,
  'infrastructure/kubernetes/overlays/dev/kustomization.yaml',
  'infrastructure/kubernetes/base/namespace.yaml',
  'services/api/Dockerfile',
  'services/api/app/main.py',
  'dev/values-dev.yaml',
);

function extract(text: string): Extraction {
  return extractTiltfile({ path: TILTFILE, text, kind: 'tiltfile' }, workspace);
}

describe('core/refs/tiltfile', () => {
  it('reports kustomize, k8s_yaml, docker_build and deps arguments relative to the Tiltfile folder', () => {
    const text = [
      "k8s_yaml(kustomize('../infrastructure/kubernetes/overlays/dev'))",
      'k8s_yaml(["../infrastructure/kubernetes/base/namespace.yaml", "../missing.yaml"])',
      "docker_build('registry/api', '../services/api', dockerfile='../services/api/Dockerfile',",
      "             live_update=[sync('../services/api/app', '/app')])",
      "local_resource('lint', cmd='ls ../services/api/app', deps=['../services/api/app/main.py'])",
      '',
    ].join('\n');
    const { refs, review } = extract(text);
    assert.deepEqual(review, []);
    assert.deepEqual(refs.map(({ text: t, kind, target, confidence, line }) => [t, kind, target, confidence, line]), [
      ['../infrastructure/kubernetes/overlays/dev', 'tilt.kustomize', 'infrastructure/kubernetes/overlays/dev', 'exact', 1],
      ['../infrastructure/kubernetes/base/namespace.yaml', 'tilt.k8s_yaml', 'infrastructure/kubernetes/base/namespace.yaml', 'exact', 2],
      ['../missing.yaml', 'tilt.k8s_yaml', 'missing.yaml', 'exact', 2],
      ['../services/api', 'tilt.docker_build', 'services/api', 'exact', 3],
      ['../services/api/Dockerfile', 'tilt.docker_build', 'services/api/Dockerfile', 'exact', 3],
      ['../services/api/app', 'tilt.path', 'services/api/app', 'probable', 4],
      ['../services/api/app', 'tilt.cmd.path', 'services/api/app', 'probable', 5],
      ['../services/api/app/main.py', 'tilt.deps', 'services/api/app/main.py', 'exact', 5],
    ]);
    const kustomize = refs[0];
    assert.deepEqual(
      [kustomize.start, kustomize.end, kustomize.base, kustomize.baseRule, kustomize.column],
      [20, 61, 'dev', 'referrer', 21],
    );
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('ignores comments, image names, URLs and strings that are not paths', () => {
    const text = "# k8s_yaml('values-dev.yaml')\nload('ext://restart_process', 'docker_build_with_restart')\ndocker_build('registry/values-dev.yaml', context='.')\nprint('deploying values')\n";
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.kind, ref.target, ref.start]), [['.', 'tilt.docker_build', 'dev', text.indexOf("'.'") + 1]]);
  });

  it('treats calls named like object properties as ordinary calls', () => {
    const { refs } = extract("toString('values-dev.yaml')\nconstructor(deps=['values-dev.yaml'])\n");
    assert.deepEqual(refs.map((ref) => [ref.text, ref.kind, ref.confidence]), [
      ['values-dev.yaml', 'tilt.path', 'probable'],
      ['values-dev.yaml', 'tilt.deps', 'exact'],
    ]);
  });

  it('sends formatted and glob paths to review', () => {
    const text = "k8s_yaml('../infrastructure/kubernetes/overlays/%s' % env)\nwatch_file(f'../services/api/{name}')\nk8s_yaml('../infrastructure/kubernetes/base/*.yaml')\n";
    const { refs, review } = extract(text);
    assert.deepEqual(refs, []);
    assert.deepEqual(review.map(({ start, end, text: t, kind, target }) => ({ start, end, text: t, kind, target })), [
      { start: 10, end: 50, text: '../infrastructure/kubernetes/overlays/%s', kind: 'tilt.k8s_yaml', target: 'infrastructure/kubernetes/overlays' },
      { start: 72, end: 94, text: '../services/api/{name}', kind: 'tilt.watch_file', target: 'services/api' },
      { start: 107, end: 147, text: '../infrastructure/kubernetes/base/*.yaml', kind: 'tilt.k8s_yaml', target: 'infrastructure/kubernetes/base' },
    ]);
  });

  it('does not review a string concatenated after a value (repo + "/" + name): no path starts there', () => {
    const text = 'k8s_yaml(context + "/" + resource)\nk8s_yaml("../services/api/" + name)\n';
    const { review } = extract(text);
    assert.deepEqual(review.map((item) => [item.text, item.target]), [['../services/api/', 'services/api']]);
  });

  it('reads triple-quoted command strings and keeps offsets with CRLF', () => {
    const text = "helm('chart', values=['values-dev.yaml'])\r\nlocal('''\r\ncat values-dev.yaml\r\n''')\r\n";
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.kind, ref.line, ref.column]), [
      [6, 11, 'chart', 'tilt.helm', 1, 7],
      [23, 38, 'values-dev.yaml', 'tilt.helm', 1, 24],
      [58, 73, 'values-dev.yaml', 'tilt.cmd.path', 3, 5],
    ]);
    assert.equal(refs[0].target, 'dev/chart');
  });
});
