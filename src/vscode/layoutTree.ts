/**
 * The Proposed Layout tree as plain data, built from one workspace snapshot. No `vscode` import: the view only turns
 * these nodes into tree items, and the unit tests build them from an in-memory workspace.
 *
 * The tree is the destination side of the plan: the plan's layout folders (and any other folder a move creates),
 * each holding the files that land in it, at their destination names. A folder rule's move is shown file by file;
 * the folder it lands in carries the move itself (`source`), so the whole folder can be moved from there.
 */
import { basename, dirname, isInside } from '../core/paths';
import type { CompileResult } from '../core/plan/compile';
import type { Plan } from '../core/plan/types';
import type { Problem, ReferenceGraph, ReviewItem } from '../core/types';

export type EntryState = 'pending' | 'done' | 'conflict' | 'review';

/** A file of the proposed layout: where it is now and where the plan puts it. */
export interface LayoutEntry {
  kind: 'entry';
  /** Workspace-relative path of the file now. */
  current: string;
  /** Workspace-relative path the plan puts it at (equal to `current` when done). */
  destination: string;
  state: EntryState;
  /** The rule that moves it (undefined for a file already in place that no rule names). */
  rule: string | undefined;
  /** Why it is in conflict or needs review. */
  reasons: string[];
}

export interface LayoutFolder {
  kind: 'folder';
  /** Workspace-relative destination path. */
  path: string;
  /** The plan's description when this is one of its layout folders. */
  description: string | undefined;
  /** True for a folder the plan's `layout` lists; false for one a move creates on the way. */
  inLayout: boolean;
  /** The folder that moves here whole (a folder rule), while that move is pending. */
  source: string | undefined;
  folders: LayoutFolder[];
  entries: LayoutEntry[];
  /** Files that land below this folder, and how many of them are there already. */
  total: number;
  moved: number;
  /** The worst state below: conflict, then review, then pending; done when everything is in place. */
  state: EntryState;
}

/** A plan-level conflict (two rules send files to one place, …), positioned in the plan file. */
export interface PlanConflict {
  kind: 'planConflict';
  problem: Problem;
}

/**
 * A file in conflict, as the Conflicts group lists it. A row of its own (not the entry itself): the entry is also
 * shown in its folder, and one tree must not hold the same element twice.
 */
export interface ConflictRow {
  kind: 'conflict';
  entry: LayoutEntry;
}

export interface LayoutGroup {
  kind: 'group';
  id: 'conflicts' | 'unmatched';
  label: string;
  children: (ConflictRow | PlanConflict | UnmatchedFile)[];
}

/** A file under the plan's root that no rule, keep entry or exclude covers. */
export interface UnmatchedFile {
  kind: 'unmatched';
  path: string;
}

export type LayoutNode = LayoutFolder | LayoutEntry | LayoutGroup | ConflictRow | PlanConflict | UnmatchedFile;

export interface LayoutTree {
  /** Top level: the folders and files directly under the plan's root, then the non-empty groups. */
  roots: LayoutNode[];
  /** Every path with a pending proposed move (move sources and the files inside folder moves) → its destination. */
  destinations: ReadonlyMap<string, string>;
  /** Folders by destination path, for revealing and for tests. */
  folders: ReadonlyMap<string, LayoutFolder>;
  /** Entries by current path. */
  entries: ReadonlyMap<string, LayoutEntry>;
}

export interface LayoutInput {
  plan: Plan;
  compiled: CompileResult;
  graph: Pick<ReferenceGraph, 'files' | 'review'>;
}

const stateRank: Record<EntryState, number> = { done: 0, pending: 1, review: 2, conflict: 3 };

