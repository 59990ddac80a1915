/**
 * Path references in a Tiltfile (Starlark), relative to the Tiltfile's folder: the path arguments of `kustomize`,
 * `k8s_yaml`, `docker_build` (context, `dockerfile=`), `helm`, `read_file`/`read_yaml`/`read_json`, `watch_file`,
 * `include`, `load`, `docker_compose` and every `deps=` entry are exact (kept even when broken, like any structured
 * path field). Command strings of `local(…)` and `local_resource(cmd=…, serve_cmd=…)` are scanned as shell run in
 * the Tiltfile's folder. Any other string that looks like a path and resolves is a probable reference.
 */
import type { Extractor, Problem, Reference, ReviewItem } from '../types';
import { LineIndex } from '../text';
import { dirname, escapesRoot, join } from '../paths';
import { extractShellFragment } from './shell';

interface Frame {
  /** The callee of a `(` frame (`docker_build`, `os.path.join`); undefined for a list, dict or plain parentheses. */
  call: string | undefined;
  bracket: '(' | '[' | '{';
  position: number;
  keyword: string | undefined;
}

interface StringToken {
  /** Range of the characters between the quotes. */
  start: number;
  end: number;
  value: string;
  /** True when `value` is exactly the source characters (no escapes). */
  verbatim: boolean;
  formatted: boolean;
  /** True when the string follows a `+`: the middle or end of a concatenated path (`repo + "/" + name`). */
  continued?: boolean;
}

/** Which arguments of a call are of interest: by position (when passed positionally) or by keyword. */
interface ArgumentSpec {
  positions: number[];
  keywords: string[];
}

/** Calls whose first positional argument (or the named keyword) is a workspace path. */
const PATH_CALLS = new Map<string, ArgumentSpec>(Object.entries({
  kustomize: { positions: [0], keywords: ['pathToDir', 'path'] },
  k8s_yaml: { positions: [0], keywords: ['yaml'] },
  docker_build: { positions: [1], keywords: ['context', 'dockerfile'] },
  custom_build: { positions: [], keywords: ['dockerfile'] },
  helm: { positions: [0], keywords: ['paths', 'values'] },
  read_file: { positions: [0], keywords: ['path'] },
  read_yaml: { positions: [0], keywords: ['path'] },
  read_json: { positions: [0], keywords: ['path'] },
  watch_file: { positions: [0], keywords: ['path'] },
  include: { positions: [0], keywords: ['path'] },
  load: { positions: [0], keywords: [] },
  docker_compose: { positions: [0], keywords: ['configPaths'] },
}));

/** Calls whose argument is a shell command run in the Tiltfile's folder. */
const COMMAND_CALLS = new Map<string, ArgumentSpec>(Object.entries({
  local: { positions: [0], keywords: ['command'] },
  local_resource: { positions: [1], keywords: ['cmd', 'serve_cmd'] },
}));

