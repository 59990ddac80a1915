/**
 * The reference index: every reference of the workspace, by referring file and by target, kept up to date one file
 * at a time. Folder queries (`refsInto('apps/web')`) are answered from a sorted array of targets, where every target
 * below a folder forms one contiguous run.
 */
import type {
  EntryType,
  FileKind,
  FileSource,
  Problem,
  Reference,
  ReferenceGraph,
  ReviewItem,
  WorkspaceView,
} from '../types';
import { basename, dirname, isInside, normalize } from '../paths';
import { chartFoldersOf } from '../inventory/classify';
import { hasTypedListing, isFiltered } from '../inventory/source';
import { extractFile } from './extract';

interface IndexedFile {
  kind: FileKind;
  /** Sorted by start offset. */
  refs: Reference[];
  review: ReviewItem[];
  problems: Problem[];
}

export interface ReferenceIndexStats {
  files: number;
  refs: number;
  /** Distinct reference targets. */
  targets: number;
  review: number;
  problems: number;
  refsByKind: Record<string, number>;
  refsByConfidence: { exact: number; probable: number };
}

/**
 * What extractors see of the workspace while the index is built and updated: the listed files (so a path that is
 * git-ignored or excluded does not count as existing) and the folders they imply.
 */
class ListedTree implements WorkspaceView {
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
    const normalized = normalize(path);
    if (normalized === '') return 'directory';
    const type = this.entries.get(normalized);
    if (type !== undefined) return type;
    if (this.entries.has(normalized)) return this.source.stat(normalized);
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

/** Index of every reference in a workspace; the `ReferenceGraph` the planner, verify and the editor read. */
export class ReferenceIndex implements ReferenceGraph {
  private readonly indexed = new Map<string, IndexedFile>();
  private sortedFiles: string[] = [];
  /** Target → references to it, ordered by referring file, then offset. */
  private readonly byTarget = new Map<string, Reference[]>();
  private sortedTargets: string[] = [];
  private readonly tree: ListedTree;
  private readonly chartFolders: Set<string>;
  private allReferences: Reference[] | undefined;
  private allReview: ReviewItem[] | undefined;
  private allProblems: Problem[] | undefined;

  private constructor(
    private readonly source: FileSource,
    entries: readonly { path: string; type?: EntryType }[],
  ) {
    this.tree = new ListedTree(source);
    for (const entry of entries) this.tree.add(entry.path, entry.type);
    this.chartFolders = chartFoldersOf(entries.map((entry) => entry.path));
  }

  /** Lists, reads and extracts every file of the source. */
  static build(source: FileSource): ReferenceIndex {
    const entries: { path: string; type?: EntryType }[] = hasTypedListing(source)
      ? source.listEntries()
      : source.listFiles().map((path) => ({ path }));
    // Sorted here too: folder queries rely on code-unit order, whatever order a source lists in.
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const files = entries.map((entry) => entry.path);
    const index = new ReferenceIndex(source, entries);
    for (const { path: file, type } of entries) {
      const entry = index.extract(file, type);
      index.indexed.set(file, entry);
      for (const reference of entry.refs) {
        const list = index.byTarget.get(reference.target);
        if (list) list.push(reference);
        else index.byTarget.set(reference.target, [reference]);
      }
    }
    index.sortedFiles = files;
    index.sortedTargets = [...index.byTarget.keys()].sort();
    return index;
  }

  /**
   * Re-reads and re-extracts one file after it changed or was created; drops it when it is gone (or git-ignored or
   * excluded, for a source that filters). For a folder, re-lists the source and brings every file below it up to date.
   * A changed `.gitignore` also re-lists its folder, so files it now ignores leave and files it no longer ignores come.
   * Other files are not re-extracted: a free-text path that was dropped because its target did not exist stays dropped
   * until its own file changes.
   */
  update(path: string): void {
    const file = normalize(path);
    const type = this.source.stat(file);
    if (type === 'directory') {
      this.syncFolder(file, true);
      return;
    }
    if (type === undefined || (isFiltered(this.source) && !this.source.isIncluded(file))) {
      this.remove(file);
    } else {
      this.removeEntry(file);
      this.tree.add(file, type);
      if (basename(file) === 'Chart.yaml') this.chartFolders.add(dirname(file));
      const entry = this.extract(file, type);
      this.indexed.set(file, entry);
      insertSorted(this.sortedFiles, file);
      for (const reference of entry.refs) this.addTargetRef(reference);
      this.invalidateFlatLists();
    }
    if (basename(file) === '.gitignore') this.syncFolder(dirname(file), false);
  }

  /** Drops a file, or every file below a folder, from the index. */
  remove(path: string): void {
    const normalized = normalize(path);
    const below = this.filesBelow(normalized);
    for (const file of below) {
      this.removeEntry(file);
      this.tree.delete(file);
      if (basename(file) === 'Chart.yaml') this.chartFolders.delete(dirname(file));
    }
    if (below.length > 0) this.invalidateFlatLists();
  }

  files(): readonly string[] {
    return this.sortedFiles;
  }

  kindOf(path: string): FileKind | undefined {
    return this.indexed.get(normalize(path))?.kind;
  }

  refsFrom(file: string): readonly Reference[] {
    return this.indexed.get(normalize(file))?.refs ?? [];
  }

