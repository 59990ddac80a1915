/**
 * The files a non-move step writes, tracked so that the step can be undone: at once when it fails or is cancelled
 * (nothing is left half-done), or later by a rollback from its record.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { contentFingerprint, fingerprint } from '../apply/journal';
import type { StepRecord } from './state';

export class StepChanges {
  private readonly created: string[] = [];
  private readonly changed: { path: string; original: string }[] = [];
  private readonly removedFolders: string[] = [];
  private readonly madeFolders: string[] = [];
  private readonly touched: Record<string, string> = {};

  constructor(private readonly rootAbs: string) {}

  /** Writes a file, creating it or replacing it (its bytes before are kept for the undo). */
  write(path: string, content: string): void {
    const target = this.absolute(path);
    const known = this.created.includes(path) || this.changed.some((entry) => entry.path === path);
    if (!known) {
      if (fs.existsSync(target)) this.changed.push({ path, original: fs.readFileSync(target).toString('base64') });
      else this.created.push(path);
    }
    this.makeFolders(nodePath.dirname(target));
    fs.writeFileSync(target, content);
    this.touched[path] = contentFingerprint(content);
  }

  /** Creates a file that must not exist yet. */
  create(path: string, content: string | Uint8Array, mode?: number): void {
    const target = this.absolute(path);
    if (fs.existsSync(target)) throw new Error(`${path} already exists`);
    this.makeFolders(nodePath.dirname(target));
    fs.writeFileSync(target, content, { flag: 'wx', mode });
    this.created.push(path);
    this.touched[path] = contentFingerprint(content);
  }

  /** Counts a file something else wrote for the step, where none was before, as created by it. */
  adopt(path: string): void {
    this.created.push(path);
    this.touched[path] = fingerprint(this.absolute(path));
  }

  /** Removes an empty folder. */
  removeEmptyFolder(path: string): void {
    fs.rmdirSync(this.absolute(path));
    this.removedFolders.push(path);
    this.touched[path] = 'missing';
  }

  /** Puts back everything written so far, newest first. */
  undo(): void {
    undoRecord(this.rootAbs, { created: this.created, changed: this.changed, removedFolders: this.removedFolders, touched: this.touched }, true);
    for (const folder of [...this.madeFolders].reverse()) removeIfEmpty(folder);
  }

  /** The parts of a step record that describe these changes. */
  record(): Pick<StepRecord, 'touched' | 'created' | 'changed' | 'removedFolders'> {
    return { touched: { ...this.touched }, created: [...this.created], changed: [...this.changed], removedFolders: [...this.removedFolders] };
  }

  private makeFolders(folderAbs: string): void {
    const missing: string[] = [];
    for (let folder = folderAbs; !fs.existsSync(folder); folder = nodePath.dirname(folder)) missing.push(folder);
    for (const folder of missing.reverse()) {
      fs.mkdirSync(folder);
      this.madeFolders.push(folder);
    }
  }

  private absolute(path: string): string {
    return nodePath.join(this.rootAbs, ...path.split('/'));
  }
}

/**
 * Files a recorded step left changed since, by path: what it left there differs from what is there now. A rollback
 * refuses these unless forced.
 */
export function changedSince(rootAbs: string, record: Pick<StepRecord, 'touched'>): string[] {
  return Object.entries(record.touched)
    .filter(([path, expected]) => fingerprint(nodePath.join(rootAbs, ...path.split('/'))) !== expected)
    .map(([path]) => path);
}

/**
 * Undoes a recorded step's file changes: created files removed (and the folders they leave empty), changed files
 * restored, removed folders made again. `force` removes or restores even files changed since.
 */
export function undoRecord(
  rootAbs: string,
  record: Pick<StepRecord, 'touched' | 'created' | 'changed' | 'removedFolders'>,
  force: boolean,
): void {
  if (!force) {
    const changed = changedSince(rootAbs, record);
    if (changed.length > 0) throw new Error(`changed since the step: ${changed.join(', ')}`);
  }
  const absolute = (path: string): string => nodePath.join(rootAbs, ...path.split('/'));
  for (const path of [...record.created].reverse()) {
    fs.rmSync(absolute(path), { force: true });
    for (let folder = nodePath.dirname(absolute(path)); folder.startsWith(rootAbs + nodePath.sep); folder = nodePath.dirname(folder)) {
      if (!removeIfEmpty(folder)) break;
    }
  }
  for (const { path, original } of record.changed) fs.writeFileSync(absolute(path), Buffer.from(original, 'base64'));
  for (const path of [...record.removedFolders].reverse()) fs.mkdirSync(absolute(path), { recursive: true });
}

function removeIfEmpty(folderAbs: string): boolean {
  try {
    if (fs.readdirSync(folderAbs).length > 0) return false;
    fs.rmdirSync(folderAbs);
    return true;
  } catch {
    return false;
  }
}