/** Extracts path references from a Tiltfile. */
export const extractTiltfile: Extractor = (input, workspace) => {
  const { path, text } = input;
  const lines = new LineIndex(text);
  const folder = dirname(path);
  const refs: Reference[] = [];
  const review: ReviewItem[] = [];
  const problems: Problem[] = [];

  const exists = (target: string): boolean => !escapesRoot(target) && workspace.stat(target) !== undefined;
  const addReference = (token: StringToken, kind: string, target: string, confidence: 'exact' | 'probable'): void => {
    refs.push({
      from: path,
      start: token.start,
      end: token.end,
      ...lines.position(token.start),
      text: token.value,
      kind,
      base: folder,
      baseRule: 'referrer',
      target,
      confidence,
    });
  };
  const addReview = (token: StringToken, kind: string, reason: string, target: string): void => {
    review.push({
      file: path,
      start: token.start,
      end: token.end,
      ...lines.position(token.start),
      text: text.slice(token.start, token.end),
      kind,
      reason,
      target,
    });
  };

  const onString = (token: StringToken, frames: Frame[]): void => {
    const frame = frames[frames.length - 1];
    const call = frame?.bracket === '(' ? frame.call : undefined;
    const owner = [...frames].reverse().find((candidate) => candidate.bracket === '(');
    const pathKind = pathArgumentKind(call, frame, owner);
    if (token.formatted || /[*?]/.test(token.value)) {
      // What comes after a value not known statically is no path of its own (`repo + "/" + context`).
      if (token.continued) return;
      const staticEnd = token.value.search(token.formatted ? /[%{*?]/ : /[*?]/);
      const staticText = token.value.slice(0, staticEnd < 0 ? token.value.length : staticEnd);
      const target = join(folder, staticText.slice(0, staticText.lastIndexOf('/') + 1));
      if (staticText.includes('/') && exists(target)) {
        addReview(token, pathKind ?? 'tilt.path', token.formatted ? 'path is formatted from values not known statically' : 'glob pattern: a move may change what it matches', target);
      }
      return;
    }
    if (call !== undefined && isArgument(COMMAND_CALLS.get(call), frame)) {
      if (!token.verbatim) return;
      const fragment = extractShellFragment(
        { file: path, text, start: token.start, end: token.end, cwd: folder, cwdRule: 'referrer', kindPrefix: 'tilt.cmd' },
        workspace,
        lines,
      );
      refs.push(...fragment.refs);
      review.push(...fragment.review);
      problems.push(...fragment.problems);
      return;
    }
    const value = token.value;
    if (value === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('/') || value.startsWith('~') || /\s/.test(value)) return;
    const target = join(folder, value);
    if (pathKind !== undefined) {
      if (!escapesRoot(target) && token.verbatim) addReference(token, pathKind, target, 'exact');
      return;
    }
    if (/\/|\.[A-Za-z0-9]+$/.test(value) && value !== '.' && exists(target) && token.verbatim) addReference(token, 'tilt.path', target, 'probable');
  };

  scan(text, onString);
  refs.sort((a, b) => a.start - b.start);
  review.sort((a, b) => a.start - b.start);
  return { refs, review, problems };
};

/** The kind of a path argument at this position, or undefined when the string is not one. */
function pathArgumentKind(call: string | undefined, frame: Frame | undefined, owner: Frame | undefined): string | undefined {
  if (owner?.keyword === 'deps') return 'tilt.deps';
  if (owner?.call === 'k8s_yaml' || (owner?.call === 'helm' && owner.keyword === 'values')) return `tilt.${owner.call}`;
  if (call !== undefined && frame && isArgument(PATH_CALLS.get(call), frame)) return `tilt.${call}`;
  return undefined;
}

function isArgument(spec: ArgumentSpec | undefined, frame: Frame): boolean {
  if (!spec) return false;
  return frame.keyword !== undefined ? spec.keywords.includes(frame.keyword) : spec.positions.includes(frame.position);
}

/** Tokenizes Starlark, tracking call frames, and reports each string literal with the frames around it. */
function scan(text: string, onString: (token: StringToken, frames: Frame[]) => void): void {
  const frames: Frame[] = [];
  let lastIdentifier: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline;
      continue;
    }
    const stringStart = /^([rRbBfF]{0,2})('''|"""|'|")/.exec(text.slice(i, i + 5));
    if (stringStart && (stringStart[1] === '' || !/[A-Za-z0-9_]/.test(text[i - 1] ?? ''))) {
      const prefix = stringStart[1].toLowerCase();
      const quote = stringStart[2];
      const { token, next } = readString(text, i + stringStart[0].length, quote, prefix.includes('r'));
      const following = /^\s*(%|\.format\s*\(|\+)/.test(text.slice(next, next + 20));
      const continued = /\+\s*$/.test(text.slice(Math.max(0, i - 20), i));
      onString({ ...token, formatted: prefix.includes('f') || following, ...(continued ? { continued } : {}) }, frames);
      i = next;
      lastIdentifier = undefined;
      continue;
    }
    const identifier = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i, i + 200));
    if (identifier) {
      lastIdentifier = identifier[0];
      i += identifier[0].length;
      const after = /^\s*=(?!=)/.exec(text.slice(i, i + 20));
      const top = frames[frames.length - 1];
      if (after && top?.bracket === '(') {
        top.keyword = lastIdentifier;
        i += after[0].length;
        lastIdentifier = undefined;
      }
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      frames.push({ call: c === '(' ? lastIdentifier : undefined, bracket: c, position: 0, keyword: undefined });
    } else if (c === ')' || c === ']' || c === '}') {
      frames.pop();
    } else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top) {
        if (top.keyword === undefined) top.position++;
        top.keyword = undefined;
      }
    }
    if (!/\s/.test(c)) lastIdentifier = undefined;
    i++;
  }
}

/** Reads a string body after its opening quote; returns its token and the offset after the closing quote. */
function readString(text: string, start: number, quote: string, raw: boolean): { token: Omit<StringToken, 'formatted'>; next: number } {
  let value = '';
  let i = start;
  while (i < text.length && !text.startsWith(quote, i)) {
    if (quote.length === 1 && text[i] === '\n') break;
    if (text[i] === '\\' && !raw) {
      value += text[i + 1] ?? '';
      i += 2;
      continue;
    }
    value += text[i];
    i++;
  }
  const end = Math.min(i, text.length);
  return { token: { start, end, value, verbatim: text.slice(start, end) === value }, next: end + (text.startsWith(quote, end) ? quote.length : 0) };
}