  refsInto(path: string): readonly Reference[] {
    const target = normalize(path);
    const result: Reference[] = [];
    const exact = this.byTarget.get(target);
    if (exact) result.push(...exact);
    const prefix = target === '' ? '' : target + '/';
    for (let i = lowerBound(this.sortedTargets, prefix); i < this.sortedTargets.length; i++) {
      const key = this.sortedTargets[i];
      if (!key.startsWith(prefix)) break;
      if (key === target) continue;
      for (const reference of this.byTarget.get(key)!) result.push(reference);
    }
    return result;
  }

  /** Every reference, by referring file, then offset (one array, kept until the next change). */
  allRefs(): readonly Reference[] {
    this.allReferences ??= this.sortedFiles.flatMap((file) => this.indexed.get(file)!.refs);
    return this.allReferences;
  }

  review(): readonly ReviewItem[] {
    this.allReview ??= this.sortedFiles.flatMap((file) => this.indexed.get(file)!.review);
    return this.allReview;
  }

  problems(): readonly Problem[] {
    this.allProblems ??= this.sortedFiles.flatMap((file) => this.indexed.get(file)!.problems);
    return this.allProblems;
  }

  /** Needs-review items found in one file. */
  reviewFor(file: string): readonly ReviewItem[] {
    return this.indexed.get(normalize(file))?.review ?? [];
  }

  /** Problems found reading one file. */
  problemsFor(file: string): readonly Problem[] {
    return this.indexed.get(normalize(file))?.problems ?? [];
  }

  /** Counts of what the index holds. */
  stats(): ReferenceIndexStats {
    const refsByKind: Record<string, number> = {};
    const refsByConfidence = { exact: 0, probable: 0 };
    let refs = 0;
    for (const entry of this.indexed.values()) {
      for (const reference of entry.refs) {
        refs++;
        refsByKind[reference.kind] = (refsByKind[reference.kind] ?? 0) + 1;
        refsByConfidence[reference.confidence]++;
      }
    }
    return {
      files: this.sortedFiles.length,
      refs,
      targets: this.byTarget.size,
      review: this.review().length,
      problems: this.problems().length,
      refsByKind,
      refsByConfidence,
    };
  }

  private extract(file: string, type: EntryType | undefined): IndexedFile {
    const { kind, extraction } = extractFile(file, this.source, this.tree, { context: { chartFolders: this.chartFolders }, type });
    // A listed type is in the tree already; a file listed without one gets it from classification.
    if (type === undefined) this.tree.add(file, kind === 'symlink' ? 'symlink' : 'file');
    const refs = isSortedByStart(extraction.refs) ? extraction.refs : [...extraction.refs].sort((a, b) => a.start - b.start);
    return { kind, refs, review: extraction.review, problems: extraction.problems };
  }

  /** Re-lists the source below `folder`: drops what is no longer listed, adds what is new, re-extracts the rest when asked. */
  private syncFolder(folder: string, reextract: boolean): void {
    const listed = this.source.listFiles().filter((file) => isInside(file, folder));
    const listedSet = new Set(listed);
    for (const file of this.filesBelow(folder)) if (!listedSet.has(file)) this.remove(file);
    for (const file of listed) if (reextract || !this.indexed.has(file)) this.update(file);
  }

  private filesBelow(path: string): string[] {
    if (this.indexed.has(path)) return [path];
    const prefix = path === '' ? '' : path + '/';
    const files: string[] = [];
    for (let i = lowerBound(this.sortedFiles, prefix); i < this.sortedFiles.length; i++) {
      if (!this.sortedFiles[i].startsWith(prefix)) break;
      files.push(this.sortedFiles[i]);
    }
    return files;
  }

  /** Forgets what the index knew about a file, keeping it in the listed tree. */
  private removeEntry(file: string): void {
    const entry = this.indexed.get(file);
    if (!entry) return;
    this.indexed.delete(file);
    removeSorted(this.sortedFiles, file);
    for (const target of new Set(entry.refs.map((reference) => reference.target))) {
      const remaining = this.byTarget.get(target)!.filter((reference) => reference.from !== file);
      if (remaining.length > 0) {
        this.byTarget.set(target, remaining);
      } else {
        this.byTarget.delete(target);
        removeSorted(this.sortedTargets, target);
      }
    }
  }

  private addTargetRef(reference: Reference): void {
    const list = this.byTarget.get(reference.target);
    if (!list) {
      this.byTarget.set(reference.target, [reference]);
      insertSorted(this.sortedTargets, reference.target);
      return;
    }
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const other = list[mid];
      if (other.from < reference.from || (other.from === reference.from && other.start <= reference.start)) low = mid + 1;
      else high = mid;
    }
    list.splice(low, 0, reference);
  }

  private invalidateFlatLists(): void {
    this.allReferences = undefined;
    this.allReview = undefined;
    this.allProblems = undefined;
  }
}

/** True when no reference starts before the one ahead of it (most extractors report in text order). */
function isSortedByStart(references: readonly Reference[]): boolean {
  for (let i = 1; i < references.length; i++) if (references[i].start < references[i - 1].start) return false;
  return true;
}

/** First index whose element is not less than `value` (code-unit order, as `Array.prototype.sort`). */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function insertSorted(sorted: string[], value: string): void {
  const at = lowerBound(sorted, value);
  if (sorted[at] !== value) sorted.splice(at, 0, value);
}

function removeSorted(sorted: string[], value: string): void {
  const at = lowerBound(sorted, value);
  if (sorted[at] === value) sorted.splice(at, 1);
}
