import { strict as assert } from 'node:assert';
import {
  chartFoldersOf,
  classifyFile,
  classifySourceFile,
  looksLikeDashboard,
} from '../../../../src/core/inventory/classify';
import { MemoryFileSource } from '../../../../src/core/inventory/source';
import type { FileKind } from '../../../../src/core/types';

const fluxKustomization = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  path: ./apps\n';
const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';

describe('classifyFile', () => {
  const table: [string, string | undefined, FileKind][] = [
    ['apps/web/kustomization.yaml', 'resources: []', 'kustomization'],
    ['apps/web/kustomization.yml', undefined, 'kustomization'],
    ['apps/web/Kustomization', 'resources: []', 'kustomization'],
    ['clusters/prod/apps.yaml', fluxKustomization, 'flux'],
    ['clusters/prod/source.yaml', 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n', 'flux'],
    ['clusters/prod/artifacts.yaml', 'apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\n', 'flux'],
    ['clusters/prod/release.yml', "apiVersion: 'helm.toolkit.fluxcd.io/v2'\nkind: HelmRelease\n", 'flux'],
    ['clusters/prod/ns-and-flux.yaml', `${deployment}---\n${fluxKustomization}`, 'flux'],
    ['argo/app.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\n', 'argocd'],
    ['ci/pipeline.yaml', 'apiVersion: tekton.dev/v1\nkind: Pipeline\n', 'tekton'],
    ['ci/trigger.yaml', '# header\n---\napiVersion: triggers.tekton.dev/v1beta1\nkind: EventListener\n', 'tekton'],
    ['ci/resolver.yaml', 'apiVersion: resolution.tekton.dev/v1beta1\nkind: ResolutionRequest\n', 'tekton'],
    ['ci/quoted.yaml', '"apiVersion": "tekton.dev/v1"\n"kind": "Task"\n', 'tekton'],
    ['skaffold.yaml', 'apiVersion: skaffold/v4beta6\nkind: Config\n', 'skaffold'],
    ['apps/web/deploy.yaml', deployment, 'kubernetes'],
    ['apps/web/deploy.yaml', '\ufeffapiVersion: v1\r\nkind: Service\r\n', 'kubernetes'],
    ['apps/web/no-kind.yaml', 'apiVersion: v1\n', 'yaml'],
    ['apps/web/nested.yaml', 'spec:\n  apiVersion: v1\n  kind: Service\n', 'yaml'],
    ['.github/workflows/ci.yml', 'on: push\n', 'github-workflow'],
    ['.github/workflows/release.yaml', deployment, 'github-workflow'],
    ['.github/dependabot.yml', 'version: 2\n', 'yaml'],
    ['.gitlab-ci.yml', 'stages: []\n', 'gitlab-ci'],
    ['ci/deploy.gitlab-ci.yml', 'stages: []\n', 'gitlab-ci'],
    ['docker-compose.yml', 'services: {}\n', 'compose'],
    ['deploy/docker-compose.prod.yaml', 'services: {}\n', 'compose'],
    ['compose.yaml', 'services: {}\n', 'compose'],
    ['compose-dev.yml', 'services: {}\n', 'compose'],
    ['charts/web/Chart.yaml', 'apiVersion: v2\nname: web\n', 'helm-chart'],
    ['helm/values.yaml', 'replicas: 2\n', 'helm-values'],
    ['helm/values-prod.yaml', 'replicas: 2\n', 'helm-values'],
    ['signoz/values.dev.yml', 'replicas: 2\n', 'helm-values'],
    ['helm/signoz-values-prod.yaml', 'replicas: 2\n', 'helm-values'],
    ['helm/ingress-nginx-values.yaml', 'controller: {}\n', 'helm-values'],
    ['config/retainedvalues.yaml', 'a: 1\n', 'yaml'],
    ['config/settings.yaml', 'a: 1\n', 'yaml'],
    ['scripts/deploy.sh', 'kubectl apply -k .\n', 'shell'],
    ['scripts/lib.bash', '', 'shell'],
    ['scripts/deploy', '#!/usr/bin/env bash\nset -e\n', 'shell'],
    ['scripts/run', '#!/bin/sh -e\n', 'shell'],
    ['scripts/run', '\ufeff#!/bin/bash\n', 'shell'],
    ['scripts/run', '#!/usr/bin/env -S zsh -f\n', 'shell'],
    ['scripts/tool', '#!/usr/bin/env python3\n', 'other'],
    ['scripts/tool.py', '#!/bin/bash\n', 'shell'],
    ['Makefile', 'all:\n', 'makefile'],
    ['sub/GNUmakefile', 'all:\n', 'makefile'],
    ['make/rules.mk', 'x := 1\n', 'makefile'],
    ['Dockerfile', 'FROM x\n', 'dockerfile'],
    ['images/Dockerfile.dev', 'FROM x\n', 'dockerfile'],
    ['images/api.Dockerfile', 'FROM x\n', 'dockerfile'],
    ['infra/main.tf', 'module "x" {}\n', 'terraform'],
    ['Tiltfile', "k8s_yaml('a.yaml')\n", 'tiltfile'],
    ['docs/README.md', '# Docs\n', 'markdown'],
    ['docs/guide.markdown', '# Docs\n', 'markdown'],
    ['dashboards/api.json', '{"title": "API", "panels": []}', 'dashboard'],
    ['package.json', '{"name": "x", "scripts": {}}', 'json'],
    ['broken.json', '{"panels": [', 'json'],
    ['tls/ca.crt', '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n', 'certificate'],
    ['tls/ca.pem', '-----BEGIN CERTIFICATE-----\n', 'certificate'],
    ['tls/server.cer', '-----BEGIN CERTIFICATE-----\n', 'certificate'],
    ['tls/ca-key.pem', '-----BEGIN RSA PRIVATE KEY-----\n', 'private-key'],
    ['tls/server.key', '-----BEGIN PRIVATE KEY-----\n', 'private-key'],
    ['tls/ec.pem', '-----BEGIN EC PRIVATE KEY-----\n', 'private-key'],
    ['tls/server.pem', '-----BEGIN CERTIFICATE REQUEST-----\n', 'csr'],
    ['tls/server.csr', '-----BEGIN NEW CERTIFICATE REQUEST-----\n', 'csr'],
    ['tls/empty.pem', '', 'other'],
    ['tls/openssl.cnf', '[req]\ndistinguished_name = dn\n', 'cert-config'],
    ['tls/san.conf', '[ v3_req ]\nsubjectAltName = @alt\n', 'cert-config'],
    ['mysql/my.cnf', '[mysqld]\nport = 3306\n', 'other'],
    ['nginx/site.conf', 'server { listen 80; }\n', 'other'],
    ['assets/logo.png', 'PNG\0\0', 'binary'],
    ['notes.txt', 'hello', 'other'],
    ['LICENSE', undefined, 'other'],
  ];
  for (const [path, text, kind] of table) {
    it(`${path} ${text === undefined ? '(unread)' : JSON.stringify(text.slice(0, 30))} → ${kind}`, () => {
      assert.equal(classifyFile(path, text), kind);
    });
  }

  it('calls YAML inside a chart folder values and leaves chart templates unparsed', () => {
    const chartFolders = chartFoldersOf(['charts/web/Chart.yaml', 'charts/web/templates/deploy.yaml', 'other.yaml']);
    assert.deepEqual([...chartFolders], ['charts/web']);
    assert.equal(classifyFile('charts/web/ci/test-config.yaml', 'replicas: 1\n', { chartFolders }), 'helm-values');
    assert.equal(classifyFile('charts/web/templates/deploy.yaml', deployment, { chartFolders }), 'other');
    assert.equal(classifyFile('charts/webhook/config.yaml', 'a: 1\n', { chartFolders }), 'yaml');
    assert.equal(classifyFile('charts/web/crds/crd.yaml', deployment, { chartFolders }), 'kubernetes');
  });
});

describe('looksLikeDashboard', () => {
  it('recognizes Grafana dashboards, plain and wrapped by the HTTP API, and SigNoz dashboards', () => {
    assert.equal(looksLikeDashboard('{"title":"A","panels":[]}'), true);
    assert.equal(looksLikeDashboard('{"schemaVersion":16,"rows":[]}'), true);
    assert.equal(looksLikeDashboard('{"dashboard":{"title":"A","panels":[{}]},"overwrite":true}'), true);
    assert.equal(looksLikeDashboard('{"title":"SigNoz","widgets":[],"layout":[]}'), true);
    assert.equal(looksLikeDashboard('{"widgets":[],"layout":[]}'), true);
  });

  it('rejects JSON that only mentions those keys', () => {
    assert.equal(looksLikeDashboard('{"panels":[]}'), false);
    assert.equal(looksLikeDashboard('{"title":"x","panels":{}}'), false);
    assert.equal(looksLikeDashboard('[{"title":"x","panels":[]}]'), false);
    assert.equal(looksLikeDashboard('{"description":"has \\"panels\\" in text","title":"x"}'), false);
    assert.equal(looksLikeDashboard('{"widgets":[]}'), false);
  });
});

describe('classifySourceFile', () => {
  it('classifies symlinks without reading them, binaries by their bytes and unreadable text by name', () => {
    const source = new MemoryFileSource({
      'base.yaml': deployment,
      'link.yaml': { symlink: 'base.yaml' },
      'image.bin': new Uint8Array([1, 0, 2]),
      'latin1.yaml': new Uint8Array([0x61, 0x3a, 0x20, 0xe9]),
    });
    assert.deepEqual(classifySourceFile('link.yaml', source), { kind: 'symlink', read: undefined });
    assert.equal(classifySourceFile('base.yaml', source).kind, 'kubernetes');
    assert.equal(classifySourceFile('image.bin', source).kind, 'binary');
    const latin1 = classifySourceFile('latin1.yaml', source);
    assert.equal(latin1.kind, 'yaml');
    assert.equal(latin1.read?.ok, false);
  });
});
