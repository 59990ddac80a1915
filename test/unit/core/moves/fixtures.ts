/** A hand-built reference graph over an in-memory tree, for planner tests that do not depend on the extractors. */
import { MemoryFileSource, type MemoryEntry } from '../../../../src/core/inventory/source';
import { dirname, isInside, join } from '../../../../src/core/paths';
import { LineIndex } from '../../../../src/core/text';
import type { FileKind, Problem, Reference, ReferenceGraph, ReviewItem } from '../../../../src/core/types';

export class TestGraph implements ReferenceGraph {
  readonly refs: Reference[] = [];
  readonly reviewItems: ReviewItem[] = [];
  readonly problemList: Problem[] = [];
  readonly kinds = new Map<string, FileKind>();

  constructor(readonly source: MemoryFileSource) {}

  files(): readonly string[] {
    return this.source.listFiles();
  }
  kindOf(path: string): FileKind | undefined {
    return this.kinds.get(path) ?? (this.source.stat(path) === 'symlink' ? 'symlink' : undefined);
  }
  refsFrom(file: string): readonly Reference[] {
    return this.refs.filter((ref) => ref.from === file);
  }
  refsInto(path: string): readonly Reference[] {
    return this.refs.filter((ref) => isInside(ref.target, path));
  }
  allRefs(): Iterable<Reference> {
    return this.refs;
  }
  review(): readonly ReviewItem[] {
    return this.reviewItems;
  }
  problems(): readonly Problem[] {
    return this.problemList;
  }

  /**
   * Adds a reference for the `occurrence`-th appearance of `text` in `from` (after `after`, when given). Defaults: a
   * kustomize resources entry resolved against the referrer's folder.
   */
  ref(from: string, text: string, fields: Partial<Reference> & { after?: string; occurrence?: number } = {}): Reference {
    const read = this.source.readText(from);
    if (!read.ok) throw new Error(`fixture: ${from} is not readable`);
    const { after, occurrence = 0, ...overrides } = fields;
    let start = after === undefined ? -1 : read.text.indexOf(after) + after.length - 1;
    for (let i = 0; i <= occurrence; i++) start = read.text.indexOf(text, start + 1);
    if (start < 0) throw new Error(`fixture: ${JSON.stringify(text)} not found in ${from}`);
    const { line, column } = new LineIndex(read.text).position(start);
    const base = overrides.base ?? dirname(from);
    const reference: Reference = {
      from,
      start,
      end: start + text.length,
      line,
      column,
      text,
      kind: 'kustomize.resources',
      base,
      baseRule: 'referrer',
      target: join(base, text.replace(/^\//, '')),
      confidence: 'exact',
      ...overrides,
    };
    this.refs.push(reference);
    return reference;
  }
}

export function graphOf(files: Record<string, MemoryEntry>): TestGraph {
  return new TestGraph(new MemoryFileSource(files));
}
