import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ReferenceIndex } from '../../../../src/core/refs/index';
import { DiskFileSource, MemoryFileSource } from '../../../../src/core/inventory/source';
import type { Reference } from '../../../../src/core/types';

const deployment = 'apiVersion: apps/v1\nkind: Deployment\n';

function workspace(): MemoryFileSource {
  return new MemoryFileSource({
    'apps/web/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - service.yaml\n',
    'apps/web/base/deploy.yaml': deployment,
    'apps/web/base/service.yaml': 'apiVersion: v1\nkind: Service\n',
    'apps/web/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n  - ../../../api/base/deploy.yaml\n',
    'apps/api/base/deploy.yaml': deployment,
    'apps/webhook/kustomization.yaml': 'resources:\n  - ../web/base/deploy.yaml\n',
    'scripts/deploy.sh': 'kubectl apply -k apps/web/overlays/prod\n',
    'current.yaml': { symlink: 'apps/web/base/deploy.yaml' },
    'docs/latin1.md': new Uint8Array([0xe9]),
  });
}

/** `from@start→target`, enough to tell references apart. */
function keys(references: Iterable<Reference>): string[] {
  return [...references].map((reference) => `${reference.from}@${reference.start}→${reference.target}`);
}

describe('ReferenceIndex', () => {
  it('indexes every file with its kind and the references it writes', () => {
    const index = ReferenceIndex.build(workspace());
    assert.deepEqual(index.files(), [
      'apps/api/base/deploy.yaml',
      'apps/web/base/deploy.yaml',
      'apps/web/base/kustomization.yaml',
      'apps/web/base/service.yaml',
      'apps/web/overlays/prod/kustomization.yaml',
      'apps/webhook/kustomization.yaml',
      'current.yaml',
      'docs/latin1.md',
      'scripts/deploy.sh',
    ]);
    assert.equal(index.kindOf('apps/web/base/kustomization.yaml'), 'kustomization');
    assert.equal(index.kindOf('current.yaml'), 'symlink');
    assert.equal(index.kindOf('nothing.yaml'), undefined);
    assert.deepEqual(keys(index.refsFrom('apps/web/overlays/prod/kustomization.yaml')), [
      'apps/web/overlays/prod/kustomization.yaml@15→apps/web/base',
      'apps/web/overlays/prod/kustomization.yaml@30→apps/api/base/deploy.yaml',
    ]);
    assert.deepEqual(index.refsFrom('apps/web/base/deploy.yaml'), []);
    assert.deepEqual(keys(index.refsFrom('scripts/deploy.sh')), ['scripts/deploy.sh@17→apps/web/overlays/prod']);
  });

  it('answers refsInto for a file, and for a folder with everything below it but not its look-alike siblings', () => {
    const index = ReferenceIndex.build(workspace());
    assert.deepEqual(keys(index.refsInto('apps/web/base/deploy.yaml')), [
      'apps/web/base/kustomization.yaml@15→apps/web/base/deploy.yaml',
      'apps/webhook/kustomization.yaml@15→apps/web/base/deploy.yaml',
      'current.yaml@0→apps/web/base/deploy.yaml',
    ]);
    assert.deepEqual(keys(index.refsInto('apps/web')), [
      'apps/web/overlays/prod/kustomization.yaml@15→apps/web/base',
      'apps/web/base/kustomization.yaml@15→apps/web/base/deploy.yaml',
      'apps/webhook/kustomization.yaml@15→apps/web/base/deploy.yaml',
      'current.yaml@0→apps/web/base/deploy.yaml',
      'apps/web/base/kustomization.yaml@31→apps/web/base/service.yaml',
      'scripts/deploy.sh@17→apps/web/overlays/prod',
    ]);
    assert.deepEqual(keys(index.refsInto('apps/api/')), [
      'apps/web/overlays/prod/kustomization.yaml@30→apps/api/base/deploy.yaml',
    ]);
    assert.equal(index.refsInto('').length, [...index.allRefs()].length);
    assert.deepEqual(index.refsInto('apps/we'), []);
  });

  it('orders targets by code unit whether they are files, folders or missing paths', () => {
    const index = ReferenceIndex.build(
      new MemoryFileSource({
        'a/b.yaml': deployment,
        'a/b/c.yaml': deployment,
        'a-z.yaml': deployment,
        'kustomization.yaml': 'resources:\n  - a/b/c.yaml\n  - a/b\n  - a-z.yaml\n  - a/b.yaml\n  - a/gone.yaml\n  - a/b.yml\n',
      }),
    );
    const expected = ['a-z.yaml', 'a/b', 'a/b.yaml', 'a/b.yml', 'a/b/c.yaml', 'a/gone.yaml'];
    assert.deepEqual(index.refsInto('').map((reference) => reference.target), expected);
    assert.deepEqual(index.refsInto('a').map((reference) => reference.target), expected.slice(1));
  });

  it('keeps problems and review items per file', () => {
    const index = ReferenceIndex.build(workspace());
    assert.deepEqual(index.problemsFor('docs/latin1.md'), [
      { file: 'docs/latin1.md', line: 1, column: 1, message: 'docs/latin1.md is not valid UTF-8 text', severity: 'warning' },
    ]);
    assert.deepEqual(index.problems(), index.problemsFor('docs/latin1.md'));
    assert.deepEqual(index.problemsFor('scripts/deploy.sh'), []);
    const source = new MemoryFileSource({ 'deploy.sh': 'kubectl apply -f "apps/${NAME}/deploy.yaml"\n', 'apps/a/x': '' });
    const withReview = ReferenceIndex.build(source);
    assert.equal(withReview.reviewFor('deploy.sh').length, 1);
    assert.deepEqual(withReview.review(), withReview.reviewFor('deploy.sh'));
  });

  it('counts what it holds', () => {
    assert.deepEqual(ReferenceIndex.build(workspace()).stats(), {
      files: 9,
      refs: 7,
      targets: 5,
      review: 0,
      problems: 1,
      refsByKind: { 'kustomize.resources': 5, symlink: 1, 'shell.path': 1 },
      refsByConfidence: { exact: 6, probable: 1 },
    });
  });

  it('updates one changed file: old references leave, new ones arrive in order', () => {
    const source = workspace();
    const index = ReferenceIndex.build(source);
    assert.ok(keys(index.allRefs()).includes('apps/webhook/kustomization.yaml@15→apps/web/base/deploy.yaml'));
    source.write('apps/webhook/kustomization.yaml', 'resources:\n  - ../api/base/deploy.yaml\n');
    index.update('apps/webhook/kustomization.yaml');
    assert.ok(!keys(index.allRefs()).includes('apps/webhook/kustomization.yaml@15→apps/web/base/deploy.yaml'));
    assert.deepEqual(keys(index.refsInto('apps/web/base/deploy.yaml')), [
      'apps/web/base/kustomization.yaml@15→apps/web/base/deploy.yaml',
      'current.yaml@0→apps/web/base/deploy.yaml',
    ]);
    assert.deepEqual(keys(index.refsInto('apps/api')), [
      'apps/web/overlays/prod/kustomization.yaml@30→apps/api/base/deploy.yaml',
      'apps/webhook/kustomization.yaml@15→apps/api/base/deploy.yaml',
    ]);
    const rebuilt = ReferenceIndex.build(source);
    assert.deepEqual(keys(index.allRefs()), keys(rebuilt.allRefs()));
    assert.deepEqual(keys(index.refsInto('')), keys(rebuilt.refsInto('')));
  });

  it('adds a newly created file, and its targets become visible to later extractions', () => {
    const source = workspace();
    const index = ReferenceIndex.build(source);
    source.write('apps/cache/deploy.yaml', deployment);
    source.write('apps/cache/kustomization.yaml', 'resources:\n  - deploy.yaml\n');
    index.update('apps/cache/deploy.yaml');
    index.update('apps/cache/kustomization.yaml');
    source.write('scripts/cache.sh', 'kubectl apply -k apps/cache\n');
    index.update('scripts/cache.sh');
    assert.equal(index.kindOf('apps/cache/kustomization.yaml'), 'kustomization');
    assert.ok(index.files().includes('scripts/cache.sh'));
    assert.deepEqual(keys(index.refsInto('apps/cache')), [
      'scripts/cache.sh@17→apps/cache',
      'apps/cache/kustomization.yaml@15→apps/cache/deploy.yaml',
    ]);
    assert.deepEqual([...index.files()], [...index.files()].sort());
  });

  it('drops a file that is gone on update, and whole folders on remove', () => {
    const source = workspace();
    const index = ReferenceIndex.build(source);
    source.delete('current.yaml');
    index.update('current.yaml');
    assert.equal(index.kindOf('current.yaml'), undefined);
    assert.deepEqual(keys(index.refsInto('apps/web/base/deploy.yaml')), [
      'apps/web/base/kustomization.yaml@15→apps/web/base/deploy.yaml',
      'apps/webhook/kustomization.yaml@15→apps/web/base/deploy.yaml',
    ]);
    index.remove('apps/web');
    assert.deepEqual(index.files(), [
      'apps/api/base/deploy.yaml',
      'apps/webhook/kustomization.yaml',
      'docs/latin1.md',
      'scripts/deploy.sh',
    ]);
    assert.deepEqual(keys(index.refsInto('apps/api')), []);
    assert.equal(index.stats().refs, 2);
    assert.equal(index.problems().length, 1);
    index.remove('docs/latin1.md');
    assert.deepEqual(index.problems(), []);
    // Extractors now see apps/web as gone (every file below it left the index) and apps as still there.
    source.write('scripts/deploy.sh', 'kubectl apply -k apps/web/overlays/prod\nkubectl apply -k apps/api/base\nls apps\n');
    index.update('scripts/deploy.sh');
    assert.deepEqual(
      index.refsFrom('scripts/deploy.sh').map((reference) => reference.target),
      ['apps/api/base', 'apps'],
    );
  });

  it('brings a folder up to date when the update names a folder', () => {
    const source = workspace();
    const index = ReferenceIndex.build(source);
    source.delete('apps/web/base/service.yaml');
    source.write('apps/web/base/kustomization.yaml', 'resources:\n  - deploy.yaml\n');
    source.write('apps/web/base/hpa.yaml', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n');
    index.update('apps/web/base');
    assert.deepEqual(
      index.files().filter((file) => file.startsWith('apps/web/base/')),
      ['apps/web/base/deploy.yaml', 'apps/web/base/hpa.yaml', 'apps/web/base/kustomization.yaml'],
    );
    assert.deepEqual(keys(index.refsInto('apps/web/base/service.yaml')), []);
  });

  it('refuses to add a file that the disk source ignores', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relayout-index-'));
    try {
      fs.writeFileSync(path.join(root, '.gitignore'), 'build/\n');
      fs.writeFileSync(path.join(root, 'a.sh'), 'cat b.txt\n');
      fs.writeFileSync(path.join(root, 'b.txt'), 'b');
      const source = new DiskFileSource(root);
      const index = ReferenceIndex.build(source);
      assert.deepEqual(keys(index.refsFrom('a.sh')), ['a.sh@4→b.txt']);
      fs.mkdirSync(path.join(root, 'build'));
      fs.writeFileSync(path.join(root, 'build/out.sh'), 'cat b.txt\n');
      index.update('build/out.sh');
      assert.equal(index.kindOf('build/out.sh'), undefined);
      fs.writeFileSync(path.join(root, 'c.sh'), 'cat b.txt\n');
      index.update('c.sh');
      assert.equal(index.kindOf('c.sh'), 'shell');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('re-lists when a .gitignore changes: newly ignored files leave, no longer ignored ones come back', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relayout-index-'));
    try {
      fs.mkdirSync(path.join(root, 'apps/gen'), { recursive: true });
      fs.writeFileSync(path.join(root, 'apps/gen/out.sh'), 'cat apps/keep.yaml\n');
      fs.writeFileSync(path.join(root, 'apps/keep.yaml'), deployment);
      const index = ReferenceIndex.build(new DiskFileSource(root));
      assert.deepEqual(index.files(), ['apps/gen/out.sh', 'apps/keep.yaml']);
      fs.writeFileSync(path.join(root, 'apps/.gitignore'), 'gen/\n');
      index.update('apps/.gitignore');
      assert.deepEqual(index.files(), ['apps/.gitignore', 'apps/keep.yaml']);
      assert.deepEqual(index.refsInto('apps/keep.yaml'), []);
      fs.rmSync(path.join(root, 'apps/.gitignore'));
      index.update('apps/.gitignore');
      assert.deepEqual(index.files(), ['apps/gen/out.sh', 'apps/keep.yaml']);
      assert.deepEqual(keys(index.refsInto('apps/keep.yaml')), ['apps/gen/out.sh@4→apps/keep.yaml']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('treats git-ignored paths as absent when extractors check that a path exists', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relayout-index-'));
    try {
      fs.writeFileSync(path.join(root, '.gitignore'), 'generated/\n');
      fs.mkdirSync(path.join(root, 'generated'));
      fs.writeFileSync(path.join(root, 'generated/out.yaml'), deployment);
      fs.writeFileSync(path.join(root, 'real.yaml'), deployment);
      fs.writeFileSync(path.join(root, 'apply.sh'), 'kubectl apply -f generated/out.yaml\nkubectl apply -f real.yaml\n');
      const index = ReferenceIndex.build(new DiskFileSource(root));
      assert.deepEqual(
        index.refsFrom('apply.sh').map((reference) => reference.target),
        ['real.yaml'],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
