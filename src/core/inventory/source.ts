/**
 * File sources: how the engine reads a workspace. `DiskFileSource` for the CLI, `MemoryFileSource` for tests and
 * generated content, `OverlayFileSource` for the editor (unsaved buffers win over the disk).
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import type { EntryType, FileSource, IgnoreReason, ReadResult, SymlinkInfo } from '../types';
import { dirname, escapesRoot, isInside, join, normalize } from '../paths';

/** A source that can tell a file's size in bytes (a symlink's own size) without decoding it. */
export interface SizedFileSource extends FileSource {
  size(path: string): number | undefined;
}

/** True when `source` can report sizes. */
export function hasSize(source: FileSource): source is SizedFileSource {
  return typeof (source as Partial<SizedFileSource>).size === 'function';
}

/** A source that can tell whether a path is part of the workspace (not git-ignored, not excluded). */
export interface FilteredFileSource extends FileSource {
  isIncluded(path: string): boolean;
}

/** True when `source` filters paths (so an index can refuse to add an ignored file on update). */
export function isFiltered(source: FileSource): source is FilteredFileSource {
  return typeof (source as Partial<FilteredFileSource>).isIncluded === 'function';
}

/** Opens for reading but fails with ELOOP on a symlink, so the caller decides whether to follow it. */
const READ_NO_FOLLOW = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0);

function readWithoutFollowing(absolute: string): Buffer {
  const descriptor = fs.openSync(absolute, READ_NO_FOLLOW);
  try {
    return fs.readFileSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}

/** A listed entry with its type as seen while listing. */
export interface ListedEntry {
  path: string;
  type: 'file' | 'symlink';
}

/** A source that can list entries with their types, sparing a `stat` per file when building an index. */
export interface TypedListingSource extends FileSource {
  listEntries(): ListedEntry[];
}

/** True when `source` lists entries with their types. */
export function hasTypedListing(source: FileSource): source is TypedListingSource {
  return typeof (source as Partial<TypedListingSource>).listEntries === 'function';
}

/** Folder names never listed, at any depth. */
const ALWAYS_EXCLUDED = ['.git', 'node_modules', '.relayout'];

/** Git matches ignore patterns case-insensitively where the file system ignores case (its `core.ignorecase`). */
const IGNORE_OPTIONS = { ignorecase: process.platform === 'darwin' || process.platform === 'win32' };

/** Bytes inspected for a NUL byte before a file is called binary (git uses the same window). */
const BINARY_SNIFF_BYTES = 8192;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes file bytes the way every source does: a NUL byte in the first 8 KB makes the file binary, invalid UTF-8
 * fails, a BOM is kept as U+FEFF.
 */
export function decodeFileBytes(path: string, bytes: Uint8Array): ReadResult {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0) >= 0) {
    return { ok: false, reason: 'binary', message: `${path} is a binary file` };
  }
  try {
    return { ok: true, text: utf8Decoder.decode(bytes) };
  } catch {
    return { ok: false, reason: 'not-utf8', message: `${path} is not valid UTF-8 text` };
  }
}

/** Maps a file-system error from reading `path` to a read failure whose message names the file. */
export function readFailureFromError(path: string, error: unknown): ReadResult {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { ok: false, reason: 'missing', message: `${path} does not exist` };
    case 'EISDIR':
      return { ok: false, reason: 'directory', message: `${path} is a directory` };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, reason: 'unreadable', message: `${path} cannot be read: permission denied` };
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: 'unreadable', message: `${path} cannot be read: ${detail}` };
    }
  }
}

function isAlwaysExcluded(path: string): boolean {
  for (const segment of path.split('/')) {
    if (ALWAYS_EXCLUDED.includes(segment)) return true;
  }
  return false;
}

/** Where the plan's exclude patterns come from, as an ignore reason names it. */
const EXCLUDE_ORIGIN = 'relayout.exclude';

/**
 * Git's ignore rules for a tree: every `.gitignore` (root and nested; a deeper file overrides a shallower one), plus
 * exclude patterns in `.gitignore` syntax relative to the root, which no `.gitignore` can re-include.
 */
class IgnoreRules {
  private readonly excluded: Ignore | undefined;
  /** Folder → the rules of the `.gitignore` in it, each rule marked with its line number. */
  private readonly byFolder = new Map<string, Ignore>();
  /** Folders that have rules, deepest first, so the nearest `.gitignore` decides first. */
  private folders: string[] = [];
  /** Folder → the reason it is ignored, or null when it is not. */
  private readonly folderReasons = new Map<string, IgnoreReason | null>();

