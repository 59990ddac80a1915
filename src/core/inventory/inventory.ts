/** The workspace inventory: every file with its kind and size, counted by kind and by folder. */
import type { EntryType, FileKind, FileSource } from '../types';
import { basename, dirname } from '../paths';
import { chartFoldersOf, classifySourceFile } from './classify';
import { hasSize, hasTypedListing } from './source';

export interface InventoryFile {
  path: string;
  kind: FileKind;
  /** Bytes on disk; for a source that cannot tell, the UTF-8 length of the text (0 when unreadable). */
  size: number;
}

export type KindCounts = Partial<Record<FileKind, number>>;

export interface FolderCounts {
  /** Workspace folder; `''` is the root. */
  folder: string;
  /** Files anywhere below the folder. */
  total: number;
  /** Files directly in the folder. */
  direct: number;
  /** Files anywhere below the folder, by kind. */
  byKind: KindCounts;
  /** Files directly in the folder, by kind. */
  directByKind: KindCounts;
}

/** Plain data, ready for `JSON.stringify` (`relayout inventory --json`). */
export interface Inventory {
  /** Sorted by path. */
  files: InventoryFile[];
  totalFiles: number;
  totalBytes: number;
  byKind: KindCounts;
  /** Every folder that holds a file (the root included), sorted by path. */
  folders: FolderCounts[];
}

/** Lists, reads and classifies every file of the source. */
export function buildInventory(source: FileSource): Inventory {
  const entries: { path: string; type?: EntryType }[] = hasTypedListing(source)
    ? source.listEntries()
    : source.listFiles().map((path) => ({ path }));
  const context = { chartFolders: chartFoldersOf(entries.map((entry) => entry.path)) };
  const sized = hasSize(source) ? source : undefined;
  const files: InventoryFile[] = [];
  const folders = new Map<string, FolderCounts>();
  const byKind: KindCounts = {};
  let totalBytes = 0;

  for (const { path, type } of entries) {
    const { kind, read } = classifySourceFile(path, source, context, type ?? source.stat(path));
    const size = sized?.size(path) ?? (read?.ok ? Buffer.byteLength(read.text, 'utf8') : 0);
    files.push({ path, kind, size });
    totalBytes += size;
    increment(byKind, kind);
    const parent = dirname(path);
    for (let folder = parent; ; folder = dirname(folder)) {
      let counts = folders.get(folder);
      if (!counts) {
        counts = { folder, total: 0, direct: 0, byKind: {}, directByKind: {} };
        folders.set(folder, counts);
      }
      counts.total++;
      increment(counts.byKind, kind);
      if (folder === parent) {
        counts.direct++;
        increment(counts.directByKind, kind);
      }
      if (folder === '') break;
    }
  }

  return {
    files,
    totalFiles: files.length,
    totalBytes,
    byKind,
    folders: [...folders.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0)),
  };
}

function increment(counts: KindCounts, kind: FileKind): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}

export interface FormatInventoryOptions {
  /** How many folder levels to show below the root (default 2). */
  depth?: number;
}

/**
 * A readable table for `relayout inventory`: totals, counts by kind, then each folder down to `depth` levels with
 * its file count (everything below it) and its kinds, most frequent first.
 */
export function formatInventory(inventory: Inventory, options: FormatInventoryOptions = {}): string {
  const depth = options.depth ?? 2;
  const lines: string[] = [];
  const folderCount = inventory.folders.filter((folder) => folder.folder !== '').length;
  lines.push(
    `${inventory.totalFiles} ${plural(inventory.totalFiles, 'file')} in ${folderCount} ${plural(folderCount, 'folder')}, ` +
      formatBytes(inventory.totalBytes),
  );

  const kinds = sortedCounts(inventory.byKind);
  if (kinds.length > 0) {
    lines.push('', 'By kind');
    const kindWidth = Math.max(...kinds.map(([kind]) => kind.length));
    const countWidth = Math.max(...kinds.map(([, count]) => String(count).length));
    for (const [kind, count] of kinds) lines.push(`  ${kind.padEnd(kindWidth)}  ${String(count).padStart(countWidth)}`);
  }

  const rows: [string, number, string][] = [];
  for (const folder of inventory.folders) {
    if (folder.folder === '') continue;
    const level = folder.folder.split('/').length;
    if (level > depth) continue;
    rows.push([`${'  '.repeat(level - 1)}${basename(folder.folder)}/`, folder.total, formatKinds(folder.byKind)]);
  }
  const root = inventory.folders.find((folder) => folder.folder === '');
  if (root && root.direct > 0 && rows.length > 0) rows.push(['(root files)', root.direct, formatKinds(root.directByKind)]);
  if (rows.length > 0) {
    const nameWidth = Math.max('folder'.length, ...rows.map(([name]) => name.length));
    const countWidth = Math.max('files'.length, ...rows.map(([, count]) => String(count).length));
    lines.push('', `  ${'folder'.padEnd(nameWidth)}  ${'files'.padStart(countWidth)}  kinds`);
    for (const [name, count, kindText] of rows) {
      lines.push(`  ${name.padEnd(nameWidth)}  ${String(count).padStart(countWidth)}  ${kindText}`);
    }
  }
  return lines.join('\n') + '\n';
}

function sortedCounts(counts: KindCounts): [FileKind, number][] {
  return (Object.entries(counts) as [FileKind, number][]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function formatKinds(counts: KindCounts): string {
  return sortedCounts(counts)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
