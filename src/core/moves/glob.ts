/** The parts of a glob reference the planner needs: its static folder prefix and what its pattern matches. */

const GLOB_CHARACTERS = /[*?[{]/;

/** A glob's text split into the static prefix (a path, no wildcard) and the pattern below it. */
export interface GlobParts {
  /** The text before the first wildcard's folder, e.g. `apps` in `apps/*.yaml`; may be `''`. */
  prefix: string;
  /** The pattern relative to the prefix's folder, e.g. `*.yaml`; `''` matches everything below the prefix. */
  pattern: string;
}

/** Kinds of glob references that a tool matches against each changed file's path, never through a folder. */
const FILE_FILTER_KINDS = new Set(['github.paths', 'github.pathsIgnore', 'github.pathFilter', 'gitlab.changes', 'gitlab.exists']);

/** True when a glob reference of this kind matches file paths only (a CI path filter). */
export function matchesFilesOnly(kind: string): boolean {
  return FILE_FILTER_KINDS.has(kind);
}

/**
 * Splits a glob's text at the last `/` before its first wildcard. For a reference of kind `kind`, a make pattern
 * (`make.*` kinds: `templates/%.yaml`) has `%` as its wildcard, which the pattern returned spells `*`.
 */
export function splitGlob(text: string, kind = ''): GlobParts {
  const make = kind.startsWith('make.');
  const wildcard = text.search(make ? /[*?[{%]/ : GLOB_CHARACTERS);
  if (wildcard < 0) return { prefix: text.replace(/\/+$/, ''), pattern: '' };
  const slash = text.lastIndexOf('/', wildcard);
  const pattern = slash < 0 ? text : text.slice(slash + 1);
  return { prefix: slash < 0 ? '' : text.slice(0, slash), pattern: make ? pattern.replace(/%/g, '*') : pattern };
}

/**
 * A predicate telling whether a workspace-relative path (relative to the glob's prefix) is matched by `pattern`,
 * itself or through a folder containing it (`charts/*` matches `charts/x/Chart.yaml` through `charts/x`).
 * With `filesOnly`, the pattern must match the file's path itself, as a CI path filter reads it (GitHub `paths:`,
 * GitLab `changes:`): `charts/*` matches `charts/a.yaml`, not `charts/x/Chart.yaml`.
 * Supports `**`, `*`, `?`, `[…]`/`[!…]` and `{a,b}`.
 */
export function globMatcher(pattern: string, filesOnly = false): (path: string) => boolean {
  const trimmed = pattern.replace(/\/+$/, '');
  if (trimmed === '') return () => true;
  const expression = new RegExp(`^${globToRegExpSource(trimmed)}$`);
  if (filesOnly) return (path) => expression.test(path);
  // Files of one folder share its answer: remember it per folder.
  const folderMatches = new Map<string, boolean>();
  const matchesFolder = (folder: string): boolean => {
    if (folder === '') return false;
    let matches = folderMatches.get(folder);
    if (matches === undefined) {
      const slash = folder.lastIndexOf('/');
      matches = expression.test(folder) || matchesFolder(slash < 0 ? '' : folder.slice(0, slash));
      folderMatches.set(folder, matches);
    }
    return matches;
  };
  return (path) => {
    if (expression.test(path)) return true;
    const slash = path.lastIndexOf('/');
    return slash >= 0 && matchesFolder(path.slice(0, slash));
  };
}

function globToRegExpSource(pattern: string): string {
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const character = pattern[i];
    if (character === '*' && pattern[i + 1] === '*') {
      const followedBySlash = pattern[i + 2] === '/';
      source += followedBySlash ? '(?:.*/)?' : '.*';
      i += followedBySlash ? 2 : 1;
    } else if (character === '*') {
      source += '[^/]*';
    } else if (character === '?') {
      source += '[^/]';
    } else if (character === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
      source += `[${body}]`;
      i = close;
    } else if (character === '{') {
      braceDepth++;
      source += '(?:';
    } else if (character === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (character === ',' && braceDepth > 0) {
      source += '|';
    } else {
      source += character.replace(/[.+^$()|\\\]{}]/g, '\\$&');
    }
  }
  return source;
}
