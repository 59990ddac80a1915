/**
 * The apply journal: everything needed to undo an apply byte for byte, written durably before the first change, and
 * an append-only progress log that records each finished step. Recovery trusts the log for every step but the one
 * that may have been in flight, and inspects the tree for that one.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { Move } from '../types';

export const RELAYOUT_FOLDER = '.relayout';
export const JOURNAL_FILE = `${RELAYOUT_FOLDER}/journal.json`;
export const PROGRESS_FILE = `${RELAYOUT_FOLDER}/journal.progress`;
export const LAST_APPLY_FILE = `${RELAYOUT_FOLDER}/last-apply.json`;
export const HISTORY_FOLDER = `${RELAYOUT_FOLDER}/history`;
/** Where files wait between the two halves of a rename, and where atomic writes are prepared. */
export const STAGING_FOLDER = `${RELAYOUT_FOLDER}/staging`;

/** `started`: apply under way. `completed`: every step done. `rolling-back`: undoing a completed apply. */
export type JournalPhase = 'started' | 'completed' | 'rolling-back';

/** A file the apply rewrites: its bytes before and after (base64), at its path before the batch. */
export interface JournalFile {
  path: string;
  /** Where it lives after the batch (it may also be renamed). */
  after: string;
  original: string;
  updated: string;
  mode: number;
}

export interface JournalCreate {
  path: string;
  content: string;
}

export interface JournalRelink {
  /** The link, at its path after the batch. */
  path: string;
  linkText: string;
  previousText: string;
}

export type JournalStep =
  | { op: 'write'; file: number }
  | { op: 'rename'; from: string; to: string }
  | { op: 'mkdir'; path: string }
  | { op: 'rmdir'; path: string; mode: number }
  | { op: 'create'; create: number }
  | { op: 'relink'; relink: number };

/** The git index entries the apply may change, so a rollback can put them back exactly. */
export interface JournalGit {
  /** The repository's top folder (absolute). */
  top: string;
  /** `git ls-files -s --full-name -z` output for every old and new path, before the apply. */
  indexEntries: string;
  /** Every old and new path, relative to the top. */
  paths: string[];
  /** Rename pairs whose source was tracked, relative to the workspace root. */
  staged: Move[];
}

export interface Journal {
  version: 1;
  phase: JournalPhase;
  startedAt: string;
  renames: Move[];
  files: JournalFile[];
  creates: JournalCreate[];
  relinks: JournalRelink[];
  steps: JournalStep[];
  /** Fingerprint (see `fingerprint`) of every path the apply leaves changed, as the apply leaves it. */
  expectedAfter: Record<string, string>;
  git?: JournalGit;
  /** A rollback asked to overwrite changes made after the apply. */
  forced?: boolean;
}

/** Writes a file and makes it durable: the data, then the folder entry. */
export function writeDurable(absolutePath: string, data: string | Uint8Array, mode?: number): void {
  fs.mkdirSync(nodePath.dirname(absolutePath), { recursive: true });
  const descriptor = fs.openSync(absolutePath, 'w', mode);
  try {
    fs.writeFileSync(descriptor, data);
    if (mode !== undefined) fs.fchmodSync(descriptor, mode);
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  syncFolder(nodePath.dirname(absolutePath));
}

/** Flushes a folder's entries (renames, creations) to disk. */
export function syncFolder(absoluteFolder: string): void {
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(absoluteFolder, 'r');
    fs.fsyncSync(descriptor);
  } catch {
    // Some platforms (Windows) cannot open or sync a folder; the rename itself is still atomic there.
  } finally {
    if (descriptor !== undefined) fs.closeSync(descriptor);
  }
}

/** Replaces a JSON file atomically and durably (write a sibling, then rename over). */
export function writeJsonAtomically(absolutePath: string, value: unknown): void {
  const temporary = `${absolutePath}.tmp`;
  writeDurable(temporary, JSON.stringify(value, null, 1));
  fs.renameSync(temporary, absolutePath);
  syncFolder(nodePath.dirname(absolutePath));
}

/**
 * Publishes a JSON file durably, failing with EEXIST when the file is already there: two runs cannot both start.
 * (Written to a sibling, then hard-linked into place, which never replaces an existing file.)
 */
export function publishJsonExclusively(absolutePath: string, value: unknown): void {
  const temporary = `${absolutePath}.${process.pid}.tmp`;
  writeDurable(temporary, JSON.stringify(value, null, 1));
  try {
    fs.linkSync(temporary, absolutePath);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  syncFolder(nodePath.dirname(absolutePath));
}

export function readJournalFile(absolutePath: string): Journal | undefined {
  let text: string;
  try {
    text = fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const journal = JSON.parse(text) as Journal;
  if (journal.version !== 1 || !Array.isArray(journal.steps)) throw new Error(`${absolutePath} is not a Relayout journal`);
  return journal;
}

/** What the progress log says: how many steps finished forward, and the lowest step undone (if any). */
export interface Progress {
  done: number;
  lowestUndone: number | undefined;
}

/** Appends progress lines durably; one open descriptor for a whole run. */
export class ProgressLog {
  private readonly descriptor: number;

  constructor(absolutePath: string) {
    this.descriptor = fs.openSync(absolutePath, 'a+');
    // A crash while appending can leave a torn last line (`undo 1` of `undo 12`): mark it invalid and start afresh.
    const size = fs.fstatSync(this.descriptor).size;
    const last = Buffer.alloc(1);
    if (size > 0 && fs.readSync(this.descriptor, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) {
      fs.writeSync(this.descriptor, ' torn\n');
    }
    syncFolder(nodePath.dirname(absolutePath));
  }

  record(line: 'do' | 'undo', step: number): void {
    fs.writeSync(this.descriptor, `${line} ${step}\n`);
    fs.fsyncSync(this.descriptor);
  }

  close(): void {
    fs.closeSync(this.descriptor);
  }
}

/** Reads the progress log; a torn line (a crash while appending) is ignored, as if never written. */
export function readProgress(absolutePath: string): Progress {
  let text = '';
  try {
    text = fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let done = 0;
  let lowestUndone: number | undefined;
  // Only newline-terminated lines count: a torn `undo 12` must not read as `undo 1`.
  for (const line of text.split('\n').slice(0, -1)) {
    const match = /^(do|undo) (\d+)$/.exec(line);
    if (!match) continue;
    const step = Number(match[2]);
    if (match[1] === 'do') done = Math.max(done, step + 1);
    else lowestUndone = Math.min(lowestUndone ?? step, step);
  }
  return { done, lowestUndone };
}

/** What is at a path, comparable across time: a content hash, a symlink's text, `directory` or `missing`. */
export function fingerprint(absolutePath: string): string {
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(absolutePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  if (stats.isSymbolicLink()) return `symlink:${fs.readlinkSync(absolutePath)}`;
  if (stats.isDirectory()) return 'directory';
  return contentFingerprint(fs.readFileSync(absolutePath));
}

export function contentFingerprint(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
