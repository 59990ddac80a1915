import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import {
  contentFingerprint,
  fingerprint,
  ProgressLog,
  publishJsonExclusively,
  readProgress,
  writeJsonAtomically,
} from '../../../../src/core/apply/journal';

describe('apply journal', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'relayout-journal-'));
  });

  it('reads forward and backward progress', () => {
    const log = nodePath.join(folder, 'progress');
    assert.deepEqual(readProgress(log), { done: 0, lowestUndone: undefined });
    fs.writeFileSync(log, 'do 0\ndo 1\ndo 2\nundo 3\nundo 2\n');
    assert.deepEqual(readProgress(log), { done: 3, lowestUndone: 2 });
  });

  it('ignores a torn last line, and marks it invalid before appending', () => {
    const path = nodePath.join(folder, 'progress');
    fs.writeFileSync(path, 'do 0\nundo 12\nundo 1');
    assert.deepEqual(readProgress(path), { done: 1, lowestUndone: 12 });
    const log = new ProgressLog(path);
    log.record('undo', 11);
    log.close();
    assert.equal(fs.readFileSync(path, 'utf8'), 'do 0\nundo 12\nundo 1 torn\nundo 11\n');
    assert.deepEqual(readProgress(path), { done: 1, lowestUndone: 11 });
  });

  it('fingerprints content, symlinks, folders and absence', () => {
    fs.writeFileSync(nodePath.join(folder, 'f'), 'abc');
    fs.symlinkSync('f', nodePath.join(folder, 'l'));
    assert.equal(fingerprint(nodePath.join(folder, 'f')), contentFingerprint('abc'));
    assert.equal(contentFingerprint('abc'), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(fingerprint(nodePath.join(folder, 'l')), 'symlink:f');
    assert.equal(fingerprint(folder), 'directory');
    assert.equal(fingerprint(nodePath.join(folder, 'none')), 'missing');
  });

  it('publishes a JSON file only once, leaving no temporary sibling either way', () => {
    const path = nodePath.join(folder, 'journal.json');
    publishJsonExclusively(path, { run: 1 });
    assert.throws(() => publishJsonExclusively(path, { run: 2 }), { code: 'EEXIST' });
    assert.deepEqual(JSON.parse(fs.readFileSync(path, 'utf8')), { run: 1 });
    assert.deepEqual(fs.readdirSync(folder), ['journal.json']);
  });

  it('replaces a JSON file without leaving its temporary sibling', () => {
    const path = nodePath.join(folder, 'sub', 'j.json');
    writeJsonAtomically(path, { a: 1 });
    writeJsonAtomically(path, { a: 2 });
    assert.deepEqual(JSON.parse(fs.readFileSync(path, 'utf8')), { a: 2 });
    assert.deepEqual(fs.readdirSync(nodePath.dirname(path)), ['j.json']);
  });
});
