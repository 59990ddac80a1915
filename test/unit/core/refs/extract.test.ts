import { strict as assert } from 'node:assert';
import { extractFile } from '../../../../src/core/refs/extract';
import { MemoryFileSource } from '../../../../src/core/inventory/source';

describe('extractFile', () => {
  const source = new MemoryFileSource({
    'apps/web/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
    'apps/web/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
    'apps/web/current': { symlink: 'deploy.yaml' },
    'apps/web/outside': { symlink: '../../../etc/hosts' },
    'scripts/apply.sh': 'kubectl apply -k apps/web\n',
    'docs/latin1.md': new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
    'assets/logo.png': new Uint8Array([0x89, 0, 0]),
    'tls/ca.crt': '-----BEGIN CERTIFICATE-----\napps/web/deploy.yaml\n',
    'package.json': '{"main": "apps/web/deploy.yaml"}',
  });

  it('dispatches a kustomization to the kustomize extractor', () => {
    const { kind, extraction } = extractFile('apps/web/kustomization.yaml', source, source);
    assert.equal(kind, 'kustomization');
    assert.deepEqual(
      extraction.refs.map((reference) => [reference.kind, reference.text, reference.target, reference.start]),
      [['kustomize.resources', 'deploy.yaml', 'apps/web/deploy.yaml', 15]],
    );
  });

  it('dispatches a shell script to the shell extractor', () => {
    const { kind, extraction } = extractFile('scripts/apply.sh', source, source);
    assert.equal(kind, 'shell');
    assert.deepEqual(
      extraction.refs.map((reference) => [reference.text, reference.target, reference.confidence]),
      [['apps/web', 'apps/web', 'probable']],
    );
  });

  it('dispatches YAML kinds, Makefiles, Dockerfiles, Terraform, Tiltfiles and Markdown to their extractors', () => {
    const tree = new MemoryFileSource({
      'apps/web/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
      'clusters/prod/web.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  path: ./apps/web\n  sourceRef:\n    kind: GitRepository\n    name: platform\n',
      '.github/workflows/ci.yml': 'on:\n  push:\n    paths: ["apps/web/**"]\n',
      'apps/Makefile': 'deploy:\n\tkubectl apply -k web\n',
      'apps/web/Dockerfile': 'FROM x\nCOPY deploy.yaml /etc/\n',
      'infra/main.tf': 'module "x" {\n  source = "../apps/web"\n}\n',
      Tiltfile: "k8s_yaml('apps/web/deploy.yaml')\n",
      'docs/web.md': 'See [the deployment](../apps/web/deploy.yaml).\n',
    });
    const found = (file: string) => {
      const { kind, extraction } = extractFile(file, tree, tree);
      return [kind, ...extraction.refs.map((reference) => `${reference.kind} ${reference.text} → ${reference.target}`)];
    };
    assert.deepEqual(found('clusters/prod/web.yaml'), ['flux', 'flux.path ./apps/web → apps/web']);
    assert.deepEqual(found('.github/workflows/ci.yml'), ['github-workflow', 'github.paths apps/web/** → apps/web']);
    assert.deepEqual(found('apps/Makefile'), ['makefile', 'make.recipe.path web → apps/web']);
    assert.deepEqual(found('apps/web/Dockerfile'), ['dockerfile', 'docker.copy deploy.yaml → apps/web/deploy.yaml']);
    assert.deepEqual(found('infra/main.tf'), ['terraform', 'terraform.path ../apps/web → apps/web']);
    assert.deepEqual(found('docs/web.md'), ['markdown', 'markdown.link ../apps/web/deploy.yaml → apps/web/deploy.yaml']);
    assert.deepEqual(found('Tiltfile'), ['tiltfile', 'tilt.k8s_yaml apps/web/deploy.yaml → apps/web/deploy.yaml']);
  });

  it('does not parse plain Kubernetes manifests, which hold no references', () => {
    const tree = new MemoryFileSource({ 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n' });
    assert.deepEqual(extractFile('bad.yaml', tree, tree), {
      kind: 'kubernetes',
      extraction: { refs: [], review: [], problems: [] },
    });
    const generic = new MemoryFileSource({ 'bad.yaml': 'data: [unclosed\n' });
    assert.equal(extractFile('bad.yaml', generic, generic).extraction.problems.length, 1);
  });

  it('makes a symlink into the workspace one exact reference on its link text', () => {
    assert.deepEqual(extractFile('apps/web/current', source, source), {
      kind: 'symlink',
      extraction: {
        refs: [
          {
            from: 'apps/web/current',
            start: 0,
            end: 11,
            line: 1,
            column: 1,
            text: 'deploy.yaml',
            kind: 'symlink',
            base: 'apps/web',
            baseRule: 'referrer',
            target: 'apps/web/deploy.yaml',
            confidence: 'exact',
          },
        ],
        review: [],
        problems: [],
      },
    });
  });

  it('gives no reference for a symlink that leaves the workspace', () => {
    assert.deepEqual(extractFile('apps/web/outside', source, source), {
      kind: 'symlink',
      extraction: { refs: [], review: [], problems: [] },
    });
  });

  it('reports an undecodable file as a problem at line 1, column 1, naming it', () => {
    assert.deepEqual(extractFile('docs/latin1.md', source, source), {
      kind: 'markdown',
      extraction: {
        refs: [],
        review: [],
        problems: [
          { file: 'docs/latin1.md', line: 1, column: 1, message: 'docs/latin1.md is not valid UTF-8 text', severity: 'warning' },
        ],
      },
    });
  });

  it('reports a file it cannot read as an error', () => {
    const { extraction } = extractFile('missing.yaml', source, source);
    assert.deepEqual(extraction.problems, [
      { file: 'missing.yaml', line: 1, column: 1, message: 'missing.yaml does not exist', severity: 'error' },
    ]);
  });

  it('extracts nothing from binaries and certificates', () => {
    for (const [file, kind] of [
      ['assets/logo.png', 'binary'],
      ['tls/ca.crt', 'certificate'],
    ]) {
      assert.deepEqual(extractFile(file, source, source), { kind, extraction: { refs: [], review: [], problems: [] } });
    }
  });

  it('reads JSON, source code, unknown files, Helm values and plain YAML as free text, but not dashboards', () => {
    const tree = new MemoryFileSource({
      'apps/web/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
      'package.json': '{"main": "apps/web/deploy.yaml"}',
      'controllers/suite_test.go': 'var paths = []string{"../apps/web"}\n',
      'plugins/Kasanefile': 'layers:\n  - ../apps/web/deploy.yaml\n',
      '.codecov.yml': 'ignore:\n  - apps/web/deploy.yaml\n',
      'apps/values.yaml': 'applications:\n  - name: web\n    path: apps/web\n',
      'grafana/web.json': '{"title": "Web", "panels": [], "description": "apps/web/deploy.yaml"}',
    });
    const found = (file: string) => {
      const { kind, extraction } = extractFile(file, tree, tree);
      return [kind, ...extraction.refs.map((reference) => `${reference.kind} ${reference.text} → ${reference.target}`)];
    };
    assert.deepEqual(found('package.json'), ['json', 'text.path apps/web/deploy.yaml → apps/web/deploy.yaml']);
    assert.deepEqual(found('controllers/suite_test.go'), ['other', 'text.path ../apps/web → apps/web']);
    assert.deepEqual(found('plugins/Kasanefile'), ['other', 'text.path ../apps/web/deploy.yaml → apps/web/deploy.yaml']);
    assert.deepEqual(found('.codecov.yml'), ['yaml', 'text.path apps/web/deploy.yaml → apps/web/deploy.yaml']);
    assert.deepEqual(found('apps/values.yaml'), ['helm-values', 'text.path apps/web → apps/web']);
    assert.deepEqual(found('grafana/web.json'), ['dashboard']);
  });

  it('reads no free-text paths in a Relayout plan, whose rules name destinations relative to its root', () => {
    const tree = new MemoryFileSource({
      'docs/proposal.md': '# Proposal\n',
      'infrastructure/README.md': '# Infrastructure\n',
      'plans/reorganize.yaml': 'version: 1\nproposal: docs/proposal.md\nroot: infrastructure\nrules:\n  - from: README.md\n    to: docs/proposal.md\n',
      'plans/notes.yaml': 'version: 1\nroot: docs/proposal.md\n',
    });
    assert.deepEqual(extractFile('plans/reorganize.yaml', tree, tree).extraction.refs, []);
    assert.deepEqual(extractFile('plans/notes.yaml', tree, tree).extraction.refs.map((reference) => reference.text), ['docs/proposal.md']);
  });

  it('does not report a free-text path of plain YAML twice when the YAML extractor already names it', () => {
    const tree = new MemoryFileSource({
      'scripts/deploy.sh': '#!/bin/sh\n',
      'apps/web/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
      'deploy/action.yml': 'runs:\n  using: composite\n  steps:\n    - run: ./scripts/deploy.sh\n      # renders apps/web/deploy.yaml\n',
    });
    const { kind, extraction } = extractFile('deploy/action.yml', tree, tree);
    assert.equal(kind, 'yaml');
    assert.deepEqual(
      extraction.refs.map((reference) => [reference.kind, reference.text, reference.start]),
      [
        ['github.run.path', './scripts/deploy.sh', 45],
        ['text.path', 'apps/web/deploy.yaml', 81],
      ],
    );
  });
});
