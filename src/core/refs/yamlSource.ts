/**
 * Reading YAML with exact source ranges: every offset here is an index into the file's text as read (a BOM kept as
 * U+FEFF at index 0, CRLF kept), so a caller can splice a path without re-serializing the file.
 */
import * as yaml from 'yaml';
import { parseAllDocuments, Scalar, YAMLError } from 'yaml';
import { fullLineComments, LineIndex } from '../text';
import { Problem } from '../types';
import { parseBlockYaml, YamlDocument } from './yamlBlock';

// Bound once: a bundler's CommonJS interop makes every use of a named import a getter call, paid on each node visited.
const { isMap, isScalar, isSeq } = yaml;

export type { YamlDocument } from './yamlBlock';

/** All documents of one YAML file, with syntax errors as Problems. */
export interface ParsedYaml {
  documents: YamlDocument[];
  /** Syntax errors; when there is any, the file must not yield references. */
  problems: Problem[];
  lines: LineIndex;
}

/**
 * Parses every document of a file, keeping source ranges. Plain block-style text is read by `parseBlockYaml`, which
 * gives the same nodes several times faster; everything else by the `yaml` package.
 */
export function parseYaml(file: string, text: string): ParsedYaml {
  const lines = new LineIndex(text);
  const fast = parseBlockYaml(text);
  if (fast) return { documents: fast, problems: [], lines };
  const list = Array.from(parseAllDocuments(text, { keepSourceTokens: true, prettyErrors: false }));
  const problems: Problem[] = [];
  for (const document of list) {
    for (const error of document.errors) problems.push(syntaxProblem(file, error, lines));
  }
  return { documents: list, problems, lines };
}

function syntaxProblem(file: string, error: YAMLError, lines: LineIndex): Problem {
  const { line, column } = lines.position(error.pos[0]);
  const sentence = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]?$/, '.');
  return { file, line, column, message: `Invalid YAML: ${sentence}`, severity: 'error' };
}

/** The characters of a scalar as written in the file, and its parsed value. */
export interface ScalarText {
  start: number;
  end: number;
  /** `text.slice(start, end)`: differs from `value` when the scalar has escapes or spans lines. */
  source: string;
  value: string;
}

/**
 * The content range of a plain, single-quoted or double-quoted scalar: inside the quotes, without a trailing comment.
 * Plain numbers and booleans count too (a folder may be named `2024`); block scalars, collections, aliases and nulls
 * give undefined.
 */
export function scalarText(node: unknown, text: string): ScalarText | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const [rangeStart, valueEnd] = node.range;
  let start = rangeStart;
  let end = valueEnd;
  if (node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) {
    start += 1;
    end -= 1;
  } else if (node.type !== Scalar.PLAIN) {
    return undefined;
  }
  if (node.value === null || node.value === undefined || end < start) return undefined;
  return { start, end, source: text.slice(start, end), value: String(node.value) };
}

/** The body of a block scalar (`|` or `>`): from the line after its header to the end of its content. */
export function blockScalarBody(node: unknown, text: string): { start: number; end: number } | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  if (node.type !== Scalar.BLOCK_LITERAL && node.type !== Scalar.BLOCK_FOLDED) return undefined;
  const [start, end] = node.range;
  const newline = text.indexOf('\n', start);
  if (newline < 0 || newline >= end) return { start: end, end };
  return { start: newline + 1, end };
}

/** The value under `key` in a block or flow map; undefined when `node` is not a map or has no such key. */
export function mapGet(node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.value;
  }
  return undefined;
}

/** Follows a chain of map keys. */
export function mapPath(node: unknown, ...keys: string[]): unknown {
  let current = node;
  for (const key of keys) current = mapGet(current, key);
  return current;
}

/** The key/value pairs of a map with string keys, in source order; empty when `node` is not a map. */
export function mapEntries(node: unknown): { key: string; keyNode: Scalar; value: unknown }[] {
  if (!isMap(node)) return [];
  const entries: { key: string; keyNode: Scalar; value: unknown }[] = [];
  for (const pair of node.items) {
    if (isScalar(pair.key)) entries.push({ key: String(pair.key.value), keyNode: pair.key, value: pair.value });
  }
  return entries;
}

/** The items of a sequence; empty when `node` is not a sequence. */
export function seqItems(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

/** The items of a sequence, or the node itself when a field accepts one value or a list of them. */
export function oneOrMany(node: unknown): unknown[] {
  if (isSeq(node)) return node.items;
  return node === undefined || node === null ? [] : [node];
}

/** The string value of a scalar, or undefined. */
export function stringValue(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return typeof node.value === 'object' ? undefined : String(node.value);
}

/** Calls `visit` for every node below (and including) `node`, depth first, with the map keys leading to it. */
export function walkNodes(node: unknown, visit: (node: unknown, keys: readonly string[]) => void, keys: string[] = []): void {
  visit(node, keys);
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      walkNodes(pair.value, visit, [...keys, key]);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walkNodes(item, visit, keys);
  }
}

/** Every scalar below `node`. */
export function allScalars(node: unknown): Scalar[] {
  const scalars: Scalar[] = [];
  walkNodes(node, (child) => {
    if (isScalar(child)) scalars.push(child);
  });
  return scalars;
}

/** A line whose first non-blank character starts a YAML comment. */
export interface CommentLine {
  /** Offset of the `#`. */
  hash: number;
  /** The comment's text after the `#`, up to the end of the line (without `\r`). */
  bodyStart: number;
  bodyEnd: number;
  body: string;
}

/**
 * The full-line comments of a file, in order. A `#` line inside a block scalar or a multi-line quoted scalar is
 * content, not a comment, and is left out.
 */
export function commentLines(text: string, documents: readonly YamlDocument[]): CommentLine[] {
  const candidates: CommentLine[] = fullLineComments(text).map(({ hash, bodyEnd, body }) => ({ hash, bodyStart: hash + 1, bodyEnd, body }));
  // Most files have no comment line at all: the scalars are only walked when one needs checking.
  if (candidates.length === 0) return candidates;
  const scalarRanges: [number, number][] = [];
  for (const document of documents) {
    for (const scalar of allScalars(document.contents)) {
      if (scalar.range) scalarRanges.push([scalar.range[0], scalar.range[1]]);
    }
  }
  return candidates.filter(({ hash }) => !scalarRanges.some(([start, end]) => hash > start && hash < end));
}
