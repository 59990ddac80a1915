/**
 * Path references in text no specific extractor reads: source code (`[]string{"../config/crd/bases"}` in a Go test),
 * build flags (`"output:crd:artifacts:config=config/crd/bases"`), tool configs (a Kasanefile's `- ../../x.yaml`),
 * JSON, plain YAML, `.txt`, `.cue`, `.jsonnet`.
 *
 * Nothing about such a file says which of its words are paths, so the rule is conservative: a word (split at blanks,
 * quotes and brackets, then at `=` and `:`) is a probable `text.path` Reference only when it looks like a path (a `/`
 * or a file extension) and names an EXISTING workspace path, from the file's folder or, failing that and when it has
 * a `/`, from the repository root. A glob (`manifests/crds/*.yaml` in `.gitattributes`) is a glob reference to the
 * folder before its wildcard. URLs, `host.tld/…` module paths, absolute and home paths and variables are never
 * references; nothing here is a ReviewItem, because a word that does not resolve is most likely not a path.
 */
import type { Extraction, Extractor, Reference, WorkspaceView } from '../types';
import { LineIndex } from '../text';
import { dirname, escapesRoot, join } from '../paths';
import { isPathLike } from './shell';

/** Larger files are generated data (lock files, bundles, dumps), not something a person wrote paths into. */
export const PLAIN_TEXT_SIZE_LIMIT = 1024 * 1024;

/**
 * Runs of characters that can be part of a path: blanks, quotes, brackets and list punctuation end a word. Braces do
 * not, so that a templated word (`deploy/{{ .name }}`) stays whole and is rejected rather than read as `deploy/`.
 */
const WORD = /[^\s"'`,;()[\]<>|]+/g;
/** A word this long is an encoded blob, not a path someone wrote. */
const LONGEST_WORD = 1024;
/** A URL (`https://…`, `oci://…`) anywhere in the word, or a git remote (`git@host:org/repo`). */
const URL_LIKE = /[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[\w.-]+@[\w.-]+:/;
/** Characters of variables, templates, fragments and escapes: a word holding one is not a literal path. */
const NOT_LITERAL = /[$%{}\\#@!^~]/;
/** Wildcards: a word holding one is a glob (`manifests/crds/*-crd.yaml` in `.gitattributes`). */
const WILDCARD = /[*?]/;
/** A first segment that is a host name (`github.com/…`, `sigs.k8s.io/…`, `gopkg.in/…`): a module or URL path. */
const HOST_SEGMENT = /^(?:[A-Za-z0-9-]+\.)+(?:com|org|net|io|dev|sh|co|ai|app|cloud|gov|edu|info|me|in|eu|us|uk|de)\//i;

/** Extracts probable path references from free text. */
export const extractPlainText: Extractor = (input, workspace) => {
  const { path, text } = input;
  const extraction: Extraction = { refs: [], review: [], problems: [] };
  if (text.length > PLAIN_TEXT_SIZE_LIMIT) return extraction;
  const folder = dirname(path);
  let lines: LineIndex | undefined;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match; match = WORD.exec(text)) {
    const word = match[0];
    if (word.length > LONGEST_WORD || URL_LIKE.test(word)) continue;
    let pieceStart = 0;
    for (let i = 0; i <= word.length; i++) {
      if (i < word.length && word[i] !== '=' && word[i] !== ':') continue;
      const reference = resolvePiece(word.slice(pieceStart, i), folder, workspace);
      if (reference) {
        lines ??= new LineIndex(text);
        const start = match.index + pieceStart + reference.offset;
        extraction.refs.push({
          from: path,
          start,
          end: start + reference.text.length,
          ...lines.position(start),
          text: reference.text,
          kind: 'text.path',
          base: reference.base,
          baseRule: reference.base === folder ? 'referrer' : 'fixed',
          target: reference.target,
          confidence: 'probable',
          ...(reference.glob ? { glob: true } : {}),
        });
      }
      pieceStart = i + 1;
    }
  }
  return extraction;
};

interface ResolvedPiece extends Pick<Reference, 'text' | 'base' | 'target' | 'glob'> {
  /** Where `text` starts in the piece (after a brace that opens a flow mapping or a set: `{a/b}`). */
  offset: number;
}

/**
 * The path a piece of a word names, from the file's folder or else the root; undefined when it names nothing. A glob
 * names the folder before its first wildcard, which must have a `/` in front of it (`manifests/crds/*.yaml`).
 */
function resolvePiece(piece: string, folder: string, workspace: WorkspaceView): ResolvedPiece | undefined {
  const offset = piece.startsWith('{') && !piece.startsWith('{{') ? 1 : 0;
  let text = withoutSentenceEnd(piece.slice(offset));
  if (text.endsWith('}') && !text.endsWith('}}')) text = text.slice(0, -1);
  if (text === '' || /^[/~-]/.test(text) || NOT_LITERAL.test(text) || HOST_SEGMENT.test(text)) return undefined;
  const wildcard = text.search(WILDCARD);
  const named = wildcard < 0 ? text : text.slice(0, text.lastIndexOf('/', wildcard) + 1);
  if (named === '' || !isPathLike(named) || named.split('/').every((segment) => segment === '' || segment === '.' || segment === '..')) {
    return undefined;
  }
  // A bare file name (`README.md`) is a guess about the root only when nothing else backs it: common names exist there.
  const bases = folder === '' ? [''] : named.includes('/') ? [folder, ''] : [folder];
  for (const base of bases) {
    const target = join(base, named);
    if (target === '' || escapesRoot(target) || workspace.stat(target) === undefined) continue;
    return wildcard < 0 ? { text, base, target, offset } : { text, base, target, offset, glob: true };
  }
  return undefined;
}

/** Drops the full stops that end a sentence (`see docs/setup.md.`), but not the dots of `..` or `/.`. */
function withoutSentenceEnd(piece: string): string {
  let end = piece.length;
  while (end > 1 && piece[end - 1] === '.' && piece[end - 2] !== '.' && piece[end - 2] !== '/') end--;
  return piece.slice(0, end);
}