  constructor(excludePatterns: readonly string[]) {
    this.excluded = excludePatterns.length > 0 ? ignore(IGNORE_OPTIONS).add(excludePatterns) : undefined;
  }

  /** Adds the rules of the `.gitignore` in `folder`. */
  addGitignore(folder: string, text: string): void {
    // One pattern per line (as `ignore` splits a text), marked with its line so a reason can name it.
    const patterns = text.split(/\r?\n/).map((pattern, index) => ({ pattern, mark: String(index + 1) }));
    const existing = this.byFolder.get(folder);
    if (existing) existing.add(patterns);
    else this.byFolder.set(folder, ignore(IGNORE_OPTIONS).add(patterns));
    this.folderReasons.clear();
    this.folders = [...this.byFolder.keys()].sort((a, b) => b.length - a.length);
  }

  get isEmpty(): boolean {
    return this.byFolder.size === 0 && this.excluded === undefined;
  }

  /** Whether git would ignore `path` (a folder when `isFolder`), including because a parent folder is ignored. */
  ignores(path: string, isFolder: boolean): boolean {
    return this.reasonFor(path, isFolder) !== undefined;
  }

  /** The rule that ignores `path` (or the parent folder that is ignored), or undefined when nothing does. */
  reasonFor(path: string, isFolder: boolean): IgnoreReason | undefined {
    const parent = dirname(path);
    if (parent !== '') {
      const parentReason = this.folderReason(parent);
      if (parentReason) return parentReason;
    }
    const exclusion = this.excluded?.test(isFolder ? path + '/' : path);
    if (exclusion?.rule) return { file: EXCLUDE_ORIGIN, pattern: exclusion.rule.pattern };
    for (const folder of this.folders) {
      if (folder !== '' && !path.startsWith(folder + '/')) continue;
      const rules = this.byFolder.get(folder)!;
      const relative = folder === '' ? path : path.slice(folder.length + 1);
      const result = rules.test(isFolder ? relative + '/' : relative);
      if (result.ignored) {
        // The `ignore` package also reports a path as ignored when these rules alone exclude one of its parent
        // folders; the parents were already decided above with every .gitignore, so that verdict is not this path's.
        const relativeParent = dirname(relative);
        if (relativeParent !== '' && rules.test(relativeParent + '/').ignored) continue;
        return { file: join(folder, '.gitignore'), line: Number(result.rule!.mark), pattern: result.rule!.pattern };
      }
      if (result.unignored) return undefined;
    }
    return undefined;
  }

  private folderReason(folder: string): IgnoreReason | undefined {
    let reason = this.folderReasons.get(folder);
    if (reason === undefined) {
      reason = this.reasonFor(folder, true) ?? null;
      this.folderReasons.set(folder, reason);
    }
    return reason ?? undefined;
  }
}

export interface DiskFileSourceOptions {
  /**
   * Paths to leave out besides the git-ignored ones (the plan's `relayout.exclude`), in `.gitignore` syntax relative
   * to the root: `legacy/`, `**\/*.bak`, `charts/*\/templates/`.
   */
  exclude?: string[];
}

/** The workspace on disk. Never follows a symlink; honours every `.gitignore` and the exclude patterns. */
export class DiskFileSource implements SizedFileSource, FilteredFileSource, TypedListingSource {
  readonly root: string;
  private readonly exclude: string[];
  private rules: IgnoreRules | undefined;
  private readonly realFolders = new Set<string>();
  /** The root with symlinks resolved: where `realpath` of anything inside the workspace leads. */
  private realRoot: string | undefined;

  constructor(rootAbsPath: string, options: DiskFileSourceOptions = {}) {
    this.root = nodePath.resolve(rootAbsPath);
    this.exclude = options.exclude ?? [];
  }

  listFiles(): string[] {
    return this.listEntries().map((entry) => entry.path);
  }

