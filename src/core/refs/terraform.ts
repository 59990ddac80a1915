/**
 * Path references in Terraform (`*.tf`): string literals relative to the module folder (`"../kustomize/"`,
 * `source = "./modules/x"`), and the part after `${path.module}/` in `"${path.module}/manifests/x.yaml"`. Plain
 * strings are probable and reported only when they resolve; a `${path.module}/` path is exact. Strings with other
 * interpolations or globs need review when their static folder exists. The `command` of a `local-exec` provisioner
 * (a string or a heredoc) is read as shell run in the module folder (kinds `terraform.command.*`).
 */
import type { Extractor, Reference, ReviewItem } from '../types';
import { LineIndex } from '../text';
import { dirname, escapesRoot, join } from '../paths';
import { extractShellFragment } from './shell';

interface TextPart {
  type: 'text';
  start: number;
  end: number;
  /** The decoded characters; differs from the source when it holds escapes. */
  value: string;
}

interface TemplatePart {
  type: 'template';
  start: number;
  end: number;
  /** The expression between `${` and `}` (or `%{` and `}`), trimmed. */
  expression: string;
}

type StringPart = TextPart | TemplatePart;

interface StringLiteral {
  start: number;
  end: number;
  parts: StringPart[];
}

/** Extracts path strings from a Terraform file. */
export const extractTerraform: Extractor = (input, workspace) => {
  const { path, text } = input;
  const lines = new LineIndex(text);
  const module = dirname(path);
  const refs: Reference[] = [];
  const review: ReviewItem[] = [];

  const exists = (target: string): boolean => !escapesRoot(target) && workspace.stat(target) !== undefined;
  const addReview = (literal: StringLiteral, reason: string, target: string): void => {
    review.push({
      file: path,
      start: literal.start,
      end: literal.end,
      ...lines.position(literal.start),
      text: text.slice(literal.start, literal.end),
      kind: 'terraform.path',
      reason,
      target,
    });
  };

  const commands = localExecCommands(text);
  for (const range of commands) {
    const shell = extractShellFragment({ file: path, text, start: range.start, end: range.end, cwd: module, cwdRule: 'referrer', kindPrefix: 'terraform.command' }, workspace, lines);
    refs.push(...shell.refs);
    review.push(...shell.review);
  }
  const inCommand = (offset: number): boolean => commands.some((range) => range.start <= offset && offset < range.end);

  for (const literal of scanStrings(text)) {
    if (inCommand(literal.start)) continue;
    let parts = literal.parts;
    let confidence: 'exact' | 'probable' = 'probable';
    const [head, next] = parts;
    if (head?.type === 'template' && head.expression === 'path.module' && next?.type === 'text' && next.value.startsWith('/')) {
      const slashes = /^\/+/.exec(next.value)![0].length;
      parts = [{ ...next, start: next.start + slashes, value: next.value.slice(slashes) }, ...parts.slice(2)];
      confidence = 'exact';
    } else if (head?.type === 'template') {
      continue;
    }
    const first = parts[0];
    if (!first || first.type !== 'text') continue;
    const value = first.value;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('::') || value.startsWith('/') || value.startsWith('~')) continue;
    const globAt = value.search(/[*?[]/);
    if (parts.length > 1 || globAt >= 0) {
      const staticText = globAt >= 0 ? value.slice(0, globAt) : value;
      const folder = join(module, staticText.slice(0, staticText.lastIndexOf('/') + 1));
      if ((confidence === 'exact' || staticText.includes('/')) && exists(folder)) {
        addReview(literal, globAt >= 0 ? 'glob pattern: a move may change what it matches' : 'path is built from an expression whose value is not known statically', folder);
      }
      continue;
    }
    if (value === '' || value === '.' || (confidence === 'probable' && !/\/|\.[A-Za-z0-9]+$/.test(value))) continue;
    const target = join(module, value);
    if (!exists(target)) continue;
    if (text.slice(first.start, first.end) !== value) {
      addReview(literal, 'path is written with escapes inside it; update by hand', target);
      continue;
    }
    refs.push({
      from: path,
      start: first.start,
      end: first.end,
      ...lines.position(first.start),
      text: value,
      kind: 'terraform.path',
      base: module,
      baseRule: 'referrer',
      target,
      confidence,
    });
  }
  return { refs, review, problems: [] };
};

