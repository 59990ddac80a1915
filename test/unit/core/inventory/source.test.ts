import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  DiskFileSource,
  MemoryFileSource,
  OverlayFileSource,
  decodeFileBytes,
  readFailureFromError,
  sourceBelow,
} from '../../../../src/core/inventory/source';

function makeTree(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relayout-source-'));
  for (const [file, content] of Object.entries(files)) {
    const absolute = path.join(root, file);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
  }
  return root;
}

describe('DiskFileSource', () => {
  const roots: string[] = [];
  function tree(files: Record<string, string | Buffer>): string {
    const root = makeTree(files);
    roots.push(root);
    return root;
  }
  after(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists every file sorted with POSIX paths, dot files included, .git, node_modules and .relayout left out', () => {
    const root = tree({
      'b/deploy.yaml': 'kind: x',
      'a/.env': 'X=1',
      '.github/workflows/ci.yml': 'on: push',
      '.git/HEAD': 'ref',
      'node_modules/x/index.js': '',
      'apps/node_modules/y/index.js': '',
      '.relayout/state.json': '{}',
      'README.md': '#',
    });
    assert.deepEqual(new DiskFileSource(root).listFiles(), [
      '.github/workflows/ci.yml',
      'README.md',
      'a/.env',
      'b/deploy.yaml',
    ]);
  });

  it('honours the root .gitignore and nested ones, deeper files overriding', () => {
    const root = tree({
      '.gitignore': '*.log\nbuild/\n/secret.txt\n',
      'app.log': '',
      'secret.txt': '',
      'docs/secret.txt': '',
      'build/out.yaml': '',
      'apps/.gitignore': '!keep.log\ngenerated/\n',
      'apps/keep.log': '',
      'apps/other.log': '',
      'apps/generated/a.yaml': '',
      'apps/base/generated/b.yaml': '',
      'apps/base/kustomization.yaml': '',
      'ops/.gitignore': '!build/\n',
      'ops/build/x.sh': '',
    });
    assert.deepEqual(new DiskFileSource(root).listFiles(), [
      '.gitignore',
      'apps/.gitignore',
      'apps/base/kustomization.yaml',
      'apps/keep.log',
      'docs/secret.txt',
      'ops/.gitignore',
      'ops/build/x.sh',
    ]);
  });

  it('matches ignore patterns with the case sensitivity of the platform', () => {
    const root = tree({ '.gitignore': 'Build/\n', 'build/out.yaml': '', 'Build/out.yaml': '' });
    const listed = new DiskFileSource(root).listFiles();
    if (process.platform === 'linux') assert.deepEqual(listed, ['.gitignore', 'build/out.yaml']);
    else assert.deepEqual(listed, ['.gitignore']);
  });

  it('leaves out the exclude patterns, which no .gitignore negation brings back', () => {
    const root = tree({
      '.gitignore': '!legacy/keep.yaml\n',
      'legacy/keep.yaml': '',
      'legacy/old.yaml': '',
      'apps/a.yaml': '',
      'apps/a.yaml.bak': '',
      'apps/sub/b.yaml.bak': '',
    });
    const source = new DiskFileSource(root, { exclude: ['legacy/', '*.bak'] });
    assert.deepEqual(source.listFiles(), ['.gitignore', 'apps/a.yaml']);
    assert.equal(source.isIncluded('apps/a.yaml'), true);
    assert.equal(source.isIncluded('apps/new.yaml.bak'), false);
    assert.equal(source.isIncluded('legacy/new.yaml'), false);
    assert.equal(source.isIncluded('.git/config'), false);
    assert.equal(source.isIncluded('node_modules/a.js'), false);
  });

  it('tells which .gitignore line or exclude pattern ignores a path, existing or not', () => {
    const root = tree({
      '.gitignore': '# build output\n*.log\n\nbuild/\n',
      'apps/.gitignore': 'generated/\r\n!keep.log\r\n',
      'apps/a.yaml': '',
      'legacy/old.yaml': '',
    });
    const source = new DiskFileSource(root, { exclude: ['/legacy/'] });
    assert.deepEqual(source.ignoredBy('new.log'), { file: '.gitignore', line: 2, pattern: '*.log' });
    assert.deepEqual(source.ignoredBy('apps/build/out.yaml'), { file: '.gitignore', line: 4, pattern: 'build/' });
    assert.deepEqual(source.ignoredBy('apps/generated/x/y.yaml'), { file: 'apps/.gitignore', line: 1, pattern: 'generated/' });
    assert.equal(source.ignoredBy('apps/keep.log'), undefined);
    assert.deepEqual(source.ignoredBy('apps/other.log'), { file: '.gitignore', line: 2, pattern: '*.log' });
    assert.deepEqual(source.ignoredBy('legacy/new.yaml'), { file: 'relayout.exclude', pattern: '/legacy/' });
    assert.equal(source.ignoredBy('apps/a.yaml'), undefined);
    assert.equal(source.ignoredBy('apps/new/b.yaml'), undefined);
    assert.equal(source.ignoredBy('../outside.log'), undefined);
  });

  it('reports a folder rule for a path whose parent folder it ignores, even if a deeper negation names the path', () => {
    const root = tree({ '.gitignore': 'out/\n', 'out/.gitignore': '!keep.yaml\n' });
    const source = new DiskFileSource(root);
    assert.deepEqual(source.ignoredBy('out/keep.yaml'), { file: '.gitignore', line: 1, pattern: 'out/' });
  });

  it('lists symlinks as files and never follows them, not even into folders', () => {
    const root = tree({ 'real/a.yaml': 'a: 1', 'outside-target.txt': 'x' });
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'relayout-outside-'));
    roots.push(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.symlinkSync('real', path.join(root, 'linked-dir'));
    fs.symlinkSync('real/a.yaml', path.join(root, 'linked-file.yaml'));
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.symlinkSync('does-not-exist', path.join(root, 'broken'));
    const source = new DiskFileSource(root);
    assert.deepEqual(source.listFiles(), [
      'broken',
      'escape',
      'linked-dir',
      'linked-file.yaml',
      'outside-target.txt',
      'real/a.yaml',
    ]);
    assert.equal(source.stat('linked-dir'), 'symlink');
    assert.equal(source.stat('escape'), 'symlink');
    assert.equal(source.stat('real'), 'directory');
    assert.equal(source.stat('real/a.yaml'), 'file');
    assert.equal(source.stat(''), 'directory');
    assert.equal(source.stat('nothing'), undefined);
    assert.equal(source.stat('escape/secret.txt'), undefined, 'stat must not go through a symlinked folder');
    assert.equal(source.stat('../x'), undefined);
    assert.deepEqual(source.readText('escape/secret.txt'), {
      ok: false,
      reason: 'missing',
      message: 'escape/secret.txt lies below a symlinked folder, which is never followed',
    });
    assert.deepEqual(source.readText('../outside.txt'), {
      ok: false,
      reason: 'missing',
      message: '../outside.txt is outside the workspace',
    });
    assert.deepEqual(
      source.listEntries().map((entry) => `${entry.path}:${entry.type}`),
      [
        'broken:symlink',
        'escape:symlink',
        'linked-dir:symlink',
        'linked-file.yaml:symlink',
        'outside-target.txt:file',
        'real/a.yaml:file',
      ],
    );
  });

  it('reads a symlink to its target inside the workspace, and refuses one that leaves it', () => {
    const root = tree({ 'real/a.yaml': 'a: 1' });
    const outside = makeTree({ 'secret.txt': 'secret' });
    roots.push(outside);
    fs.symlinkSync('real/a.yaml', path.join(root, 'link.yaml'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'escape.txt'));
    const source = new DiskFileSource(root);
    assert.deepEqual(source.readText('link.yaml'), { ok: true, text: 'a: 1' });
    const escaped = source.readText('escape.txt');
    assert.equal(escaped.ok, false);
    assert.ok(!escaped.ok && escaped.reason === 'unreadable' && escaped.message.includes('escape.txt'));
  });

  it('follows a symlink inside a workspace whose root is reached through a symlink', () => {
    const real = tree({ 'config/base.yaml': 'base: 1' });
    fs.symlinkSync('config/base.yaml', path.join(real, 'link.yaml'));
    const alias = path.join(os.tmpdir(), `relayout-alias-${process.pid}`);
    fs.rmSync(alias, { force: true });
    fs.symlinkSync(real, alias);
    try {
      const source = new DiskFileSource(alias);
      assert.deepEqual(source.readText('link.yaml'), { ok: true, text: 'base: 1' });
      assert.deepEqual(source.readSymlink('link.yaml'), { linkText: 'config/base.yaml', target: 'config/base.yaml' });
    } finally {
      fs.rmSync(alias, { force: true });
    }
  });

  it('reads symlink text and the workspace target, undefined when it points outside', () => {
    const root = tree({ 'config/base.yaml': '' });
    fs.mkdirSync(path.join(root, 'envs/dev'), { recursive: true });
    fs.symlinkSync('../../config/base.yaml', path.join(root, 'envs/dev/base.yaml'));
    fs.symlinkSync('../../../elsewhere', path.join(root, 'envs/dev/out'));
    fs.symlinkSync(path.join(root, 'config'), path.join(root, 'abs-config'));
    const source = new DiskFileSource(root);
    assert.deepEqual(source.readSymlink('envs/dev/base.yaml'), {
      linkText: '../../config/base.yaml',
      target: 'config/base.yaml',
    });
    assert.deepEqual(source.readSymlink('envs/dev/out'), { linkText: '../../../elsewhere', target: undefined });
    assert.deepEqual(source.readSymlink('abs-config'), { linkText: path.join(root, 'config'), target: 'config' });
    assert.equal(source.readSymlink('config/base.yaml'), undefined);
  });

  it('keeps a BOM as U+FEFF and CRLF line endings', () => {
    const root = tree({ 'bom.yaml': Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('a: 1\r\n')]) });
    assert.deepEqual(new DiskFileSource(root).readText('bom.yaml'), { ok: true, text: '\ufeffa: 1\r\n' });
  });

  it('reports missing, directory, binary and not-utf8 files with messages naming them', () => {
    const root = tree({
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      'dir/file.txt': 'x',
    });
    const source = new DiskFileSource(root);
    const cases: [string, string][] = [
      ['missing.yaml', 'missing'],
      ['dir', 'directory'],
      ['image.png', 'binary'],
      ['latin1.txt', 'not-utf8'],
    ];
    for (const [file, reason] of cases) {
      const result = source.readText(file);
      assert.equal(result.ok, false, file);
      if (!result.ok) {
        assert.equal(result.reason, reason, file);
        assert.ok(result.message.includes(file), result.message);
      }
    }
  });

  it('reports a file it may not read as unreadable', () => {
    const root = tree({ 'locked.yaml': 'a: 1' });
    fs.chmodSync(root, 0o755);
    fs.chmodSync(path.join(root, 'locked.yaml'), 0o000);
    // root reads any file whatever its mode, so as root the read runs in a child process as an unprivileged user.
    const script =
      `const { DiskFileSource } = require(${JSON.stringify(path.resolve('src/core/inventory/source.ts'))});` +
      `process.stdout.write(JSON.stringify(new DiskFileSource(${JSON.stringify(root)}).readText('locked.yaml')));`;
    const child = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
      encoding: 'utf8',
      ...(process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      ok: false,
      reason: 'unreadable',
      message: 'locked.yaml cannot be read: permission denied',
    });
  });

  it('reports the size of files and of symlinks themselves', () => {
    const root = tree({ 'a.txt': 'hello' });
    fs.symlinkSync('a.txt', path.join(root, 'link'));
    const source = new DiskFileSource(root);
    assert.equal(source.size('a.txt'), 5);
    assert.equal(source.size('link'), 'a.txt'.length);
    assert.equal(source.size('none'), undefined);
  });
});

