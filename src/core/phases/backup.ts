/**
 * The backup action and the restore a backup step's rollback performs. In a git repository whose tree is clean, the
 * backup is a tag on HEAD; otherwise a copy of the workspace under `.relayout/backups/<id>/`. A restore puts back
 * only what differs from the backup, and only when every difference is one the steps since the backup made.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { fingerprint, RELAYOUT_FOLDER } from '../apply/journal';
import type { BackupRecord } from './state';

export const BACKUPS_FOLDER = `${RELAYOUT_FOLDER}/backups`;
/** Never part of a snapshot or a restore: git's own data, Relayout's bookkeeping, installed packages. */
const NOT_BACKED_UP = new Set(['.git', RELAYOUT_FOLDER, 'node_modules']);

/** Makes the backup of the workspace at `rootAbs`; `label` names it (the step id) and `stamp` dates it. */
export function makeBackup(rootAbs: string, label: string, stamp: string): BackupRecord {
  const repository = gitRepository(rootAbs);
  const name = `relayout/backup-${label}-${stamp}`;
  if (repository && gitChanges(repository, rootAbs).length === 0) {
    const commit = git(repository.top, ['rev-parse', 'HEAD'])?.trim();
    if (commit && git(repository.top, ['tag', name, commit]) !== undefined) return { kind: 'git', ref: name, commit, top: repository.top };
  }
  const id = `backup-${label}-${stamp}`;
  const folder = `${BACKUPS_FOLDER}/${id}`;
  const target = nodePath.join(rootAbs, ...folder.split('/'));
  try {
    fs.mkdirSync(target, { recursive: true });
    for (const name of fs.readdirSync(rootAbs)) {
      if (NOT_BACKED_UP.has(name)) continue;
      fs.cpSync(nodePath.join(rootAbs, name), nodePath.join(target, name), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    }
  } catch (error) {
    fs.rmSync(target, { recursive: true, force: true });
    throw error;
  }
  return { kind: 'snapshot', id, folder };
}

/** Workspace-relative paths (files and symlinks) that differ between the tree and the backup. */
export function differencesFromBackup(rootAbs: string, backup: BackupRecord): string[] {
  if (backup.kind === 'git') {
    const repository = gitRepository(rootAbs);
    if (!repository) throw new Error('the workspace is no longer a git repository');
    const head = git(repository.top, ['rev-parse', 'HEAD'])?.trim();
    if (head !== backup.commit) {
      throw new Error(`commits were made since the backup (HEAD is ${head?.slice(0, 12)}, the backup ${backup.commit.slice(0, 12)}); restore with git`);
    }
    return gitChanges(repository, rootAbs);
  }
  const snapshot = nodePath.join(rootAbs, ...backup.folder.split('/'));
  if (!fs.existsSync(snapshot)) throw new Error(`the backup ${backup.folder} is gone`);
  const now = listTree(rootAbs);
  const then = listTree(snapshot);
  const paths = new Set([...now, ...then]);
  return [...paths]
    .filter((path) => fingerprint(nodePath.join(rootAbs, ...path.split('/'))) !== fingerprint(nodePath.join(snapshot, ...path.split('/'))))
    .sort();
}

/** Puts every path in `paths` back as the backup has it (removing those it lacks), then drops folders left empty. */
export function restoreFromBackup(rootAbs: string, backup: BackupRecord, paths: readonly string[]): void {
  const absolute = (path: string): string => nodePath.join(rootAbs, ...path.split('/'));
  if (backup.kind === 'git') {
    const repository = gitRepository(rootAbs)!;
    const realRoot = fs.realpathSync(rootAbs);
    const fromTop = (path: string): string => nodePath.relative(repository.top, nodePath.join(realRoot, path)).split(nodePath.sep).join('/');
    const inBackup = paths.filter((path) => git(repository.top, ['cat-file', '-e', `${backup.commit}:${fromTop(path)}`]) !== undefined);
    const extra = paths.filter((path) => !inBackup.includes(path));
    if (extra.length > 0) git(repository.top, ['rm', '-q', '-r', '-f', '--cached', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], extra.map(fromTop).join('\0'));
    for (const path of extra) fs.rmSync(absolute(path), { force: true });
    if (inBackup.length > 0) {
      const restored = git(repository.top, ['checkout', backup.commit, '--pathspec-from-file=-', '--pathspec-file-nul'], inBackup.map(fromTop).join('\0'));
      if (restored === undefined) throw new Error('git checkout of the backup failed');
    }
  } else {
    const snapshot = nodePath.join(rootAbs, ...backup.folder.split('/'));
    for (const path of paths) {
      const saved = nodePath.join(snapshot, ...path.split('/'));
      fs.rmSync(absolute(path), { force: true });
      if (fingerprint(saved) === 'missing') continue;
      fs.mkdirSync(nodePath.dirname(absolute(path)), { recursive: true });
      fs.cpSync(saved, absolute(path), { verbatimSymlinks: true, preserveTimestamps: true });
    }
    for (const folder of listFolders(snapshot)) fs.mkdirSync(absolute(folder), { recursive: true });
  }
  removeEmptyFolders(rootAbs, '');
}

/** Every file and symlink below a folder, `.git`, `.relayout` and `node_modules` left out. */
function listTree(folderAbs: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(nodePath.join(folderAbs, ...prefix.split('/').filter(Boolean)), { withFileTypes: true })) {
    if (prefix === '' && NOT_BACKED_UP.has(entry.name)) continue;
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listTree(folderAbs, path));
    else out.push(path);
  }
  return out;
}

