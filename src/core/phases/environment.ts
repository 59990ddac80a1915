/**
 * The create-environment action: a new environment scaffolded from an existing overlay. The overlay folder is copied
 * to a sibling folder (so every relative path in it stays valid), and wherever a YAML value names the source
 * environment (namespace, name suffix, labels, literals, hosts) the name is changed by a range edit: comments,
 * quoting and layout survive byte for byte.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { isPair, isScalar, parseDocument, visit, type Scalar } from 'yaml';
import { DiskFileSource } from '../inventory/source';
import { basename, dirname, extname, isInside, join } from '../paths';
import { ReferenceIndex } from '../refs/index';
import { referenceResolves } from '../refs/resolves';
import { LineIndex } from '../text';
import type { FileSource } from '../types';
import type { KustomizeTool } from '../verify/kustomizeTool';
import { renderRoot } from '../verify/render';
import type { StepChanges } from './changes';

/** Long names teams write for the usual short environment names. */
const ENVIRONMENT_ALIASES: Record<string, string[]> = {
  dev: ['dev', 'development'],
  development: ['dev', 'development'],
  prod: ['prod', 'production'],
  production: ['prod', 'production'],
  stage: ['stage', 'staging'],
  staging: ['stage', 'staging'],
  test: ['test', 'testing'],
  qa: ['qa'],
};

/** Keys whose values name an artifact rather than the environment: an image tag `dev` is a tag, not a place. */
const UNTOUCHED_KEYS = new Set(['image', 'newName', 'newTag', 'digest', 'path', 'apiVersion', 'kind']);

export interface EnvironmentEdit {
  file: string;
  line: number;
  oldText: string;
  newText: string;
}

export interface CreatedEnvironment {
  /** Workspace-relative folders. */
  from: string;
  to: string;
  files: string[];
  edits: EnvironmentEdit[];
  /** Objects the new environment renders, when a kustomize tool was available. */
  renderedObjects?: number;
}

/**
 * Copies the overlay `fromFolder` (workspace-relative) to its sibling `name` and renames the environment in it.
 * Throws (after the caller's `changes` recorded what was written, so it can be undone) when the folder exists, when a
 * reference of the copy does not resolve though the original's did, or when the copy does not render.
 */
export async function createEnvironment(
  rootAbs: string,
  source: FileSource,
  fromFolder: string,
  name: string,
  changes: StepChanges,
  tool: KustomizeTool | undefined,
): Promise<CreatedEnvironment> {
  const { to, files: copies, graph } = environmentCopy(source, fromFolder, name);
  const edits: EnvironmentEdit[] = [];
  const created: string[] = [];
  for (const copy of copies) {
    const absolute = nodePath.join(rootAbs, ...copy.from.split('/'));
    const mode = fs.statSync(absolute).mode & 0o7777;
    changes.create(copy.to, copy.text ?? fs.readFileSync(absolute), mode);
    edits.push(...copy.edits);
    created.push(copy.to);
  }

  const copied = new DiskFileSource(rootAbs);
  const copiedGraph = ReferenceIndex.build(copied);
  const broken = created.flatMap((file) =>
    copiedGraph
      .refsFrom(file)
      .filter((ref) => !referenceResolves(ref, copied))
      .filter((ref) => {
        const original = join(fromFolder, file.slice(to.length + 1));
        return graph.refsFrom(original).some((before) => before.text === ref.text && referenceResolves(before, source));
      })
      .map((ref) => `${ref.from}:${ref.line} ${ref.text}`),
  );
  if (broken.length > 0) throw new Error(`the copy's references do not resolve: ${broken.join(', ')}`);

  const result: CreatedEnvironment = { from: fromFolder, to, files: created, edits };
  if (tool !== undefined && created.some(isKustomization)) {
    const rendered = await renderRoot(rootAbs, to, tool, 120_000);
    if (!rendered.ok) throw new Error(`${to} does not render: ${rendered.error}`);
    result.renderedObjects = rendered.objects.length;
  }
  return result;
}

/** One file of a new environment: where it comes from and goes, and its new text when it is text that was renamed. */
export interface EnvironmentFileCopy {
  from: string;
  to: string;
  /** Undefined for a file copied byte for byte. */
  text?: string;
  edits: EnvironmentEdit[];
}

/**
 * What copying the overlay `fromFolder` to its sibling `name` writes, computed without writing: the new folder, each
 * file's copy with the environment renamed in its YAML values (kustomizations get a header line naming the
 * environment they came from), and the reference graph of the tree it was computed on. Throws when the copy cannot be made.
 */
