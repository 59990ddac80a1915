/**
 * Text helpers for folders a batch empties (dissolves): the folder that still holds what a set of paths used, a
 * templated path's static folder, and the YAML sequence item a glob sits in.
 */
import { dirname, isInside, join, normalize } from '../paths';
import { LineIndex } from '../text';
import type { Reference, ReviewItem } from '../types';

/** The deepest folder containing every one of `folders` (`''` when they share nothing but the root). */
export function commonFolder(folders: readonly string[]): string {
  if (folders.length === 0) return '';
  let common = folders[0];
  for (const folder of folders.slice(1)) {
    while (!isInside(folder, common)) common = dirname(common);
  }
  return common;
}

/** A path made only of `.` and `..` (`../..`): it names a depth, an anchor going back, not a place of its own. */
export function isDepthOnly(text: string): boolean {
  return text.split('/').every((segment) => segment === '..' || segment === '.' || segment === '');
}

/**
 * A review item's path built from a variable after a static folder: `$(K8S_DIR)/overlays/$(OVERLAY)`,
 * `infrastructure/k8s/overlays/${{ matrix.env }}`. `staticText` is the folder part written before the first expansion
 * (after a leading variable, if any), with its trailing `/`; `rest` is what follows it.
 */
export interface TemplatedPath {
  item: ReviewItem;
  /** Offset of `staticText` in the item's text. */
  staticOffset: number;
  staticText: string;
  rest: string;
  /** The variable standing before the static folder (its value is the base), if any. */
  variable: string | undefined;
}

const LEADING_VARIABLE = /^\$(?:\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))\/+/;
/** One path segment that is a single expansion: a make/Tekton `$(x)`, a shell `${x}`/`$x`, a GitHub `${{ x }}`. */
const SINGLE_EXPANSION_SEGMENT = /^(?:\$\{\{[^}]*\}\}|\$\([^()]*\)|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)\/?$/;