export function buildLayoutTree({ plan, compiled, graph }: LayoutInput): LayoutTree {
  const root = plan.root;
  const folders = new Map<string, LayoutFolder>();
  const top: LayoutFolder = newFolder(root);
  const layoutOrder = new Map<string, number>();

  const folderAt = (path: string): LayoutFolder => {
    if (path === root || path === '') return top;
    const existing = folders.get(path);
    if (existing) return existing;
    const parent = folderAt(dirname(path));
    const folder = newFolder(path);
    folders.set(path, folder);
    parent.folders.push(folder);
    return folder;
  };

  plan.layout.forEach((layoutFolder, index) => {
    if (layoutFolder.path === '.') return;
    const path = workspacePath(root, layoutFolder.path);
    const folder = folderAt(path);
    folder.inLayout = true;
    folder.description = layoutFolder.description;
    layoutOrder.set(path, index);
  });

  // Pending moves, expanded to their files: a folder move carries every listed file below its source.
  const files = graph.files();
  const destinations = new Map<string, string>();
  const entries = new Map<string, LayoutEntry>();
  const pendingMoveOf = new Map<string, string>();
  for (const move of compiled.moves) {
    destinations.set(move.from, move.to);
    if (!move.folder) {
      entries.set(move.from, pendingEntry(move.from, move.to, move.rule));
      pendingMoveOf.set(move.from, move.from);
      continue;
    }
    folderAt(move.to).source = move.from;
    for (const file of filesBelow(files, move.from)) {
      const to = move.to + file.slice(move.from.length);
      destinations.set(file, to);
      entries.set(file, pendingEntry(file, to, move.rule));
      pendingMoveOf.set(file, move.from);
    }
  }
  for (const path of compiled.done) {
    entries.set(path, { kind: 'entry', current: path, destination: path, state: 'done', rule: undefined, reasons: [] });
  }

  markConflicts(entries, new Set(files));
  markReview(entries, pendingMoveOf, graph.review());

  for (const entry of entries.values()) folderAt(dirname(entry.destination)).entries.push(entry);
  sortAndCount(top, layoutOrder);

  const roots: LayoutNode[] = [...top.folders, ...top.entries];
  const conflicts: LayoutGroup['children'] = [
    ...compiled.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem): PlanConflict => ({ kind: 'planConflict', problem })),
    ...[...entries.values()]
      .filter((entry) => entry.state === 'conflict')
      .sort(byCurrent)
      .map((entry): ConflictRow => ({ kind: 'conflict', entry })),
  ];
  if (conflicts.length > 0) roots.push({ kind: 'group', id: 'conflicts', label: 'Conflicts', children: conflicts });
  if (compiled.unmatched.length > 0) {
    roots.push({
      kind: 'group',
      id: 'unmatched',
      label: 'Not in the plan',
      children: compiled.unmatched.map((path): UnmatchedFile => ({ kind: 'unmatched', path })),
    });
  }
  return { roots, destinations, folders, entries };
}

/** The children a node shows; `onlyPending` hides what is already in place. */
export function childrenOf(node: LayoutNode, onlyPending: boolean): LayoutNode[] {
  if (node.kind === 'folder') {
    const children: LayoutNode[] = [...node.folders, ...node.entries];
    return onlyPending ? children.filter(isPendingWork) : children;
  }
  if (node.kind === 'group') return node.children;
  return [];
}

/** The top level, filtered the same way as `childrenOf`. */
export function rootsOf(tree: LayoutTree, onlyPending: boolean): LayoutNode[] {
  return onlyPending ? tree.roots.filter(isPendingWork) : tree.roots;
}

/** "12/30 moved" */
export function countLabel(folder: LayoutFolder): string | undefined {
  return folder.total === 0 ? undefined : `${folder.moved}/${folder.total} moved`;
}

function isPendingWork(node: LayoutNode): boolean {
  if (node.kind === 'folder') return node.moved < node.total;
  if (node.kind === 'entry') return node.state !== 'done';
  return true;
}

function newFolder(path: string): LayoutFolder {
  return {
    kind: 'folder',
    path,
    description: undefined,
    inLayout: false,
    source: undefined,
    folders: [],
    entries: [],
    total: 0,
    moved: 0,
    state: 'done',
  };
}

function pendingEntry(current: string, destination: string, rule: string): LayoutEntry {
  return { kind: 'entry', current, destination, state: 'pending', rule, reasons: [] };
}