/**
 * The `command` of each `local-exec` provisioner run by a shell (the default `/bin/sh -c`, or an `interpreter` naming
 * one): a quoted string's content or a heredoc's body. Terraform runs it in its working directory, the module folder
 * when the module is the root one, so its relative paths resolve there.
 */
function localExecCommands(text: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (const match of text.matchAll(/^[ \t]*command[ \t]*=[ \t]*(?:"|<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n)/gm)) {
    const provisioner = text.lastIndexOf('provisioner', match.index);
    if (provisioner < 0 || !/^provisioner\s+"local-exec"/.test(text.slice(provisioner, provisioner + 64))) continue;
    const interpreter = /\binterpreter\s*=\s*\[\s*"([^"]*)"/.exec(text.slice(provisioner, blockEnd(text, provisioner)));
    if (interpreter && !/(^|\/)(ba|da|k|z|a)?sh$/.test(interpreter[1])) continue;
    const start = match.index + match[0].length;
    if (match[1] === undefined) {
      const literals: StringLiteral[] = [];
      readString(text, start - 1, literals);
      ranges.push({ start, end: literals[0].end });
    } else {
      let offset = start;
      while (offset < text.length) {
        const end = lineEnd(text, offset);
        if (text.slice(offset, end).trim() === match[1]) break;
        offset = end + 1;
      }
      ranges.push({ start, end: Math.min(offset, text.length) });
    }
  }
  return ranges;
}

/** The offset after the `{ … }` block that opens after `from` (or the end of the text). */
function blockEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = text.indexOf('{', from); i >= 0 && i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Every double-quoted string of an HCL file, outside comments and heredocs, with its template parts. */
function scanStrings(text: string): StringLiteral[] {
  const literals: StringLiteral[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      i = lineEnd(text, i);
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === '<' && text[i + 1] === '<') {
      i = skipHeredoc(text, i);
    } else if (c === '"') {
      i = readString(text, i, literals);
    } else {
      i++;
    }
  }
  return literals;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

/** Skips a `<<EOF`/`<<-EOF` heredoc to the line after its closing marker. */
function skipHeredoc(text: string, from: number): number {
  const marker = /^<<-?([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(from, from + 64));
  if (!marker) return from + 2;
  let offset = lineEnd(text, from) + 1;
  while (offset < text.length) {
    const end = lineEnd(text, offset);
    if (text.slice(offset, end).trim() === marker[1]) return end;
    offset = end + 1;
  }
  return text.length;
}

/** Reads the string opening at `open`, pushing it and any strings nested in its templates; returns the offset after it. */
function readString(text: string, open: number, literals: StringLiteral[]): number {
  const literal: StringLiteral = { start: open + 1, end: open + 1, parts: [] };
  literals.push(literal);
  let i = open + 1;
  let textPart: TextPart | undefined;
  const addText = (value: string, start: number, end: number): void => {
    textPart ??= { type: 'text', start, end, value: '' };
    textPart.value += value;
    textPart.end = end;
  };
  const closeText = (): void => {
    if (textPart) literal.parts.push(textPart);
    textPart = undefined;
  };
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
    const c = text[i];
    if (c === '\\') {
      addText(unescape(text[i + 1] ?? ''), i, i + 2);
      i += 2;
    } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      addText(c + '{', i, i + 3);
      i += 3;
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      closeText();
      const start = i;
      i = skipTemplate(text, i + 2, literals);
      literal.parts.push({ type: 'template', start, end: i, expression: text.slice(start + 2, i - 1).trim() });
    } else {
      addText(c, i, i + 1);
      i++;
    }
  }
  closeText();
  literal.end = i;
  return i + 1;
}

/** Skips a template expression to after its closing `}`, reading strings nested in it. */
function skipTemplate(text: string, from: number, literals: StringLiteral[]): number {
  let depth = 1;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = readString(text, i, literals);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    i++;
  }
  return text.length;
}

function unescape(c: string): string {
  return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c;
}