  /** `listFiles` with each entry's type, as read from the directory (no extra `stat`). */
  listEntries(): ListedEntry[] {
    const entries = fg.sync('**', {
      cwd: this.root,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      suppressErrors: true,
      ignore: ALWAYS_EXCLUDED.flatMap((name) => [`**/${name}`, `**/${name}/**`]),
    });
    const files: ListedEntry[] = [];
    const rules = new IgnoreRules(this.exclude);
    for (const entry of entries) {
      const type = entry.dirent.isFile() ? 'file' : entry.dirent.isSymbolicLink() ? 'symlink' : undefined;
      if (type === undefined) {
        // A folder the listing walked into is real: reading the files below it needs no lstat of it.
        if (entry.dirent.isDirectory()) this.realFolders.add(entry.path);
        continue;
      }
      files.push({ path: entry.path, type });
      if (type === 'file' && entry.name === '.gitignore') {
        const text = this.readText(entry.path);
        if (text.ok) rules.addGitignore(dirname(entry.path), text.text);
      }
    }
    this.rules = rules;
    const listed = rules.isEmpty ? files : files.filter((file) => !rules.ignores(file.path, false));
    return listed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Whether `path` would be listed: not git-ignored, not excluded, not in `.git/`, `node_modules/`, `.relayout/`. */
  isIncluded(path: string): boolean {
    const normalized = normalize(path);
    if (normalized === '' || escapesRoot(normalized) || isAlwaysExcluded(normalized)) return false;
    this.rules ??= this.loadRules();
    return !this.rules.ignores(normalized, this.stat(normalized) === 'directory');
  }

  /**
   * The `.gitignore` line or exclude pattern that leaves `path` out (a path that need not exist yet, such as a move's
   * destination), or undefined when it would be listed as far as those rules go.
   */
  ignoredBy(path: string): IgnoreReason | undefined {
    const normalized = normalize(path);
    if (normalized === '' || escapesRoot(normalized)) return undefined;
    this.rules ??= this.loadRules();
    return this.rules.reasonFor(normalized, this.stat(normalized) === 'directory');
  }

  stat(path: string): EntryType | undefined {
    const normalized = normalize(path);
    if (escapesRoot(normalized)) return undefined;
    // A symlinked folder on the way would lead lstat out of the tree the listing describes.
    if (normalized !== '' && this.hasSymlinkedParent(normalized)) return undefined;
    const stats = fs.lstatSync(this.absolute(normalized), { throwIfNoEntry: false });
    if (!stats) return undefined;
    if (stats.isSymbolicLink()) return 'symlink';
    if (stats.isDirectory()) return 'directory';
    return 'file';
  }

  size(path: string): number | undefined {
    const normalized = normalize(path);
    if (escapesRoot(normalized) || (normalized !== '' && this.hasSymlinkedParent(normalized))) return undefined;
    return fs.lstatSync(this.absolute(normalized), { throwIfNoEntry: false })?.size;
  }

  readText(path: string): ReadResult {
    const normalized = normalize(path);
    if (escapesRoot(normalized)) return { ok: false, reason: 'missing', message: `${path} is outside the workspace` };
    if (normalized !== '' && this.hasSymlinkedParent(normalized)) {
      return { ok: false, reason: 'missing', message: `${path} lies below a symlinked folder, which is never followed` };
    }
    const absolute = this.absolute(normalized);
    try {
      return decodeFileBytes(path, readWithoutFollowing(absolute));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOOP') return readFailureFromError(path, error);
    }
    // The file is a symlink: read what it points at only when that lies inside the workspace.
    try {
      if (this.toWorkspacePath(fs.realpathSync.native(absolute)) === undefined) {
        return { ok: false, reason: 'unreadable', message: `${path} is a symlink that points outside the workspace` };
      }
      return decodeFileBytes(path, fs.readFileSync(absolute));
    } catch (error) {
      return readFailureFromError(path, error);
    }
  }

  readSymlink(path: string): SymlinkInfo | undefined {
    const normalized = normalize(path);
    if (this.stat(normalized) !== 'symlink') return undefined;
    const absolute = this.absolute(normalized);
    const linkText = fs.readlinkSync(absolute, { encoding: 'utf8' });
    const resolved = nodePath.resolve(nodePath.dirname(absolute), linkText);
    return { linkText, target: this.toWorkspacePath(resolved) };
  }

  /**
   * Whether a folder on the way to `path` is a symlink (lstat would follow it out of the tree the listing describes).
   * Folders found to be real are remembered: a real folder replaced by a symlink later is not noticed.
   */
  private hasSymlinkedParent(path: string): boolean {
    const parent = dirname(path);
    if (parent === '' || this.realFolders.has(parent)) return false;
    if (this.hasSymlinkedParent(parent)) return true;
    const stats = fs.lstatSync(this.absolute(parent), { throwIfNoEntry: false });
    if (stats?.isSymbolicLink()) return true;
    if (stats?.isDirectory()) this.realFolders.add(parent);
    return false;
  }

  private loadRules(): IgnoreRules {
    const rules = new IgnoreRules(this.exclude);
    const gitignores = fg.sync('**/.gitignore', {
      cwd: this.root,
      dot: true,
      followSymbolicLinks: false,
      suppressErrors: true,
      ignore: ALWAYS_EXCLUDED.map((name) => `**/${name}/**`),
    });
    for (const file of gitignores) {
      const text = this.readText(file);
      if (text.ok) rules.addGitignore(dirname(file), text.text);
    }
    return rules;
  }

  /** `path` is a normal workspace path inside the root, so it is appended as it is (`nodePath.join` would re-normalize it). */
  private absolute(path: string): string {
    if (path === '') return this.root;
    return this.root.endsWith(nodePath.sep) ? this.root + path : this.root + nodePath.sep + path;
  }

  /** The workspace path of an absolute path below the root as given or below its real path; else undefined. */
  private toWorkspacePath(absolute: string): string | undefined {
    this.realRoot ??= fs.realpathSync.native(this.root);
    for (const root of this.root === this.realRoot ? [this.root] : [this.root, this.realRoot]) {
      const relative = nodePath.relative(root, absolute).split(nodePath.sep).join('/');
      if (!nodePath.isAbsolute(relative) && !escapesRoot(relative)) return normalize(relative);
    }
    return undefined;
  }
}

/** Content of one in-memory entry: text, raw bytes, or a symlink with its link text. */
export type MemoryEntry = string | { symlink: string } | Uint8Array;

/** An in-memory workspace for tests and generated content. Folders are implied by the file paths. */
export class MemoryFileSource implements SizedFileSource, TypedListingSource {
  private readonly entries = new Map<string, MemoryEntry>();
  /** Folder → how many entries lie below it, so folders vanish with their last file. */
  private readonly folderEntryCounts = new Map<string, number>();
  private sortedFiles: string[] | undefined;