describe('readFailureFromError', () => {
  it('maps EACCES and EPERM to unreadable, naming the file', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const error = Object.assign(new Error(`${code}: permission denied, open '/x/secret.key'`), { code });
      const result = readFailureFromError('tls/secret.key', error);
      assert.deepEqual(result, {
        ok: false,
        reason: 'unreadable',
        message: 'tls/secret.key cannot be read: permission denied',
      });
    }
  });

  it('maps ENOENT to missing, EISDIR to directory and anything else to unreadable with the cause', () => {
    assert.equal(readFailureFromError('a', Object.assign(new Error(), { code: 'ENOENT' })).ok, false);
    assert.deepEqual(readFailureFromError('a', Object.assign(new Error('x'), { code: 'EISDIR' })), {
      ok: false,
      reason: 'directory',
      message: 'a is a directory',
    });
    assert.deepEqual(readFailureFromError('a', Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })), {
      ok: false,
      reason: 'unreadable',
      message: 'a cannot be read: EIO: i/o error',
    });
  });
});

describe('decodeFileBytes', () => {
  it('calls a file binary only when a NUL byte lies in the first 8 KB', () => {
    const late = new Uint8Array(9000).fill(0x61);
    late[8500] = 0;
    assert.equal(decodeFileBytes('late', late).ok, true);
    const early = new Uint8Array(9000).fill(0x61);
    early[8191] = 0;
    assert.deepEqual(decodeFileBytes('early', early), { ok: false, reason: 'binary', message: 'early is a binary file' });
  });
});

