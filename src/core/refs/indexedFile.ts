/**
 * One file's entry in the reference index and the listed tree extractors check paths against; shared by the index and
 * the helper thread that extracts part of a large tree (`parallel.ts`).
 */
import type { EntryType, FileKind, FileSource, Problem, Reference, ReviewItem, WorkspaceView } from '../types';
import { dirname } from '../paths';
import { normalizeFast } from '../inventory/source';
import { extractFile } from './extract';

/** What the index keeps of one file. */
export interface IndexedFile {
  kind: FileKind;
  /** Sorted by start offset. */
  refs: Reference[];
  review: ReviewItem[];
  problems: Problem[];
}


/**
 * What extractors see of the workspace while the index is built and updated: the listed files (so a path that is
 * git-ignored or excluded does not count as existing) and the folders they imply.
 */
export class ListedTree implements WorkspaceView {
  /** Listed path → its type, or undefined while the file has not been classified yet. */
  private readonly entries = new Map<string, EntryType | undefined>();
  /**
   * Folder → how many direct children (listed entries and folders) it has. Counting direct children, not everything
   * below, lets adding a file touch only the folders it creates.
   */
  private readonly folderChildCounts = new Map<string, number>();

  constructor(private readonly source: FileSource) {}

  add(path: string, type?: EntryType): void {
    if (!this.entries.has(path)) this.addChild(dirname(path));
    this.entries.set(path, type);
  }

  delete(path: string): void {
    if (this.entries.delete(path)) this.removeChild(dirname(path));
  }

  stat(path: string): EntryType | undefined {
    const normalized = normalizeFast(path);
    if (normalized === '') return 'directory';
    if (this.entries.has(normalized)) return this.entries.get(normalized) ?? this.source.stat(normalized);
    return this.folderChildCounts.has(normalized) ? 'directory' : undefined;
  }

  private addChild(folder: string): void {
    if (folder === '') return;
    const count = this.folderChildCounts.get(folder);
    this.folderChildCounts.set(folder, (count ?? 0) + 1);
    if (count === undefined) this.addChild(dirname(folder));
  }

  private removeChild(folder: string): void {
    if (folder === '') return;
    const count = this.folderChildCounts.get(folder)! - 1;
    if (count > 0) {
      this.folderChildCounts.set(folder, count);
    } else {
      this.folderChildCounts.delete(folder);
      this.removeChild(dirname(folder));
    }
  }
}

/**
 * Reads, classifies and extracts one listed file, and records its type in `tree`. References come sorted by offset.
 */
export function extractIndexedFile(
  file: string,
  type: EntryType | undefined,
  source: FileSource,
  tree: ListedTree,
  chartFolders: ReadonlySet<string>,
): IndexedFile {
  const { kind, extraction } = extractFile(file, source, tree, { context: { chartFolders }, type });
  tree.add(file, kind === 'symlink' ? 'symlink' : 'file');
  const refs = extraction.refs.length > 1 ? [...extraction.refs].sort((a, b) => a.start - b.start) : extraction.refs;
  return { kind, refs, review: extraction.review, problems: extraction.problems };
}
