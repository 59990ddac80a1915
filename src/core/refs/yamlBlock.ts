/**
 * A fast reader for the plain block-style YAML most infrastructure files are written in (kustomizations, Flux and
 * Argo CD objects, JSON patches): block maps and sequences of single-line plain or simply quoted scalars, with
 * comments. It builds the same nodes the `yaml` package composes for such text (same classes, values, scalar types
 * and source ranges), at a fraction of the cost, and gives up on anything outside that subset so the caller can run
 * the full parser: flow collections, anchors, aliases, tags, block scalars, multi-line or escaped scalars, explicit
 * keys, directives, tabs, CR, a BOM, duplicate keys, empty documents, or any indentation it does not expect.
 */
import * as yaml from 'yaml';
import type { Pair as PairNode, Scalar as ScalarNode, YAMLMap as MapNode, YAMLSeq as SeqNode } from 'yaml';

// Bound once: a bundler's CommonJS interop makes every use of a named import a getter call, paid on each node built.
const { Document, isScalar, Pair, Scalar, YAMLMap, YAMLSeq } = yaml;

/**
 * One instance of each node class, made by its constructor, that the nodes read here inherit from: they are instances
 * of the `yaml` classes with the node-type mark `isMap`/`isSeq`/`isScalar`/`isPair` look for, without paying for the
 * `Object.defineProperty` each constructor sets that mark with (a quarter of reading a kustomization otherwise).
 */
const SCALAR_TEMPLATE = new Scalar(null);
const PAIR_TEMPLATE = new Pair(null);
const MAP_TEMPLATE = new YAMLMap();
const SEQ_TEMPLATE = new YAMLSeq();

function newScalar(value: unknown): ScalarNode {
  const scalar = Object.create(SCALAR_TEMPLATE) as ScalarNode;
  scalar.value = value;
  return scalar;
}

function newPair(key: ScalarNode, value: ScalarNode | MapNode | SeqNode): PairNode {
  const pair = Object.create(PAIR_TEMPLATE) as PairNode;
  pair.key = key;
  pair.value = value;
  return pair;
}

function newMap(): MapNode {
  const map = Object.create(MAP_TEMPLATE) as MapNode;
  map.items = [];
  return map;
}

function newSeq(): SeqNode {
  const sequence = Object.create(SEQ_TEMPLATE) as SeqNode;
  sequence.items = [];
  return sequence;
}

/** One document as the extractors read it. */
export interface YamlDocument {
  contents: unknown;
}

/** Thrown on the first construct outside the subset; never leaves this module. */
class Unsupported extends Error {}

interface Line {
  /** Offset of the line's first character. */
  start: number;
  /** Offset of the first non-space character. */
  content: number;
  /** Offset of the line break, or the text's length on the last line. */
  end: number;
  /** Offset of the next line (after the line break), or the text's length. */
  next: number;
  indent: number;
}

interface ScalarTag {
  default?: boolean | 'key';
  format?: string;
  test?: RegExp;
  resolve(value: string, onError: (message: string) => void, options: unknown): unknown;
}

/** The core schema's scalar tags, in the order the `yaml` composer tries them on a plain scalar. */
let coreSchema: { tags: ScalarTag[]; options: unknown } | undefined;

function schema(): { tags: ScalarTag[]; options: unknown } {
  if (!coreSchema) {
    const document = new Document(undefined, { keepSourceTokens: true, prettyErrors: false });
    coreSchema = { tags: document.schema.tags as unknown as ScalarTag[], options: document.options };
  }
  return coreSchema;
}

/** Characters a plain scalar (or key) in this subset may not start with. */
const PLAIN_START_REJECTED = new Set([...',[]{}#&*!|>\'"%@`']);

/**
 * The documents of `text` when it lies entirely in the subset this reader handles; undefined otherwise (the caller
 * then parses with the `yaml` package, which also reports syntax errors).
 */