function listFolders(folderAbs: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(nodePath.join(folderAbs, ...prefix.split('/').filter(Boolean)), { withFileTypes: true })) {
    if (!entry.isDirectory() || (prefix === '' && NOT_BACKED_UP.has(entry.name))) continue;
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    out.push(path, ...listFolders(folderAbs, path));
  }
  return out;
}

/** Removes folders below `folder` that hold nothing (bottom-up); true when `folder` itself is now empty. */
function removeEmptyFolders(rootAbs: string, folder: string): boolean {
  const folderAbs = nodePath.join(rootAbs, ...folder.split('/').filter(Boolean));
  let empty = true;
  for (const entry of fs.readdirSync(folderAbs, { withFileTypes: true })) {
    if (folder === '' && NOT_BACKED_UP.has(entry.name)) {
      empty = false;
      continue;
    }
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory() && removeEmptyFolders(rootAbs, path)) fs.rmdirSync(nodePath.join(folderAbs, entry.name));
    else empty = false;
  }
  return empty;
}

interface GitRepository {
  top: string;
}

function gitRepository(rootAbs: string): GitRepository | undefined {
  const top = git(rootAbs, ['rev-parse', '--show-toplevel'])?.trim();
  return top ? { top } : undefined;
}

/** Paths under the workspace (workspace-relative) that differ from HEAD, staged or not, untracked included. */
function gitChanges(repository: GitRepository, rootAbs: string): string[] {
  const output = git(rootAbs, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', '.']);
  if (output === undefined) return [];
  const realRoot = fs.realpathSync(rootAbs);
  const paths: string[] = [];
  for (const entry of output.split('\0')) {
    if (entry.length < 4) continue;
    const path = nodePath.relative(realRoot, nodePath.join(repository.top, entry.slice(3))).split(nodePath.sep).join('/');
    if (path.startsWith('..') || path === RELAYOUT_FOLDER || path.startsWith(`${RELAYOUT_FOLDER}/`)) continue;
    paths.push(path);
  }
  return paths.sort();
}

function git(cwd: string, args: string[], input?: string): string | undefined {
  const result = spawnSync('git', ['--literal-pathspecs', ...args], { cwd, input, encoding: 'utf8', maxBuffer: 256 << 20 });
  return result.status === 0 ? result.stdout : undefined;
}