  constructor(files: Record<string, MemoryEntry> = {}) {
    for (const [path, content] of Object.entries(files)) this.write(path, content);
  }

  /** Creates or replaces a file or symlink. */
  write(path: string, content: MemoryEntry): void {
    const normalized = normalize(path);
    if (normalized === '' || escapesRoot(normalized)) throw new Error(`Not a workspace file path: ${path}`);
    if (this.folderEntryCounts.has(normalized)) throw new Error(`${path} is a directory`);
    for (let folder = dirname(normalized); folder !== ''; folder = dirname(folder)) {
      if (this.entries.has(folder)) throw new Error(`${folder} is a file, so ${path} cannot be created`);
    }
    if (!this.entries.has(normalized)) this.countFolders(normalized, 1);
    this.entries.set(normalized, content);
    this.sortedFiles = undefined;
  }

  /** Deletes a file or symlink; returns whether something was there. */
  delete(path: string): boolean {
    const normalized = normalize(path);
    if (!this.entries.delete(normalized)) return false;
    this.countFolders(normalized, -1);
    this.sortedFiles = undefined;
    return true;
  }

  listFiles(): string[] {
    this.sortedFiles ??= [...this.entries.keys()].sort();
    return [...this.sortedFiles];
  }

  listEntries(): ListedEntry[] {
    return this.listFiles().map((path) => ({ path, type: isSymlinkEntry(this.entries.get(path)!) ? 'symlink' : 'file' }));
  }

  stat(path: string): EntryType | undefined {
    const normalized = normalize(path);
    if (normalized === '') return 'directory';
    const entry = this.entries.get(normalized);
    if (entry !== undefined) return isSymlinkEntry(entry) ? 'symlink' : 'file';
    return this.folderEntryCounts.has(normalized) ? 'directory' : undefined;
  }

  size(path: string): number | undefined {
    const entry = this.entries.get(normalize(path));
    if (entry === undefined) return undefined;
    if (typeof entry === 'string') return Buffer.byteLength(entry, 'utf8');
    if (isSymlinkEntry(entry)) return Buffer.byteLength(entry.symlink, 'utf8');
    return entry.length;
  }

  readText(path: string): ReadResult {
    return this.readFollowing(normalize(path), path, new Set());
  }