export function environmentCopy(
  source: FileSource,
  fromFolder: string,
  name: string,
): { to: string; files: EnvironmentFileCopy[]; graph: ReferenceIndex } {
  const to = join(dirname(fromFolder), name);
  if (source.stat(fromFolder) !== 'directory') throw new Error(`the environment to copy, ${fromFolder}, is not a folder`);
  if (source.stat(to) !== undefined) throw new Error(`${to} already exists`);
  const files = source.listFiles().filter((file) => isInside(file, fromFolder));
  if (files.length === 0) throw new Error(`${fromFolder} holds no files to copy`);
  const graph = ReferenceIndex.build(source);
  const fromName = basename(fromFolder);
  const copies = files.map((file): EnvironmentFileCopy => {
    const target = join(to, file.slice(fromFolder.length + 1));
    const read = source.readText(file);
    if (!read.ok || !isYaml(file)) return { from: file, to: target, edits: [] };
    const referenceRanges = graph.refsFrom(file).map((ref) => [ref.start, ref.end] as const);
    const fileEdits = environmentEdits(read.text, fromName, name, referenceRanges);
    let text = applyEdits(read.text, fileEdits);
    // The header line shifts the kustomization's lines by one.
    const shift = isKustomization(file) ? 1 : 0;
    // Named, not written as a path: a path here would go stale as soon as the layout moves on.
    if (shift) text = withHeader(text, `# The ${name} environment, scaffolded by Relayout from the ${fromName} environment beside it.`);
    const lines = new LineIndex(read.text);
    const edits = fileEdits.map((edit) => ({ file: target, line: lines.position(edit.start).line + shift, oldText: edit.oldText, newText: edit.newText }));
    return { from: file, to: target, text, edits };
  });
  return { to, files: copies, graph };
}

interface RangeEdit {
  start: number;
  end: number;
  oldText: string;
  newText: string;
}

/**
 * The edits that rename environment `from` to `to` in a YAML text: in every value (not keys, not references, not
 * image names or tags) each word naming `from` (or its long form) becomes `to`, and a `.local` host gets `to.` in
 * front. Pure, for tests.
 */
export function environmentEdits(text: string, from: string, to: string, referenceRanges: readonly (readonly [number, number])[] = []): RangeEdit[] {
  const names = ENVIRONMENT_ALIASES[from] ?? [from];
  const word = new RegExp(`(?<![A-Za-z0-9])(?:${names.map(escapeRegExp).join('|')})(?![A-Za-z0-9])`, 'g');
  const localHost = /(?<![A-Za-z0-9.-])(?:[a-z0-9-]+\.)+local(?![A-Za-z0-9-])/g;
  const edits: RangeEdit[] = [];
  const document = parseDocument(text, { keepSourceTokens: true });
  if (document.errors.length > 0) return edits;
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && UNTOUCHED_KEYS.has(String(pair.key.value))) return visit.SKIP;
      return undefined;
    },
    Scalar(_, node: Scalar, path) {
      const parent = path[path.length - 1];
      if ((isPair(parent) && parent.key === node) || !node.range) return;
      const [start, end] = node.range;
      if (referenceRanges.some(([refStart, refEnd]) => refStart < end && start < refEnd)) return;
      const raw = text.slice(start, end);
      // One edit per name, so the report shows what changed rather than whole block scalars.
      const hosts: [number, number][] = [];
      for (const match of raw.matchAll(localHost)) {
        const renamed = match[0].replace(word, to);
        const newText = renamed.startsWith(`${to}.`) ? renamed : `${to}.${renamed}`;
        const at = start + match.index;
        hosts.push([at, at + match[0].length]);
        edits.push({ start: at, end: at + match[0].length, oldText: match[0], newText });
      }
      for (const match of raw.matchAll(word)) {
        const at = start + match.index;
        if (hosts.some(([hostStart, hostEnd]) => hostStart <= at && at < hostEnd)) continue;
        edits.push({ start: at, end: at + match[0].length, oldText: match[0], newText: to });
      }
    },
  });
  return edits.sort((a, b) => a.start - b.start);
}

function applyEdits(text: string, edits: readonly RangeEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** The text with a comment line in front (after a BOM), in the file's line ending. */
function withHeader(text: string, comment: string): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  return bom + comment + newline + text.slice(bom.length);
}

function isYaml(file: string): boolean {
  return extname(file) === '.yaml' || extname(file) === '.yml';
}

function isKustomization(file: string): boolean {
  return ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(basename(file));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
