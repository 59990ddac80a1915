/** Workspace path arithmetic. Workspace paths are POSIX, relative, normalized, without `./`; `''` is the root. */

/** Normalizes a POSIX path: collapses `.`, `..` and repeated slashes, drops leading `./` and trailing `/`. */
export function normalize(path: string): string {
  if (!NOT_NORMALIZED.test(path)) return path;
  // The kept segments are found as offsets and copied out in runs (a join of `a/b` and `../c` keeps two), not split
  // and joined one by one: every reference target passes through here.
  const kept: number[] = [];
  /** How many of the kept segments are leading `..`, which a later `..` cannot cancel. */
  let ups = 0;
  for (let start = 0; start <= path.length; ) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    const length = end - start;
    const isDotDot = length === 2 && path.charCodeAt(start) === DOT && path.charCodeAt(start + 1) === DOT;
    if (length === 0 || (length === 1 && path.charCodeAt(start) === DOT)) {
      // Skipped, as a repeated slash or `./`.
    } else if (isDotDot && kept.length / 2 > ups) {
      kept.length -= 2;
    } else {
      kept.push(start, end);
      if (isDotDot) ups++;
    }
    start = end + 1;
  }
  let result = '';
  for (let i = 0; i < kept.length; ) {
    const runStart = kept[i];
    let runEnd = kept[i + 1];
    i += 2;
    while (i < kept.length && kept[i] === runEnd + 1) {
      runEnd = kept[i + 1];
      i += 2;
    }
    const run = path.slice(runStart, runEnd);
    result = result === '' ? run : `${result}/${run}`;
  }
  return result;
}

const DOT = 46;
/** Matches what `normalize` changes: `.` or `..` segments, empty segments, a leading or trailing `/`. */
const NOT_NORMALIZED = /(^|\/)\.\.?(\/|$)|\/\/|^\/|\/$/;

/** Joins and normalizes. A result starting with `..` lies outside the workspace. */
export function join(...segments: string[]): string {
  return normalize(segments.filter((s) => s !== '').join('/'));
}

export function dirname(path: string): string {
  const index = path.lastIndexOf('/');
  return index < 0 ? '' : path.slice(0, index);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function extname(path: string): string {
  const name = basename(path);
  const index = name.lastIndexOf('.');
  return index <= 0 ? '' : name.slice(index);
}

/** The relative path from folder `from` to `to` (both workspace paths); `.` when they are the same. */
export function relative(from: string, to: string): string {
  const a = from === '' ? [] : from.split('/');
  const b = to === '' ? [] : to.split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const up = a.slice(common).map(() => '..');
  const result = [...up, ...b.slice(common)].join('/');
  return result === '' ? '.' : result;
}

/** True when `path` is `folder` itself or lies below it. The root contains everything. */
export function isInside(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(folder + '/');
}

/** True when a normalized path climbs out of the workspace. */
export function escapesRoot(path: string): boolean {
  return path === '..' || path.startsWith('../');
}

/** Rewrites `path` under a move of `from` to `to` (file or folder, by prefix); undefined when it is not affected. */
export function movePath(path: string, from: string, to: string): string | undefined {
  if (path === from) return to;
  if (from !== '' && path.startsWith(from + '/')) return to + path.slice(from.length);
  return undefined;
}