export function parseBlockYaml(text: string): YamlDocument[] | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new BlockReader(text).documents();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class BlockReader {
  /** Content lines of the current document (no blank or comment lines). */
  private lines: Line[] = [];
  private at = 0;
  /** Where the current document's text ends: its `---` line after it, or the end of the text. */
  private documentEnd = 0;

  constructor(private readonly text: string) {}

  documents(): YamlDocument[] {
    const documents: YamlDocument[] = [];
    let current: Line[] = [];
    let sawMarker = false;
    const text = this.text;
    for (let start = 0; start < text.length; ) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const next = newline < 0 ? text.length : newline + 1;
      let content = start;
      while (content < end && text.charCodeAt(content) === 0x20) content++;
      if (content < end && text.charCodeAt(content) !== 0x23) {
        if (content === start && text.startsWith('---', start) && isMarkerEnd(text, start + 3, end)) {
          if (current.length > 0) documents.push(this.document(current, start));
          else if (sawMarker) throw new Unsupported();
          current = [];
          sawMarker = true;
        } else if (content === start && (text.startsWith('...', start) || text.startsWith('--- ', start) || text.charCodeAt(start) === 0x25)) {
          throw new Unsupported();
        } else {
          current.push({ start, content, end, next, indent: content - start });
        }
      }
      start = next;
    }
    if (current.length > 0) documents.push(this.document(current, text.length));
    else if (sawMarker || documents.length === 0) throw new Unsupported();
    return documents;
  }

  private document(lines: Line[], end: number): YamlDocument {
    this.lines = lines;
    this.at = 0;
    this.documentEnd = end;
    const first = lines[0];
    const contents = this.node(first.indent, first.content, false);
    if (this.at < lines.length) throw new Unsupported();
    return { contents };
  }

  /**
   * The block node starting at `from` on the current line (a map entry or a sequence item), continuing on the lines
   * below at column `indent`.
   */
  private node(indent: number, from: number, inSequenceItem: boolean): MapNode | SeqNode {
    const text = this.text;
    if (text.charCodeAt(from) === 0x2d && isBlankOrEnd(text, from + 1, this.lines[this.at].end)) {
      if (inSequenceItem) throw new Unsupported();
      return this.sequence(indent);
    }
    return this.map(indent, from);
  }

  private sequence(indent: number): SeqNode {
    const text = this.text;
    const sequence = newSeq();
    const first = this.lines[this.at];
    let offset = first.content;
    while (this.at < this.lines.length) {
      const line = this.lines[this.at];
      // A line at this column that is no item ends the sequence (the value of a key at the same column).
      if (line.indent < indent || (line.indent === indent && !isSequenceItem(text, line))) break;
      if (line.indent > indent) throw new Unsupported();
      let itemStart = line.content + 1;
      while (itemStart < line.end && text.charCodeAt(itemStart) === 0x20) itemStart++;
      if (itemStart === line.end || text.charCodeAt(itemStart) === 0x23) throw new Unsupported();
      let item: ScalarNode | MapNode | SeqNode;
      if (this.keyColon(line, itemStart) >= 0) {
        item = this.node(itemStart - line.start, itemStart, true);
      } else {
        item = this.valueScalar(line, itemStart, indent);
        this.at++;
      }
      sequence.items.push(item);
      offset = item.range![2];
    }
    sequence.range = [first.content, offset, this.trailingCommentsEnd(offset, indent) ?? offset];
    return sequence;
  }

  private map(indent: number, from: number): MapNode {
    const text = this.text;
    const map = newMap();
    let keys: Set<unknown> | undefined;
    let offset = from;
    let keyStart = from;
    while (this.at < this.lines.length) {
      const line = this.lines[this.at];
      if (keyStart !== from) {
        if (line.indent < indent) break;
        if (line.indent > indent) throw new Unsupported();
        keyStart = line.content;
      }
      const colon = this.keyColon(line, keyStart);
      if (colon < 0) throw new Unsupported();
      const key = this.keyScalar(keyStart, colon);
      // Most maps are small, so a scan of their pairs finds a repeated key cheaper than a set per map; a long map
      // gets a set so that the test stays linear.
      if (keys === undefined && map.items.length >= SCANNED_KEYS) keys = new Set(map.items.map((pair) => (pair.key as ScalarNode).value));
      if (keys ? keys.has(key.value) : hasKey(map, key.value)) throw new Unsupported();
      keys?.add(key.value);
      let valueStart = colon + 1;
      while (valueStart < line.end && text.charCodeAt(valueStart) === 0x20) valueStart++;
      let value: ScalarNode | MapNode | SeqNode;
      if (valueStart < line.end) {
        if (text.charCodeAt(valueStart) === 0x23) throw new Unsupported();
        value = this.valueScalar(line, valueStart, indent);
        this.at++;
      } else {
        this.at++;
        const below = this.lines[this.at];
        if (below && (below.indent > indent || (below.indent === indent && isSequenceItem(text, below)))) {
          value = this.node(below.indent, below.content, false);
        } else {
          if (valueStart > colon + 1 || this.commentsBefore(line.next, this.nextContentStart()).length > 0) throw new Unsupported();
          value = newScalar(null);
          value.range = [valueStart, valueStart, valueStart];
          value.source = '';
          value.type = Scalar.PLAIN;
        }
      }
      map.items.push(newPair(key, value));
      offset = value.range![2];
      keyStart = -1;
    }
    map.range = [from, offset, this.trailingCommentsEnd(offset, indent) ?? offset];
    return map;
  }

  /** Offset of the `:` ending a plain key that starts at `from` on `line`; -1 when the line holds no such key. */
  private keyColon(line: Line, from: number): number {
    const text = this.text;
    const first = text[from];
    if (PLAIN_START_REJECTED.has(first) || ((first === '-' || first === '?' || first === ':') && isBlankOrEnd(text, from + 1, line.end))) {
      if (first === '"' || first === "'" || first === '-' || first === '#') return -1;
      throw new Unsupported();
    }
    for (let i = from + 1; i < line.end; i++) {
      const char = text.charCodeAt(i);
      if (char === 0x3a && isBlankOrEnd(text, i + 1, line.end)) {
        if (text.charCodeAt(i - 1) === 0x20) throw new Unsupported();
        return i;
      }
      if (char === 0x23 && text.charCodeAt(i - 1) === 0x20) return -1;
    }
    return -1;
  }

  private keyScalar(start: number, end: number): ScalarNode {
    const source = this.text.slice(start, end);
    const key = resolvePlain(source, true);
    key.range = [start, end, end];
    return key;
  }

  /**
   * A single-line scalar from `from` to its line's end or comment, in a block at column `blockIndent`; its node end
   * is the next line's start.
   */
  private valueScalar(line: Line, from: number, blockIndent: number): ScalarNode {
    const text = this.text;
    const first = text[from];
    let scalar: ScalarNode;
    let valueEnd: number;
    if (first === '"' || first === "'") {
      const close = first === "'" ? closingSingleQuote(text, from + 1, line.end) : text.indexOf('"', from + 1);
      if (close < 0 || close >= line.end) throw new Unsupported();
      const inner = text.slice(from + 1, close);
      if (first === '"' && inner.includes('\\')) throw new Unsupported();
      valueEnd = close + 1;
      let rest = valueEnd;
      while (rest < line.end && text.charCodeAt(rest) === 0x20) rest++;
      if (rest < line.end && (text.charCodeAt(rest) !== 0x23 || rest === valueEnd)) throw new Unsupported();
      scalar = newScalar(first === "'" ? inner.replace(/''/g, "'") : inner);
      scalar.type = first === "'" ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
      scalar.source = scalar.value as string;
    } else {
      if (PLAIN_START_REJECTED.has(first) || ((first === '-' || first === '?' || first === ':') && isBlankOrEnd(text, from + 1, line.end))) {
        throw new Unsupported();
      }
      valueEnd = line.end;
      for (let i = from + 1; i < line.end; i++) {
        const char = text.charCodeAt(i);
        if (char === 0x23 && text.charCodeAt(i - 1) === 0x20) {
          valueEnd = i;
          break;
        }
        if (char === 0x3a && isBlankOrEnd(text, i + 1, line.end)) throw new Unsupported();
      }
      while (text.charCodeAt(valueEnd - 1) === 0x20) valueEnd--;
      scalar = resolvePlain(text.slice(from, valueEnd), false);
    }
    // A more indented line below would continue the scalar (a multi-line plain scalar) or be an error.
    const below = this.lines[this.at + 1];
    if (below && below.indent > blockIndent) throw new Unsupported();
    // Comment lines indented past the block right after the scalar end it (blank lines between them included).
    let nodeEnd = line.next;
    for (const comment of this.commentsBefore(line.next, below ? below.start : this.documentEnd)) {
      if (comment.indent <= blockIndent) break;
      nodeEnd = comment.next;
    }
    scalar.range = [from, valueEnd, nodeEnd];
    return scalar;
  }

  private nextContentStart(): number {
    return this.at < this.lines.length ? this.lines[this.at].content : this.documentEnd;
  }

  /**
   * Where the comment lines after a collection's last item end when the collection keeps them, as the `yaml` parser
   * decides when it closes the collection: it hands them to the enclosing node unless the collection is indented and
   * one of them is at least as indented as it. Blank lines up to the next content line count with them.
   */
  private trailingCommentsEnd(offset: number, indent: number): number | undefined {
    if (indent === 0) return undefined;
    const end = this.nextContentStart();
    const comments = this.commentsBefore(offset, end);
    return comments.some((comment) => comment.indent >= indent) ? end : undefined;
  }

  /** The comment lines from `from` (a line start) up to `end`, where only blank and comment lines lie between. */
  private commentsBefore(from: number, end: number): readonly CommentLine[] {
    // Most scalars and collections have no comment after them: they share one empty list instead of each getting one.
    if (from >= end) return NO_COMMENTS;
    const text = this.text;
    const comments: CommentLine[] = [];
    for (let start = from; start < end; ) {
      const newline = text.indexOf('\n', start);
      const next = newline < 0 || newline >= end ? end : newline + 1;
      let content = start;
      while (content < next && text.charCodeAt(content) === 0x20) content++;
      if (text.charCodeAt(content) === 0x23 && content < next) comments.push({ indent: content - start, next });
      start = next;
    }
    return comments;
  }
}