/** Parses a review item as a templated path, or undefined when it is not one (a glob, a tree diagram, free text). */
export function templatedPath(item: ReviewItem): TemplatedPath | undefined {
  const head = LEADING_VARIABLE.exec(item.text);
  const staticOffset = head ? head[0].length : 0;
  const dollar = item.text.indexOf('$', staticOffset);
  if (dollar < 0) return undefined;
  // The static folder ends at the last `/` before the first expansion: `releases/cnpg-${VERSION}.yaml` expands in
  // `releases/` as `overlays/$ENV` does in `overlays/`.
  const slash = item.text.lastIndexOf('/', dollar);
  if (slash < staticOffset) return undefined;
  const staticText = item.text.slice(staticOffset, slash + 1);
  if (/[\s*?[\]{}'"`\\$]/.test(staticText) || staticText.startsWith('/')) return undefined;
  const variable = head ? head[1] ?? head[2] ?? head[3] : undefined;
  return { item, staticOffset, staticText, rest: item.text.slice(slash + 1), variable };
}

/**
 * What a reference that names a base sets, read from the text before it on its line: the variable it assigns
 * (`K8S_DIR := `, `export DIR="`), or `cwd` for a `cd`/`pushd` operand and anything else (a `working-directory`).
 */
export function baseSetterRole(text: string, ref: Reference): string {
  const lineStart = text.lastIndexOf('\n', ref.start - 1) + 1;
  const before = text.slice(lineStart, ref.start);
  const assignment = /([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:::?=|:::=|\?=|=)\s*["']?$/.exec(before);
  return assignment ? assignment[1] : 'cwd';
}

/** True when what follows a templated path's static folder is one whole segment made of one expansion. */
export function isSingleExpansionSegment(rest: string): boolean {
  return SINGLE_EXPANSION_SEGMENT.test(rest);
}

/** The base folder among `candidates` against which a templated path's static folder is the item's target. */
export function templateBase(template: TemplatedPath, candidates: readonly string[]): string | undefined {
  const target = template.item.target;
  if (target === undefined) return undefined;
  return candidates.find((base) => join(base, template.staticText) === target && normalize(base) === base);
}

/** The line of a block sequence item holding one scalar: what a sibling item is written with. */
export interface SequenceItemLine {
  /** Offset where the line's content ends (before its line break, or the end of the text). */
  contentEnd: number;
  /** The line's start up to the scalar, e.g. `      - `. */
  lead: string;
  quote: string;
  /** `!` when the item negates the glob (GitHub `paths`, an ignore pattern). */
  negation: string;
  /** `/` before an ignore pattern's path (anchored at its folder); `''` for a YAML item. */
  anchor: string;
  lineBreak: string;
  /** The whole line with its line break, for deleting the item. */
  lineStart: number;
  lineEnd: number;
}

/**
 * The block sequence item line a reference is the whole scalar of (`- 'dir/**'`, with an optional `!`, quotes and a
 * trailing comment), or undefined when the reference sits anywhere else (a flow sequence, a mapping value, free text).
 */
export function sequenceItemLine(text: string, ref: Reference): SequenceItemLine | undefined {
  const negation = text[ref.start - 1] === '!' ? '!' : '';
  const open = text[ref.start - 1 - negation.length];
  const quote = (open === '"' || open === "'") && text[ref.end] === open ? open : '';
  const itemStart = ref.start - negation.length - quote.length;
  const lineStart = new LineIndex(text).lineStart(ref.line);
  const lead = text.slice(lineStart, itemStart);
  if (!/^[ \t]*-[ \t]+$/.test(lead)) return undefined;
  const newline = text.indexOf('\n', ref.end);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  const contentEnd = newline < 0 ? text.length : text[newline - 1] === '\r' ? newline - 1 : newline;
  if (!/^[ \t]*(#.*)?$/.test(text.slice(ref.end + quote.length, contentEnd))) return undefined;
  const lineBreak = newline < 0 ? '\n' : text.slice(contentEnd, newline + 1);
  return { contentEnd, lead, quote, negation, anchor: '', lineBreak, lineStart, lineEnd };
}

/**
 * The line of a gitignore-syntax pattern a reference is the path of (`    !/infrastructure/kubernetes/`, in a block
 * scalar or a `.sourceignore`), or undefined when anything else stands on the line.
 */
export function ignorePatternLine(text: string, ref: Reference): SequenceItemLine | undefined {
  const lineStart = new LineIndex(text).lineStart(ref.line);
  const head = /^([ \t]*)(!?)\/$/.exec(text.slice(lineStart, ref.start));
  if (head === null) return undefined;
  const newline = text.indexOf('\n', ref.end);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  const contentEnd = newline < 0 ? text.length : text[newline - 1] === '\r' ? newline - 1 : newline;
  if (!/^[ \t]*$/.test(text.slice(ref.end, contentEnd))) return undefined;
  const lineBreak = newline < 0 ? '\n' : text.slice(contentEnd, newline + 1);
  return { contentEnd, lead: head[1], quote: '', negation: head[2], anchor: '/', lineBreak, lineStart, lineEnd };
}

/** True when two item lines belong to one block sequence: same lead, and only items or comments between them. */
export function sameSequence(text: string, first: SequenceItemLine, second: SequenceItemLine): boolean {
  if (first.lead !== second.lead) return false;
  const indent = /^[ \t]*/.exec(first.lead)![0];
  const between = text.slice(first.lineEnd, second.lineStart).split('\n').filter((line) => line.trim() !== '');
  return between.every((line) => line.startsWith(`${indent}-`) || line.trim().startsWith('#'));
}

/**
 * True when two ignore pattern lines are one run: same indentation and `!`, and between them only lines with that
 * indentation and `!` (patterns not read as references, such as `!*.md`), comments and blank lines. The lines of a
 * run match in union: each file's fate is decided by whichever of them matches it, whatever comes before or after.
 */
export function samePatternRun(text: string, first: SequenceItemLine, second: SequenceItemLine): boolean {
  if (first.lead !== second.lead || first.negation !== second.negation) return false;
  const between = text.slice(first.lineEnd, second.lineStart).split('\n').map((line) => line.replace(/\r$/, ''));
  return between.every((line) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return true;
    return line.startsWith(first.lead) && (line[first.lead.length] === '!') === (first.negation === '!');
  });
}

/** The text of sibling items after `line`, one per path, each starting with the line break. */
export function siblingItems(line: SequenceItemLine, paths: readonly string[]): string {
  return paths.map((path) => `${line.lineBreak}${line.lead}${line.quote}${line.negation}${line.anchor}${path}${line.quote}`).join('');
}