  readSymlink(path: string): SymlinkInfo | undefined {
    const normalized = normalize(path);
    const entry = this.entries.get(normalized);
    if (entry === undefined || !isSymlinkEntry(entry)) return undefined;
    const linkText = entry.symlink;
    if (linkText.startsWith('/')) return { linkText, target: undefined };
    const target = join(dirname(normalized), linkText);
    return { linkText, target: escapesRoot(target) ? undefined : target };
  }

  private readFollowing(normalized: string, asked: string, seen: Set<string>): ReadResult {
    const entry = this.entries.get(normalized);
    if (entry === undefined) {
      if (this.stat(normalized) === 'directory') return { ok: false, reason: 'directory', message: `${asked} is a directory` };
      return { ok: false, reason: 'missing', message: `${asked} does not exist` };
    }
    if (typeof entry === 'string') {
      return entry.slice(0, BINARY_SNIFF_BYTES).includes('\0')
        ? { ok: false, reason: 'binary', message: `${asked} is a binary file` }
        : { ok: true, text: entry };
    }
    if (isSymlinkEntry(entry)) {
      const target = this.readSymlink(normalized)!.target;
      if (target === undefined) {
        return { ok: false, reason: 'unreadable', message: `${asked} is a symlink that points outside the workspace` };
      }
      if (seen.has(normalized)) return { ok: false, reason: 'unreadable', message: `${asked} is a symlink loop` };
      seen.add(normalized);
      return this.readFollowing(target, asked, seen);
    }
    return decodeFileBytes(asked, entry);
  }

  private countFolders(path: string, delta: number): void {
    for (let folder = dirname(path); folder !== ''; folder = dirname(folder)) {
      const count = (this.folderEntryCounts.get(folder) ?? 0) + delta;
      if (count === 0) this.folderEntryCounts.delete(folder);
      else this.folderEntryCounts.set(folder, count);
    }
  }
}

function isSymlinkEntry(entry: MemoryEntry): entry is { symlink: string } {
  return typeof entry === 'object' && !(entry instanceof Uint8Array);
}

/**
 * A source whose file texts can be replaced by the editor's unsaved buffers: `overlay(path)` returns the buffer text
 * or undefined. Listing, types and symlinks come from `base`.
 */
export class OverlayFileSource implements SizedFileSource, FilteredFileSource, TypedListingSource {
  constructor(
    private readonly base: FileSource,
    private readonly overlay: (path: string) => string | undefined,
  ) {}

  listFiles(): string[] {
    return this.base.listFiles();
  }

  /** The base's typed listing, or its listing with each type stat'ed. */
  listEntries(): ListedEntry[] {
    if (hasTypedListing(this.base)) return this.base.listEntries();
    return this.base.listFiles().map((path) => ({ path, type: this.base.stat(path) === 'symlink' ? 'symlink' : 'file' }));
  }

  stat(path: string): EntryType | undefined {
    return this.base.stat(path);
  }

  readText(path: string): ReadResult {
    const buffer = this.overlay(normalize(path));
    return buffer === undefined ? this.base.readText(path) : { ok: true, text: buffer };
  }

  readSymlink(path: string): SymlinkInfo | undefined {
    return this.base.readSymlink(path);
  }

  /** Size in bytes: the buffer's when one is open, otherwise the base's when it knows. */
  size(path: string): number | undefined {
    const buffer = this.overlay(normalize(path));
    if (buffer !== undefined) return Buffer.byteLength(buffer, 'utf8');
    return hasSize(this.base) ? this.base.size(path) : undefined;
  }

  /** Delegates to the base's filter when it has one. */
  isIncluded(path: string): boolean {
    return isFiltered(this.base) ? this.base.isIncluded(path) : true;
  }

  /** The base's ignore reason, when it can tell one. */
  ignoredBy(path: string): IgnoreReason | undefined {
    return this.base.ignoredBy?.(path);
  }
}

/** The files of `source` below `folder`, as a source of their own (an inventory of the plan's root only). */
export function sourceBelow(source: FileSource, folder: string): FileSource {
  return {
    listFiles: () => source.listFiles().filter((file) => isInside(file, folder)),
    stat: (path) => source.stat(path),
    readText: (path) => source.readText(path),
    readSymlink: (path) => source.readSymlink(path),
    ignoredBy: (path) => source.ignoredBy?.(path),
  };
}
