import type { FileSource, ReferenceGraph } from '../types';
import { escapesRoot } from '../paths';
import type { RenameMap } from './renames';

/** A reference whose target does not exist. */
export interface BrokenReference {
  from: string;
  line: number;
  column: number;
  kind: string;
  text: string;
  target: string;
}

/** Broken references after a change, split into the ones the change introduced and the ones it found. */
export interface BrokenComparison {
  /** Broken now and not in the baseline: the change broke them. */
  introduced: BrokenReference[];
  /** Broken now and already broken in the baseline (at the referrer's new location). */
  preExisting: BrokenReference[];
  /** Broken in the baseline and no longer broken (or gone). */
  fixed: BrokenReference[];
}

/** Every reference in the graph whose target does not exist (or lies outside the workspace), in graph order. */
export function findBrokenReferences(graph: ReferenceGraph, source: FileSource): BrokenReference[] {
  const broken: BrokenReference[] = [];
  for (const ref of graph.allRefs()) {
    if (!escapesRoot(ref.target) && source.stat(ref.target) !== undefined) continue;
    broken.push({ from: ref.from, line: ref.line, column: ref.column, kind: ref.kind, text: ref.text, target: ref.target });
  }
  return broken;
}

/**
 * Matches today's broken references against the baseline's, as multisets. A reference is the same one when its
 * referrer (mapped through the renames) and kind agree, and either its text or its target (mapped through the
 * renames) agrees: a reference that moved with its file, or whose text was rewritten to keep naming the same missing
 * target, is still the same reference.
 */
export function compareBrokenReferences(
  baseline: readonly BrokenReference[],
  current: readonly BrokenReference[],
  renames: RenameMap,
): BrokenComparison {
  const byText = new Map<string, number[]>();
  const byTarget = new Map<string, number[]>();
  const mapped = baseline.map((ref) => ({ from: renames.map(ref.from), target: renames.map(ref.target) }));
  baseline.forEach((ref, index) => {
    push(byText, textKey(mapped[index].from, ref.kind, ref.text), index);
    push(byTarget, textKey(mapped[index].from, ref.kind, mapped[index].target), index);
  });
  const used = new Set<number>();
  const take = (candidates: number[] | undefined): boolean => {
    const index = candidates?.find((candidate) => !used.has(candidate));
    if (index === undefined) return false;
    used.add(index);
    return true;
  };
  const comparison: BrokenComparison = { introduced: [], preExisting: [], fixed: [] };
  // Exact text matches first, so that a target match never steals a baseline entry another reference matches by text.
  const unmatched: BrokenReference[] = [];
  for (const ref of current) {
    if (take(byText.get(textKey(ref.from, ref.kind, ref.text)))) comparison.preExisting.push(ref);
    else unmatched.push(ref);
  }
  for (const ref of unmatched) {
    if (take(byTarget.get(textKey(ref.from, ref.kind, ref.target)))) comparison.preExisting.push(ref);
    else comparison.introduced.push(ref);
  }
  baseline.forEach((ref, index) => {
    if (!used.has(index)) comparison.fixed.push(ref);
  });
  comparison.preExisting.sort(byLocation);
  comparison.introduced.sort(byLocation);
  return comparison;
}

function textKey(from: string, kind: string, text: string): string {
  return `${from}\u0000${kind}\u0000${text}`;
}

function push(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

function byLocation(a: BrokenReference, b: BrokenReference): number {
  if (a.from !== b.from) return a.from < b.from ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
