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

  it('extracts nothing from binaries, certificates and plain JSON', () => {
    for (const [file, kind] of [
      ['assets/logo.png', 'binary'],
      ['tls/ca.crt', 'certificate'],
      ['package.json', 'json'],
    ]) {
      assert.deepEqual(extractFile(file, source, source), { kind, extraction: { refs: [], review: [], problems: [] } });
    }
  });
});