describe('MemoryFileSource', () => {
  it('implies folders from file paths and forgets them with their last file', () => {
    const source = new MemoryFileSource({ 'apps/web/deploy.yaml': 'a', 'apps/api/deploy.yaml': 'b' });
    assert.equal(source.stat('apps'), 'directory');
    assert.equal(source.stat('apps/web'), 'directory');
    assert.equal(source.stat('apps/web/deploy.yaml'), 'file');
    source.delete('apps/web/deploy.yaml');
    assert.equal(source.stat('apps/web'), undefined);
    assert.equal(source.stat('apps'), 'directory');
    assert.deepEqual(source.listFiles(), ['apps/api/deploy.yaml']);
    assert.equal(source.delete('apps/web/deploy.yaml'), false);
  });

  it('writes, replaces and lists sorted', () => {
    const source = new MemoryFileSource({ 'z.md': '' });
    source.write('./a/b.yaml', 'x: 1');
    source.write('a/b.yaml', 'x: 2');
    assert.deepEqual(source.listFiles(), ['a/b.yaml', 'z.md']);
    assert.deepEqual(source.readText('a/b.yaml'), { ok: true, text: 'x: 2' });
    assert.throws(() => source.write('a', 'x'), /a is a directory/);
    assert.throws(() => source.write('z.md/inner', 'x'), /z.md is a file/);
    assert.deepEqual(source.listFiles(), ['a/b.yaml', 'z.md']);
  });

  it('resolves symlinks inside the workspace and reads through them', () => {
    const source = new MemoryFileSource({
      'config/base.yaml': 'base: 1',
      'envs/dev/base.yaml': { symlink: '../../config/base.yaml' },
      'envs/dev/out': { symlink: '../../../elsewhere' },
      'abs': { symlink: '/etc/passwd' },
      'loop-a': { symlink: 'loop-b' },
      'loop-b': { symlink: 'loop-a' },
    });
    assert.equal(source.stat('envs/dev/base.yaml'), 'symlink');
    assert.deepEqual(source.readSymlink('envs/dev/base.yaml'), {
      linkText: '../../config/base.yaml',
      target: 'config/base.yaml',
    });
    assert.deepEqual(source.readText('envs/dev/base.yaml'), { ok: true, text: 'base: 1' });
    assert.equal(source.readSymlink('envs/dev/out')!.target, undefined);
    assert.equal(source.readSymlink('abs')!.target, undefined);
    const outside = source.readText('envs/dev/out');
    assert.ok(!outside.ok && outside.reason === 'unreadable');
    const loop = source.readText('loop-a');
    assert.ok(!loop.ok && loop.message === 'loop-a is a symlink loop');
  });

  it('reads byte content like the disk does: binary, not-utf8, BOM kept', () => {
    const source = new MemoryFileSource({
      'logo.png': new Uint8Array([0x89, 0x00]),
      'latin1.txt': new Uint8Array([0xe9]),
      'bom.md': new Uint8Array([0xef, 0xbb, 0xbf, 0x23]),
      'nul.txt': 'a\0b',
    });
    assert.deepEqual(source.readText('logo.png'), { ok: false, reason: 'binary', message: 'logo.png is a binary file' });
    assert.deepEqual(source.readText('latin1.txt'), {
      ok: false,
      reason: 'not-utf8',
      message: 'latin1.txt is not valid UTF-8 text',
    });
    assert.deepEqual(source.readText('bom.md'), { ok: true, text: '\ufeff#' });
    assert.equal(source.readText('nul.txt').ok, false);
    assert.deepEqual(source.readText('nope'), { ok: false, reason: 'missing', message: 'nope does not exist' });
    source.write('d/x', '');
    assert.deepEqual(source.readText('d'), { ok: false, reason: 'directory', message: 'd is a directory' });
    assert.equal(source.size('bom.md'), 4);
  });
});