function workspacePath(root: string, rootRelative: string): string {
  return root === '' ? rootRelative : `${root}/${rootRelative}`;
}

/** The files of the sorted list `files` strictly below `folder`, found by binary search. */
function filesBelow(files: readonly string[], folder: string): string[] {
  const prefix = `${folder}/`;
  let low = 0;
  let high = files.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (files[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  const below: string[] = [];
  for (let index = low; index < files.length && files[index]!.startsWith(prefix); index++) below.push(files[index]!);
  return below;
}

/**
 * Two files bound for one path, or a path where a file already is and stays: each is a conflict the planner would
 * refuse, found here per file so the tree can point at it.
 */
function markConflicts(entries: Map<string, LayoutEntry>, present: Set<string>): void {
  const byDestination = new Map<string, LayoutEntry[]>();
  for (const entry of entries.values()) {
    if (entry.state === 'done') continue;
    const list = byDestination.get(entry.destination);
    if (list) list.push(entry);
    else byDestination.set(entry.destination, [entry]);
  }
  for (const [destination, bound] of byDestination) {
    if (bound.length > 1) {
      for (const entry of bound) {
        const others = bound.filter((other) => other !== entry).map((other) => other.current);
        conflict(entry, `${others.join(', ')} would move to ${destination} too`);
      }
    }
    const occupant = entries.get(destination);
    const stays = present.has(destination) && (occupant === undefined || occupant.state === 'done');
    if (stays) for (const entry of bound) conflict(entry, `${destination} already exists and stays`);
  }
}

function conflict(entry: LayoutEntry, reason: string): void {
  entry.state = 'conflict';
  entry.reasons.push(reason);
}

/**
 * Pending files the reference index cannot rewrite for: a path built from variables or a glob inside the file, or
 * naming the file (or a folder of its move) from elsewhere.
 */
function markReview(entries: Map<string, LayoutEntry>, pendingMoveOf: Map<string, string>, review: readonly ReviewItem[]): void {
  for (const item of review) {
    const where = `${item.file}:${item.line}: ${item.reason}`;
    const inFile = entries.get(item.file);
    if (inFile && inFile.state !== 'done') flag(inFile, where);
    const target = item.target;
    if (target === undefined || target === '') continue;
    const named = entries.get(target);
    if (named && named !== inFile && named.state !== 'done') flag(named, where);
    if (named) continue;
    // A folder: every pending file below it whose move carries that folder (or the folder itself) along.
    for (const [file, moved] of pendingMoveOf) {
      const entry = entries.get(file)!;
      if (entry === inFile || !isInside(file, target) || !isInside(target, moved)) continue;
      flag(entry, where);
    }
  }
}

function flag(entry: LayoutEntry, reason: string): void {
  if (entry.state === 'pending') entry.state = 'review';
  if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
}

function sortAndCount(folder: LayoutFolder, layoutOrder: Map<string, number>): void {
  folder.total = folder.entries.length;
  folder.moved = 0;
  let worst: EntryState = 'done';
  for (const entry of folder.entries) {
    if (entry.state === 'done') folder.moved++;
    if (stateRank[entry.state] > stateRank[worst]) worst = entry.state;
  }
  for (const child of folder.folders) {
    sortAndCount(child, layoutOrder);
    folder.total += child.total;
    folder.moved += child.moved;
    if (stateRank[child.state] > stateRank[worst]) worst = child.state;
  }
  folder.state = worst;
  // Layout folders in the plan's order (the proposal's reading order), then folders moves create, by name.
  folder.folders.sort((a, b) => {
    const orderA = layoutOrder.get(a.path) ?? Number.MAX_SAFE_INTEGER;
    const orderB = layoutOrder.get(b.path) ?? Number.MAX_SAFE_INTEGER;
    return orderA - orderB || compare(basename(a.path), basename(b.path));
  });
  folder.entries.sort((a, b) => compare(basename(a.destination), basename(b.destination)));
}

function byCurrent(a: LayoutEntry, b: LayoutEntry): number {
  return compare(a.current, b.current);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
