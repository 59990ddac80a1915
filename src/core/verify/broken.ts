import type { FileSource, ReferenceGraph } from '../types';
import { isInside } from '../paths';
import { LineIndex } from '../text';
import type { RenameMap } from './renames';
import { referenceResolves } from '../refs/resolves';

/** A reference as a baseline records it: where it is written, what it says, what it resolved to. */
export interface RecordedReference {
  from: string;
  line: number;
  column: number;
  kind: string;
  text: string;
  target: string;
}

/** A reference whose target does not exist (or, for a lost reference, is no longer reached). */
export type BrokenReference = RecordedReference;

/** Broken references after a change, split into the ones the change introduced and the ones it found. */
export interface BrokenComparison {
  /** Broken now and not in the baseline: the change broke them. */
  introduced: BrokenReference[];
  /** Broken now and already broken in the baseline (at the referrer's new location). */
  preExisting: BrokenReference[];
  /** Broken in the baseline and no longer broken (or gone). */
  fixed: BrokenReference[];
}

/**
 * Every reference in the graph whose target does not exist (or lies outside the workspace), in graph order. A file a
 * command writes (an `output` reference) is not broken while its folder exists.
 */
export function findBrokenReferences(graph: ReferenceGraph, source: FileSource): BrokenReference[] {
  const broken: BrokenReference[] = [];
  for (const ref of graph.allRefs()) {
    if (referenceResolves(ref, source)) continue;
    broken.push({ from: ref.from, line: ref.line, column: ref.column, kind: ref.kind, text: ref.text, target: ref.target });
  }
  return broken;
}

/**
 * Every reference in the graph that resolves (an `output` reference: its folder exists), globs left out (what they
 * match is a needs-review matter). An output path left naming a folder that moved away is no reference any more (the
 * reader drops it), so it shows up as lost against these.
 */
export function findResolvedReferences(graph: ReferenceGraph, source: FileSource): RecordedReference[] {
  const resolved: RecordedReference[] = [];
  for (const ref of graph.allRefs()) {
    if (ref.glob || !referenceResolves(ref, source)) continue;
    resolved.push({ from: ref.from, line: ref.line, column: ref.column, kind: ref.kind, text: ref.text, target: ref.target });
  }
  return resolved;
}

/**
 * References that resolved in the baseline and no longer reach their target (mapped through the renames) from their
 * referrer (mapped likewise): a path the change left naming the old location. A free-text path that names nothing is
 * not a reference at all, so such a path would otherwise vanish from the graph instead of showing up as broken.
 * A reference that now names a folder containing the target still reaches it. Referrers that are gone are not
 * counted. The position is where the old text still stands, if it does.
 */
export function findLostReferences(
  baseline: readonly RecordedReference[],
  graph: ReferenceGraph,
  source: FileSource,
  renames: RenameMap,
): RecordedReference[] {
  const files = new Set(graph.files());
  // A reference to a folder that contains the target reaches it too: that is how a load-restrictor wrap rewrites
  // `resources: [components/x/a.yaml, components/x/b.yaml]` into one `../../x` (whose new kustomization lists them).
  const reachesThroughFolder = (from: string, kind: string, target: string): boolean =>
    graph.refsFrom(from).some((ref) => ref.kind === kind && ref.target !== target && isInside(target, ref.target));
  const remaining = new Map<string, Map<string, number>>();
  const countsFor = (file: string): Map<string, number> => {
    let counts = remaining.get(file);
    if (counts === undefined) {
      counts = new Map();
      for (const ref of graph.refsFrom(file)) counts.set(targetKey(ref.kind, ref.target), (counts.get(targetKey(ref.kind, ref.target)) ?? 0) + 1);
      remaining.set(file, counts);
    }
    return counts;
  };
  // A folder the change emptied into several places (its files moved one by one, the folder is gone) has no single
  // new path: a reference of the same kind that now names a folder holding some of its files, a folder the referrer
  // did not name before, is how the planner rewrote it (a `cd` to where the used scripts went, a link to where the
  // folder's README went).
  const namedBefore = new Set(baseline.map((ref) => targetKey(`${renames.map(ref.from)}\u0000${ref.kind}`, renames.map(ref.target))));
  const reachesDissolvedFolder = (from: string, kind: string, target: string): boolean => {
    if (target === '' || graph.files().some((file) => isInside(file, target))) return false;
    const destinations = renames.destinationsBelow(target);
    return graph.refsFrom(from).some(
      (ref) =>
        ref.kind === kind &&
        ref.target !== '' &&
        !namedBefore.has(targetKey(`${from}\u0000${kind}`, ref.target)) &&
        source.stat(ref.target) === 'directory' &&
        destinations.some((destination) => isInside(destination, ref.target)),
    );
  };
  const lost: RecordedReference[] = [];
  for (const ref of baseline) {
    const from = renames.map(ref.from);
    if (!files.has(from)) continue;
    const target = renames.map(ref.target);
    const counts = countsFor(from);
    const key = targetKey(ref.kind, target);
    const count = counts.get(key) ?? 0;
    if (count > 0) {
      counts.set(key, count - 1);
      continue;
    }
    if (reachesThroughFolder(from, ref.kind, target) || reachesDissolvedFolder(from, ref.kind, target)) continue;
    lost.push({ ...ref, from, target, ...whereTextStands(source, from, ref.text) });
  }
  return lost.sort(byLocation);
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

function targetKey(kind: string, target: string): string {
  return `${kind}\u0000${target}`;
}

function whereTextStands(source: FileSource, file: string, text: string): { line: number; column: number } | undefined {
  const read = source.readText(file);
  const offset = read.ok ? read.text.indexOf(text) : -1;
  return offset < 0 || !read.ok ? undefined : new LineIndex(read.text).position(offset);
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
