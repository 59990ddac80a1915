import { strict as assert } from 'node:assert';
import { buildInventory, formatInventory } from '../../../../src/core/inventory/inventory';
import { MemoryFileSource } from '../../../../src/core/inventory/source';

const deployment = 'apiVersion: apps/v1\nkind: Deployment\n';

function sampleSource(): MemoryFileSource {
  return new MemoryFileSource({
    'README.md': '# Repo\n',
    'infrastructure/kubernetes/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
    'infrastructure/kubernetes/base/deploy.yaml': deployment,
    'infrastructure/kubernetes/overlays/dev/kustomization.yaml': 'resources:\n  - ../../base\n',
    'infrastructure/tls/ca.crt': '-----BEGIN CERTIFICATE-----\n',
    'infrastructure/tls/generate.sh': '#!/bin/bash\n',
    'infrastructure/tls/logo.png': new Uint8Array([0x89, 0, 1]),
    'infrastructure/tls/current.crt': { symlink: 'ca.crt' },
    'docs/guide.md': 'é\n',
  });
}

describe('buildInventory', () => {
  it('lists every file with its kind and byte size', () => {
    const inventory = buildInventory(sampleSource());
    assert.deepEqual(
      inventory.files.map((file) => [file.path, file.kind, file.size]),
      [
        ['README.md', 'markdown', 7],
        ['docs/guide.md', 'markdown', 3],
        ['infrastructure/kubernetes/base/deploy.yaml', 'kubernetes', deployment.length],
        ['infrastructure/kubernetes/base/kustomization.yaml', 'kustomization', 27],
        ['infrastructure/kubernetes/overlays/dev/kustomization.yaml', 'kustomization', 26],
        ['infrastructure/tls/ca.crt', 'certificate', 28],
        ['infrastructure/tls/current.crt', 'symlink', 6],
        ['infrastructure/tls/generate.sh', 'shell', 12],
        ['infrastructure/tls/logo.png', 'binary', 3],
      ],
    );
    assert.equal(inventory.totalFiles, 9);
    assert.equal(
      inventory.totalBytes,
      inventory.files.reduce((sum, file) => sum + file.size, 0),
    );
    assert.deepEqual(inventory.byKind, {
      markdown: 2,
      kubernetes: 1,
      kustomization: 2,
      certificate: 1,
      symlink: 1,
      shell: 1,
      binary: 1,
    });
  });

  it('counts each folder with everything below it and with its direct files', () => {
    const inventory = buildInventory(sampleSource());
    const folder = (name: string) => inventory.folders.find((entry) => entry.folder === name)!;
    assert.deepEqual(
      inventory.folders.map((entry) => entry.folder),
      [
        '',
        'docs',
        'infrastructure',
        'infrastructure/kubernetes',
        'infrastructure/kubernetes/base',
        'infrastructure/kubernetes/overlays',
        'infrastructure/kubernetes/overlays/dev',
        'infrastructure/tls',
      ],
    );
    assert.deepEqual(folder(''), {
      folder: '',
      total: 9,
      direct: 1,
      byKind: inventory.byKind,
      directByKind: { markdown: 1 },
    });
    assert.deepEqual(folder('infrastructure/kubernetes'), {
      folder: 'infrastructure/kubernetes',
      total: 3,
      direct: 0,
      byKind: { kubernetes: 1, kustomization: 2 },
      directByKind: {},
    });
    assert.equal(folder('infrastructure').total, 7);
    assert.equal(folder('infrastructure/tls').direct, 4);
    assert.equal(folder('infrastructure/kubernetes/overlays').total, 1);
  });

  it('is plain data that survives JSON', () => {
    const inventory = buildInventory(sampleSource());
    assert.deepEqual(JSON.parse(JSON.stringify(inventory)), inventory);
  });

  it('uses the text length for sources that cannot tell sizes', () => {
    const memory = new MemoryFileSource({ 'a.md': 'héllo' });
    const unsized = {
      listFiles: () => memory.listFiles(),
      stat: (path: string) => memory.stat(path),
      readText: (path: string) => memory.readText(path),
      readSymlink: (path: string) => memory.readSymlink(path),
    };
    assert.equal(buildInventory(unsized).files[0].size, 6);
  });
});

describe('formatInventory', () => {
  it('prints totals, kinds by frequency and folders down to the requested depth', () => {
    const text = formatInventory(buildInventory(sampleSource()));
    assert.equal(
      text,
      [
        '9 files in 7 folders, 149 B',
        '',
        'By kind',
        '  kustomization  2',
        '  markdown       2',
        '  binary         1',
        '  certificate    1',
        '  kubernetes     1',
        '  shell          1',
        '  symlink        1',
        '',
        '  folder           files  kinds',
        '  docs/                1  markdown 1',
        '  infrastructure/      7  kustomization 2, binary 1, certificate 1, kubernetes 1, shell 1, symlink 1',
        '    kubernetes/        3  kustomization 2, kubernetes 1',
        '    tls/               4  binary 1, certificate 1, shell 1, symlink 1',
        '  (root files)         1  markdown 1',
        '',
      ].join('\n'),
    );
  });

  it('shows only top folders at depth 1 and handles an empty workspace', () => {
    const lines = formatInventory(buildInventory(sampleSource()), { depth: 1 }).split('\n');
    assert.ok(lines.some((line) => line.startsWith('  infrastructure/')));
    assert.ok(!lines.some((line) => line.includes('kubernetes/')));
    assert.equal(formatInventory(buildInventory(new MemoryFileSource())), '0 files in 0 folders, 0 B\n');
  });
});
