/**
 * Path references in Dockerfiles: the sources of `COPY` and `ADD`, relative to the build context. The context is
 * not written in the Dockerfile: it is taken to be the Dockerfile's own folder, unless more of its sources resolve
 * in a folder above it (a Compose `context: ./` with `dockerfile: src/ad/Dockerfile` copies `./src/ad/…`), the
 * nearest such folder then. It stays where it is when only the Dockerfile moves (base rule `fixed`). Every reference
 * is probable and only sources that resolve in the context are reported.
 * Copies from another stage or image (`--from=`), URLs and heredoc sources are not workspace paths. Comment lines
 * are read like shell comments (probable `docker.comment` references).
 */
import type { Extractor, Reference, ReviewItem, WorkspaceView } from '../types';
import { fullLineComments, LineIndex, mayNamePath } from '../text';
import { dirname, escapesRoot, isInside, join, normalize } from '../paths';
import { extractShellFragment, scanShell } from './shell';

interface Argument {
  text: string;
  start: number;
  /** False when the written characters differ from `text` (a JSON escape): the range cannot be spliced. */
  verbatim: boolean;
}

/** Extracts `COPY`/`ADD` sources from a Dockerfile. */
export const extractDockerfile: Extractor = (input, workspace) => {
  const { path, text } = input;
  const lines = new LineIndex(text);
  const refs: Reference[] = [];
  const review: ReviewItem[] = [];
  const escape = /^\uFEFF?#\s*escape\s*=\s*`/im.test(leadingDirectives(text)) ? '`' : '\\';

  const sources: { source: Argument; kind: string }[] = [];
  // Per stage: the container folder the whole context was copied to (`COPY . /src`) and the WORKDIR, both without
  // their leading `/` (undefined once not known statically), so a RUN in that folder runs in the context.
  let copiedTo: string | undefined;
  let workdir: string | undefined = '';
  const runs: { start: number; end: number; below: string }[] = [];
  for (const instruction of instructions(text, escape)) {
    const line = text.slice(instruction.start, instruction.end);
    if (/^\s*FROM\s/i.test(line)) {
      copiedTo = undefined;
      workdir = '';
      continue;
    }
    const workdirMatch = /^\s*WORKDIR\s+(\S+)\s*$/i.exec(line);
    if (workdirMatch) {
      workdir = containerPath(workdirMatch[1], workdir);
      continue;
    }
    const run = /^\s*RUN\s+(?:--\S+\s+)*/i.exec(line);
    if (run) {
      if (escape === '\\' && copiedTo !== undefined && workdir !== undefined && text[instruction.start + run[0].length] !== '[') {
        if (workdir === copiedTo || isInside(workdir, copiedTo)) {
          runs.push({ start: instruction.start + run[0].length, end: instruction.end, below: workdir.slice(copiedTo.length).replace(/^\//, '') });
        }
      }
      continue;
    }
    const match = /^\s*(COPY|ADD)\s+/i.exec(line);
    if (!match) continue;
    const kind = `docker.${match[1].toLowerCase()}`;
    const args = parseArguments(text, instruction.start + match[0].length, instruction.end, escape);
    const options = args.filter((arg) => arg.text.startsWith('--'));
    if (options.some((option) => option.text.startsWith('--from='))) continue;
    const operands = args.filter((arg) => !arg.text.startsWith('--'));
    if (operands.length >= 2 && operands.slice(0, -1).some((arg) => arg.text === '.' || arg.text === './')) {
      copiedTo = workdir === undefined ? undefined : containerPath(operands[operands.length - 1].text, workdir);
    }
    for (const source of operands.slice(0, -1)) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source.text) || source.text.startsWith('<<') || source.text.startsWith('git@')) continue;
      if (source.text.startsWith('/') || source.text === '.' || source.text === './') continue;
      sources.push({ source, kind });
    }
  }
  const context = buildContext(dirname(path), sources.map(({ source }) => source.text), workspace);
  // The context is where the build runs from, not where the Dockerfile is: moving the Dockerfile alone
  // (`docker build -f build/Dockerfile .`) leaves it in place, so it is a folder of its own (`fixed`).
  const baseRule = 'fixed';
  const reference = (source: (typeof sources)[number]['source'], kind: string, target: string): Reference => ({
    from: path,
    start: source.start,
    end: source.start + source.text.length,
    ...lines.position(source.start),
    text: source.text,
    kind,
    base: context,
    baseRule,
    target,
    confidence: 'probable',
  });

  for (const { source, kind } of sources) {
    const dynamicAt = source.text.search(/[$*?[]/);
    if (dynamicAt >= 0) {
      const folder = join(context, source.text.slice(0, source.text.lastIndexOf('/', dynamicAt) + 1));
      const known = !escapesRoot(folder) && workspace.stat(folder) !== undefined && source.text.slice(0, dynamicAt).includes('/');
      if (known && source.verbatim && !source.text.includes('$')) {
        // A glob written out after its static folder: the planner rewrites the folder and reviews what it matches.
        refs.push({ ...reference(source, kind, folder), glob: true });
      } else if (known) {
        review.push({
          file: path,
          start: source.start,
          end: source.start + source.text.length,
          ...lines.position(source.start),
          text: source.text,
          kind,
          reason: source.text[dynamicAt] === '$'
            ? 'source is built from a build argument whose value is not known statically'
            : 'glob source: a move may change what it matches',
          target: folder,
        });
      }
      continue;
    }
    const target = join(context, source.text);
    if (escapesRoot(target) || workspace.stat(target) === undefined || !source.verbatim) continue;
    refs.push(reference(source, kind, target));
  }
  refs.push(...commentPaths(path, text, workspace, lines));
  for (const run of runs) {
    // A RUN in the copied context (`COPY . /src`, `WORKDIR /src`, `RUN ./hack/install.sh`): its shell paths name
    // context files. A Dockerfile below the root is often built with the root as context: tried next.
    const cwd = join(context, run.below);
    const fragment = { file: path, text, start: run.start, end: run.end, cwd, cwdRule: 'fixed' as const, kindPrefix: 'docker.run' };
    const fallbackBases = context === '' ? undefined : [{ path: run.below, rule: 'fixed' as const, anchored: false }];
    refs.push(...scanShell(fragment, workspace, lines, { fallbackBases }).refs);
  }
  return { refs, review, problems: [] };
};

/** A container path (absolute, or relative to `workdir`) without its leading `/`; undefined when built from a variable. */
function containerPath(written: string, workdir: string | undefined): string | undefined {
  const unquoted = written.replace(/^(["'])(.*)\1$/, '$2');
  if (unquoted.includes('$')) return undefined;
  if (unquoted.startsWith('/')) return normalize(unquoted.slice(1)).replace(/\/$/, '');
  return workdir === undefined ? undefined : normalize(join(workdir, unquoted)).replace(/\/$/, '');
}

/**
 * Comment lines are free text read like a shell comment (`# Keep in step with src/grafana/x.yaml`): a path-like word
 * that resolves from the root or, failing that, from the Dockerfile's folder is a probable `docker.comment` reference.
 */
function commentPaths(path: string, text: string, workspace: WorkspaceView, lines: LineIndex): Reference[] {
  const refs: Reference[] = [];
  for (const { hash, bodyEnd, body } of fullLineComments(text)) {
    if (!mayNamePath(body)) continue;
    const fragment = { file: path, text, start: hash, end: bodyEnd, cwd: '', cwdRule: 'fixed' as const, kindPrefix: 'docker' };
    refs.push(...extractShellFragment(fragment, workspace, lines).refs.filter((ref) => ref.kind === 'docker.comment'));
  }
  return refs;
}

/**
 * The build context a Dockerfile's sources most likely resolve in: its own folder, or the nearest folder above it
 * where strictly more of its plain sources (no variable or glob) exist.
 */
function buildContext(folder: string, sources: readonly string[], workspace: WorkspaceView): string {
  const plain = sources.filter((source) => !/[$*?[]/.test(source));
  const resolving = (base: string): number =>
    plain.filter((source) => {
      const target = join(base, source);
      return !escapesRoot(target) && workspace.stat(target) !== undefined;
    }).length;
  let best = folder;
  let bestCount = resolving(folder);
  if (bestCount === plain.length) return folder;
  for (let above = folder; above !== ''; ) {
    above = dirname(above);
    const count = resolving(above);
    if (count > bestCount) {
      best = above;
      bestCount = count;
    }
  }
  return best;
}

/** The parser directives block at the top of a Dockerfile (comment lines before anything else). */
function leadingDirectives(text: string): string {
  const match = /^(?:\uFEFF?[ \t]*#[^\n]*\n)*/.exec(text);
  return match ? match[0] : '';
}

/** Instruction ranges: continued lines joined; comment lines (also inside a continuation) and blank lines skipped. */
function instructions(text: string, escape: string): { start: number; end: number }[] {
  const result: { start: number; end: number }[] = [];
  let current: { start: number; end: number } | undefined;
  let offset = text.startsWith('\uFEFF') ? 1 : 0;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline < 0 ? text.length : newline;
    const contentEnd = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const line = text.slice(offset, contentEnd);
    if (!/^\s*#/.test(line) && (current || line.trim() !== '')) {
      current ??= { start: offset, end: contentEnd };
      current.end = contentEnd;
      if (!line.trimEnd().endsWith(escape)) {
        result.push(current);
        current = undefined;
      }
    }
    offset = lineEnd + 1;
  }
  if (current) result.push(current);
  return result;
}

/** Splits instruction arguments: leading `--options`, then shell form (blank-separated) or JSON form (`["a", "b"]`). */
function parseArguments(text: string, start: number, end: number, escape: string): Argument[] {
  const args: Argument[] = [];
  let i = start;
  while (i < end) {
    if (/\s/.test(text[i]) || (text[i] === escape && /[\s]/.test(text[i + 1] ?? ''))) {
      i++;
      continue;
    }
    if (text[i] === '[' && args.every((arg) => arg.text.startsWith('--'))) return [...args, ...jsonArguments(text, i, end)];
    const wordStart = i;
    while (i < end && !/\s/.test(text[i])) i++;
    let word = text.slice(wordStart, i);
    let offset = wordStart;
    if (word.length >= 2 && (word[0] === '"' || word[0] === "'") && word.endsWith(word[0])) {
      word = word.slice(1, -1);
      offset++;
    }
    args.push({ text: word, start: offset, verbatim: true });
  }
  return args;
}

function jsonArguments(text: string, start: number, end: number): Argument[] {
  const args: Argument[] = [];
  for (const match of text.slice(start, end).matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    const raw = match[1];
    let value: string;
    try {
      value = JSON.parse(`"${raw}"`) as string;
    } catch {
      continue;
    }
    args.push({ text: value, start: start + match.index + 1, verbatim: value === raw });
  }
  return args;
}