describe('OverlayFileSource', () => {
  it('serves unsaved buffers over the base and everything else from the base', () => {
    const base = new MemoryFileSource({ 'a.yaml': 'saved', 'b.yaml': 'other', 'l': { symlink: 'a.yaml' } });
    const buffers = new Map([['a.yaml', 'unsaved']]);
    const source = new OverlayFileSource(base, (file) => buffers.get(file));
    assert.deepEqual(source.readText('./a.yaml'), { ok: true, text: 'unsaved' });
    assert.deepEqual(source.readText('b.yaml'), { ok: true, text: 'other' });
    assert.deepEqual(source.listFiles(), ['a.yaml', 'b.yaml', 'l']);
    assert.equal(source.stat('l'), 'symlink');
    assert.deepEqual(source.readSymlink('l'), { linkText: 'a.yaml', target: 'a.yaml' });
    assert.equal(source.size('a.yaml'), 7);
    assert.equal(source.size('b.yaml'), 5);
    assert.deepEqual(source.listEntries(), [
      { path: 'a.yaml', type: 'file' },
      { path: 'b.yaml', type: 'file' },
      { path: 'l', type: 'symlink' },
    ]);
    assert.equal(source.isIncluded('a.yaml'), true);
    assert.equal(source.ignoredBy('a.yaml'), undefined);
  });

  it("passes on the base's ignore reasons", () => {
    const root = makeTree({ '.gitignore': 'dist/\n', 'a.yaml': '' });
    try {
      const source = new OverlayFileSource(new DiskFileSource(root), () => undefined);
      assert.deepEqual(source.ignoredBy('dist/a.yaml'), { file: '.gitignore', line: 1, pattern: 'dist/' });
      assert.deepEqual(sourceBelow(source, 'dist').ignoredBy?.('dist/a.yaml'), { file: '.gitignore', line: 1, pattern: 'dist/' });
      assert.equal(sourceBelow(source, 'dist').ignoredBy?.('a.yaml'), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('stats each listed path for its type when the base cannot list types', () => {
    const memory = new MemoryFileSource({ 'a.yaml': 'x', 'l': { symlink: 'a.yaml' } });
    const untyped = {
      listFiles: () => memory.listFiles(),
      stat: (file: string) => memory.stat(file),
      readText: (file: string) => memory.readText(file),
      readSymlink: (file: string) => memory.readSymlink(file),
    };
    const source = new OverlayFileSource(untyped, () => undefined);
    assert.deepEqual(source.listEntries(), [
      { path: 'a.yaml', type: 'file' },
      { path: 'l', type: 'symlink' },
    ]);
    assert.equal(source.size('a.yaml'), undefined);
  });
});
