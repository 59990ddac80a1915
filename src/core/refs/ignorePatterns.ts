/**
 * Gitignore-syntax patterns that select paths of this repository: Flux `.sourceignore` files and a Flux
 * GitRepository's `spec.ignore` block. They decide what Flux sees of the tree, so a move that leaves them naming an
 * old folder silently stops Flux from deploying what it deployed.
 *
 * Only anchored patterns (a leading `/`, possibly negated with `!`) name a place: `/infrastructure/kubernetes/`,
 * `!/deploy/*.yaml`, `/*`. Each is a glob reference (its text is the pattern after the `/`, its target the static
 * folder before the first wildcard, or the path itself without one) resolved from the repository root for
 * `spec.ignore` and from the file's folder for a `.sourceignore`. Unanchored patterns (`*.md`, `tmp/`) match at any
 * depth and name no place; `/*` names no folder either. A pattern naming nothing that exists is left out.
 */
import { basename, dirname, escapesRoot, join } from '../paths';
import { LineIndex } from '../text';
import type { BaseRule, Confidence, Extraction, ExtractInput, Extractor, Reference, WorkspaceView } from '../types';
import { extractPlainText } from './plainText';
import { staticPrefix } from './yamlRefs';

const WILDCARD = /[*?[]/;

/** Where a block of patterns sits in its file and how its anchored patterns resolve. */
export interface IgnorePatternBlock {
  file: string;
  /** The whole text of the file. */
  text: string;
  /** The part of `text` holding the patterns, one per line. */
  start: number;
  end: number;
  /** The folder a leading `/` stands for. */
  base: string;
  baseRule: BaseRule;
  kind: string;
}

/** Flux reads a `.sourceignore` in any folder of the source, relative to that folder. */
export function isSourceIgnoreFile(path: string): boolean {
  return basename(path) === '.sourceignore';
}

/** The anchored patterns of a block as glob references (probable: a pattern may match more than a folder). */
export function ignorePatternRefs(block: IgnorePatternBlock, workspace: WorkspaceView, lines: LineIndex): Reference[] {
  const refs: Reference[] = [];
  const anchored = /^([ \t]*)(!?)\/(?=[^\s/#])(\S+)[ \t]*\r?$/gm;
  const body = block.text.slice(block.start, block.end);
  for (const match of body.matchAll(anchored)) {
    const text = match[3];
    if (text.includes('\\')) continue;
    const start = block.start + match.index + match[1].length + match[2].length + 1;
    const wildcard = WILDCARD.test(text);
    const folder = wildcard ? staticPrefix(text) : text;
    if (folder === '') continue;
    const target = join(block.base, folder);
    if (escapesRoot(target) || workspace.stat(target) === undefined || (wildcard && workspace.stat(target) !== 'directory')) continue;
    refs.push({ ...patternReference(block, lines, start, text, target, 'probable'), glob: true });
  }
  return refs;
}

/** The reference of a pattern's path `text` at `start`, in a file whose patterns resolve from `place.base`. */
function patternReference(
  place: Pick<IgnorePatternBlock, 'file' | 'base' | 'baseRule' | 'kind'>,
  lines: LineIndex,
  start: number,
  text: string,
  target: string,
  confidence: Confidence,
): Reference {
  const { file, base, baseRule, kind } = place;
  return { from: file, start, end: start + text.length, ...lines.position(start), text, kind, base, baseRule, target, confidence };
}

/** Extracts the anchored patterns of a `.sourceignore` file. */
export const extractSourceIgnore: Extractor = (input, workspace) => {
  const block: IgnorePatternBlock = {
    file: input.path,
    text: input.text,
    start: 0,
    end: input.text.length,
    base: dirname(input.path),
    baseRule: 'referrer',
    kind: 'flux.sourceignore',
  };
  return { refs: ignorePatternRefs(block, workspace, new LineIndex(input.text)), review: [], problems: [] };
};

/** A file of ignore patterns that names places below its folder, and how its patterns do. */
export interface IgnoreFile {
  name: string;
  kind: string;
  /** Who reads it, for messages. */
  reader: string;
  /** Docker reads every pattern from the context root; git only one with a `/` at its start or in its middle. */
  everyPatternAnchored: boolean;
}

const IGNORE_FILES: readonly IgnoreFile[] = [
  { name: '.gitignore', kind: 'gitignore', reader: 'git', everyPatternAnchored: false },
  { name: '.dockerignore', kind: 'dockerignore', reader: 'Docker', everyPatternAnchored: true },
];

/** The ignore file whose references have this kind. */
export function ignoreFileOfKind(kind: string): IgnoreFile | undefined {
  return IGNORE_FILES.find((file) => file.kind === kind);
}

/** The extractor of an ignore file (`.gitignore`, `.dockerignore`), by its name. */
export function ignoreFileExtractor(path: string): Extractor | undefined {
  const file = IGNORE_FILES.find((candidate) => candidate.name === basename(path));
  return file && ((input, workspace) => extractIgnoreFile(file, input, workspace));
}

/**
 * Extracts the anchored patterns of an ignore file: in a `.gitignore`, a `/` at the start or in the middle (`/dist/`,
 * `deploy/*.key`) makes a pattern name a place below the file's folder, and unanchored ones (`*.log`, `tmp/`) match at
 * any depth and name none; in a `.dockerignore`, every pattern names a place below the build context, its folder. Each
 * is a reference on its longest leading static part that exists: the whole path, else its deepest existing folder.
 * What a pattern ignores is not listed, so `tls/ca.key` reads as the folder `tls` followed by `/ca.key`; a pattern
 * with wildcards right below an existing folder (`tls/*.key`) is a glob reference over that folder. Exact: an
 * anchored pattern leaves no doubt about the place it names.
 */
function extractIgnoreFile(file: IgnoreFile, input: ExtractInput, workspace: WorkspaceView): Extraction {
  const base = dirname(input.path);
  const place = { file: input.path, base, baseRule: 'referrer' as const, kind: file.kind };
  const lines = new LineIndex(input.text);
  const refs: Reference[] = [];
  for (const match of input.text.matchAll(/^(!?)(\/?)([^#\r\n][^\r\n]*?) *\r?$/gm)) {
    const [, negation, slash, pattern] = match;
    const trimmed = pattern.replace(/\/$/, '');
    if (pattern.includes('\\') || (!file.everyPatternAnchored && slash === '' && !trimmed.includes('/'))) continue;
    const segments = trimmed.split('/');
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) continue;
    const wildcard = segments.findIndex((segment) => WILDCARD.test(segment));
    for (let count = wildcard < 0 ? segments.length : wildcard; count > 0; count--) {
      const folder = segments.slice(0, count).join('/');
      const target = join(base, folder);
      const type = workspace.stat(target);
      if (type === undefined || (count < segments.length && type !== 'directory')) continue;
      // A pattern with wildcards below an existing folder is a glob over it: a move can change what it matches.
      const glob = count === wildcard;
      const text = glob ? pattern : folder;
      const start = match.index + negation.length + slash.length;
      const reference = patternReference(place, lines, start, text, target, 'exact');
      refs.push(glob ? { ...reference, glob: true } : reference);
      break;
    }
  }
  // A comment is prose (`# cache of hack/sbom.sh`): its paths are read as in any free text.
  const comments = [...input.text.matchAll(/^#[^\r\n]*/gm)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  if (comments.length === 0) return { refs, review: [], problems: [] };
  const inComment = (ref: Reference) => comments.some((comment) => comment.start <= ref.start && ref.end <= comment.end);
  refs.push(...extractPlainText(input, workspace).refs.filter(inComment));
  return { refs: refs.sort((a, b) => a.start - b.start), review: [], problems: [] };
}