interface CommentLine {
  indent: number;
  /** Offset of the line after the comment. */
  next: number;
}

const NO_COMMENTS: readonly CommentLine[] = [];

/** How many keys a map holds before its repeated keys are looked up in a set rather than by a scan. */
const SCANNED_KEYS = 16;

/** Whether a map already has a key of this value, equal as a `Set` compares them. */
function hasKey(map: MapNode, value: unknown): boolean {
  for (const pair of map.items) {
    const other = (pair.key as ScalarNode).value;
    if (other === value || (other !== other && value !== value)) return true;
  }
  return false;
}

function isMarkerEnd(text: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x23 && i > from) return true;
    if (char !== 0x20) return false;
  }
  return true;
}

function isBlankOrEnd(text: string, at: number, end: number): boolean {
  return at >= end || text.charCodeAt(at) === 0x20;
}

function isSequenceItem(text: string, line: Line): boolean {
  return text.charCodeAt(line.content) === 0x2d && isBlankOrEnd(text, line.content + 1, line.end);
}

/** The closing quote of a single-quoted scalar (`''` is an escaped quote), or -1 before `end`. */
function closingSingleQuote(text: string, from: number, end: number): number {
  for (let i = text.indexOf("'", from); i >= 0 && i < end; i = text.indexOf("'", i + 2)) {
    if (text.charCodeAt(i + 1) !== 0x27) return i;
  }
  return -1;
}

/**
 * The first characters of the plain scalars the core schema reads as something other than a string: `~`, `null`,
 * `true`/`false` in their cases, numbers, `.inf`, `.nan`. Any other plain scalar is a string without testing each tag.
 */
const NON_STRING_START = /^(?:$|[~nNtTfF0-9+\-.])/;

/** A plain scalar's node as the `yaml` composer resolves it with the core schema (`null`, booleans, numbers). */
function resolvePlain(source: string, atKey: boolean): ScalarNode {
  const { tags, options } = schema();
  let tag: ScalarTag | undefined;
  if (NON_STRING_START.test(source)) {
    for (const candidate of tags) {
      if ((candidate.default === true || (atKey && candidate.default === 'key')) && candidate.test?.test(source)) {
        tag = candidate;
        break;
      }
    }
  }
  let value: unknown = source;
  if (tag) {
    value = tag.resolve(source, () => {
      throw new Unsupported();
    }, options);
  }
  const scalar = isScalar(value) ? value : newScalar(value);
  scalar.source = source;
  scalar.type = Scalar.PLAIN;
  if (tag?.format) scalar.format = tag.format;
  return scalar;
}
