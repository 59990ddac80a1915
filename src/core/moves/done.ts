/**
 * Reference updates for moves that were already made outside Relayout (a terminal `mv`, `git mv`, another tool):
 * the moved files are at their new place, and the files that named them still name the old one. The batch is
 * planned exactly as Relayout would have planned the move, against the tree as it was before it — the current tree
 * and index seen through `BeforeMoves`, which puts the moved files back and re-reads their references from there.
 */
import { chartFoldersOf } from '../inventory/classify';
import { extractFile } from '../refs/extract';
import { isInside, movePath, normalize } from '../paths';
import type {
  EntryType,
  FileKind,
  FileSource,
  Move,
  MovePlan,
  Problem,
  ReadResult,
  Reference,
  ReferenceGraph,
  ReviewItem,
  SymlinkInfo,
} from '../types';
import { planMoves } from './plan';

/**
 * Plans `moves` (already carried out) against `graph` and `source`, which describe the tree after them. The result
 * is `planMoves`' plan for the tree before them, with each edit's `file` (and offsets) on the file where it is now: it
 * holds only what is still to do — the reference edits, and the kustomizations the load restrictor needs.
 */
export function planDoneMoves(moves: readonly Move[], graph: ReferenceGraph, source: FileSource): MovePlan {
  const done = moves.map((move) => ({ from: normalize(move.from), to: normalize(move.to) }));
  const before = new BeforeMoves(done, graph, source);
  const plan = planMoves(done, before, before);
  return {
    ...plan,
    edits: plan.edits.map((edit) => ({ ...edit, file: before.now(edit.file) })),
  };
}

/**
 * The tree before `moves`, as both the file source and the reference graph the planner reads: every path below a
 * move's source reads what is now below its target, targets are empty, and the moved files' own references are
 * extracted again at their old place (the index read them at the new one).
 */
class BeforeMoves implements FileSource, ReferenceGraph {
  private readonly beforeFiles: string[];
  private readonly moved = new Map<string, { refs: Reference[]; review: ReviewItem[]; problems: Problem[]; kind: FileKind }>();

  constructor(
    private readonly moves: readonly Move[],
    private readonly graph: ReferenceGraph,
    private readonly source: FileSource,
  ) {
    this.beforeFiles = graph.files().flatMap((file) => {
      if (this.hidden(file)) {
        const back = this.back(file);
        return back === undefined ? [] : [back];
      }
      return [file];
    }).sort();
    const context = { chartFolders: chartFoldersOf(this.beforeFiles) };
    for (const file of this.beforeFiles) {
      if (this.after(file) === file) continue;
      const { kind, extraction } = extractFile(file, this, this, { context });
      const refs = [...extraction.refs].sort((a, b) => a.start - b.start);
      this.moved.set(file, { kind, refs, review: extraction.review, problems: extraction.problems });
    }
  }

  /** Where a path before the moves is now. */
  now(path: string): string {
    return this.after(path);
  }

  // ---- FileSource: the tree before the moves

  listFiles(): string[] {
    return [...this.beforeFiles];
  }

  stat(path: string): EntryType | undefined {
    const normalized = normalize(path);
    if (this.moves.some((move) => isInside(move.from, normalized) && move.from !== normalized)) return 'directory';
    if (this.after(normalized) === normalized && this.hidden(normalized)) return undefined;
    return this.source.stat(this.after(normalized));
  }

  readText(path: string): ReadResult {
    const normalized = normalize(path);
    if (this.after(normalized) === normalized && this.hidden(normalized)) {
      return { ok: false, reason: 'missing', message: `${path} does not exist` };
    }
    return this.source.readText(this.after(normalized));
  }

  readSymlink(path: string): SymlinkInfo | undefined {
    const normalized = normalize(path);
    if (this.after(normalized) === normalized && this.hidden(normalized)) return undefined;
    const info = this.source.readSymlink(this.after(normalized));
    if (!info || info.target === undefined) return info;
    return { ...info, target: this.back(info.target) ?? info.target };
  }

  // ---- ReferenceGraph: the index before the moves

  files(): readonly string[] {
    return this.beforeFiles;
  }

  kindOf(path: string): FileKind | undefined {
    const normalized = normalize(path);
    return this.moved.get(normalized)?.kind ?? (this.hidden(normalized) ? undefined : this.graph.kindOf(normalized));
  }

  refsFrom(file: string): readonly Reference[] {
    const normalized = normalize(file);
    return this.moved.get(normalized)?.refs ?? (this.hidden(normalized) ? [] : this.graph.refsFrom(normalized));
  }

  refsInto(path: string): readonly Reference[] {
    const target = normalize(path);
    const kept = this.graph.refsInto(target).filter((ref) => !this.hidden(ref.from));
    const movedRefs = [...this.moved.values()].flatMap((entry) => entry.refs.filter((ref) => isInside(ref.target, target)));
    return [...kept, ...movedRefs];
  }

  allRefs(): Iterable<Reference> {
    return this.beforeFiles.flatMap((file) => this.refsFrom(file));
  }

  review(): readonly ReviewItem[] {
    return [...this.graph.review().filter((item) => !this.hidden(item.file)), ...[...this.moved.values()].flatMap((entry) => entry.review)];
  }

  problems(): readonly Problem[] {
    return [...this.graph.problems().filter((problem) => !this.hidden(problem.file)), ...[...this.moved.values()].flatMap((entry) => entry.problems)];
  }

  /** A path before the moves → where it is now (itself when no move carries it). */
  private after(path: string): string {
    for (const move of this.moves) {
      const moved = movePath(path, move.from, move.to);
      if (moved !== undefined) return moved;
    }
    return path;
  }

  /** A path now → where it was before the moves, when a move brought it there. */
  private back(path: string): string | undefined {
    for (const move of this.moves) {
      const moved = movePath(path, move.to, move.from);
      if (moved !== undefined) return moved;
    }
    return undefined;
  }

  /** True for paths a move created: nothing was there before it. */
  private hidden(path: string): boolean {
    return this.moves.some((move) => isInside(path, move.to));
  }
}
