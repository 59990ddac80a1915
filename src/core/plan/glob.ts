/**
 * The plan file's glob language, matched against root-relative POSIX paths.
 *
 * - `*` matches any characters inside one path segment (dotfiles included: a restructure moves everything).
 * - `?` matches one character inside a segment.
 * - `**` must be a whole segment and matches zero or more segments.
 * - `{a,b}` matches one of its literal alternatives (no wildcards, no nesting inside).
 * - `\` makes the next character literal.
 * - A trailing `/` means the glob names folders, not files.
 *
 * Every wildcard and every `{…}` group is a capture, numbered from 1 left to right; a `to` template reads them back
 * as `$1`, `$2`…
 */

export type CaptureKind = 'star' | 'globstar' | 'question' | 'alternation';

export interface Glob {
  /** The glob as written. */
  source: string;
  /** True when the glob ended with `/`: it matches folders. */
  folder: boolean;
  /** What each capture is, in order (index 0 is `$1`). */
  captures: CaptureKind[];
  /** For an alternation capture, its alternatives (same index as `captures`). */
  alternatives: (string[] | undefined)[];
  /** Every path the glob matches starts with this text: a quick test before the regular expression. */
  prefix: string;
  regex: RegExp;
}

export type GlobResult = { ok: true; glob: Glob } | { ok: false; message: string; offset: number };

/** Compiles a glob; a malformed one yields a sentence and the offset of the fault inside `source`. */
export function compileGlob(source: string): GlobResult {
  const folder = source.endsWith('/') && source.length > 1;
  const body = folder ? source.slice(0, -1) : source;
  if (body === '') return { ok: false, message: 'the glob is empty', offset: 0 };
  const captures: CaptureKind[] = [];
  const alternatives: (string[] | undefined)[] = [];
  const segments = body.split('/');
  let offset = 0;
  let pattern = '^';
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s];
    const first = s === 0;
    const last = s === segments.length - 1;
    if (segment === '') return { ok: false, message: 'the glob has an empty path segment (`//`)', offset };
    if (segment === '**') {
      if (segments[s - 1] === '**') return { ok: false, message: 'two `**` in a row mean the same as one', offset };
      captures.push('globstar');
      alternatives.push(undefined);
      // `**` absorbs its neighbouring slash so that it can match zero segments.
      if (segments.length === 1) pattern += '(.*)';
      else if (first) pattern += '(?:(.*)/)?';
      else if (last) pattern += '(?:/(.*))?';
      else pattern += '/(?:(.*)/)?';
      offset += segment.length + 1;
      continue;
    }
    if (!first && segments[s - 1] !== '**') pattern += '/';
    const compiled = compileSegment(segment, offset, captures, alternatives);
    if (!compiled.ok) return compiled;
    pattern += compiled.pattern;
    offset += segment.length + 1;
  }
  pattern += '$';
  return {
    ok: true,
    glob: { source, folder, captures, alternatives, prefix: literalPrefix(body), regex: new RegExp(pattern) },
  };
}

function compileSegment(
  segment: string,
  segmentOffset: number,
  captures: CaptureKind[],
  alternatives: (string[] | undefined)[],
): { ok: true; pattern: string } | { ok: false; message: string; offset: number } {
  let pattern = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    const offset = segmentOffset + i;
    if (c === '\\') {
      if (i + 1 >= segment.length) return { ok: false, message: 'the glob ends with a lone `\\`', offset };
      pattern += escapeRegex(segment[++i]);
    } else if (c === '*') {
      if (segment[i + 1] === '*') {
        return { ok: false, message: '`**` must be a whole path segment, as in `a/**/b`', offset };
      }
      captures.push('star');
      alternatives.push(undefined);
      // A whole-segment `*` must not match an empty segment.
      pattern += segment === '*' ? '([^/]+)' : '([^/]*)';
    } else if (c === '?') {
      captures.push('question');
      alternatives.push(undefined);
      pattern += '([^/])';
    } else if (c === '{') {
      const close = segment.indexOf('}', i);
      if (close < 0) return { ok: false, message: 'a `{` has no closing `}`', offset };
      const inner = segment.slice(i + 1, close);
      if (/[*?{\\]/.test(inner)) {
        return { ok: false, message: 'the alternatives inside `{…}` must be plain names, without wildcards', offset };
      }
      const options = inner.split(',');
      if (options.length < 2) return { ok: false, message: '`{…}` needs at least two alternatives: `{a,b}`', offset };
      captures.push('alternation');
      alternatives.push(options);
      pattern += `(${options.map(escapeRegex).join('|')})`;
      i = close;
    } else if (c === '}') {
      return { ok: false, message: 'a `}` has no opening `{`', offset };
    } else {
      pattern += escapeRegex(c);
    }
  }
  return { ok: true, pattern };
}

function literalPrefix(body: string): string {
  let prefix = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') prefix += body[++i] ?? '';
    else if (c === '*' || c === '?' || c === '{') {
      // `a/**` also matches `a` itself.
      return body.startsWith('**', i) && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    } else prefix += c;
  }
  return prefix;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The captures of `path` (root-relative, no trailing slash) under `glob`, or undefined when it does not match. */
export function matchGlob(glob: Glob, path: string): string[] | undefined {
  if (!path.startsWith(glob.prefix)) return undefined;
  const match = glob.regex.exec(path);
  if (!match) return undefined;
  return match.slice(1).map((value) => value ?? '');
}

/** Escapes glob syntax in a literal so that it matches only itself. */
export function globEscape(literal: string): string {
  return literal.replace(/[*?{}\\]/g, '\\$&');
}
