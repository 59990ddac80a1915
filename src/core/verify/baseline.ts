import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { FileSource, ReferenceGraph } from '../types';
import packageManifest from '../../../package.json';
import { findBrokenReferences, findResolvedReferences, type BrokenReference, type RecordedReference } from './broken';
import { kustomizeVersion, NO_KUSTOMIZE_MESSAGE, type KustomizeTool } from './kustomizeTool';
import { digestObjects } from './objects';
import { renderRoots } from './render';
import { findKustomizationRoots } from './roots';

/** The version of Relayout that writes baselines and reports. */
export const RELAYOUT_VERSION: string = packageManifest.version;

/** Where the CLI keeps the baseline, relative to the workspace root. */
export const DEFAULT_BASELINE_PATH = '.relayout/baseline.json';

const BASELINE_FORMAT = 1;

/** One kustomization root as rendered. `objects` are canonical JSON strings, sorted. */
export type RootRender =
  | { dir: string; file: string; ok: true; digest: string; objects: string[] }
  | { dir: string; file: string; ok: false; error: string };

/** Every root of a workspace rendered, or why rendering was skipped. */
export type WorkspaceRenders =
  | { status: 'rendered'; kustomize: { flavor: KustomizeTool['flavor']; version: string | undefined }; roots: RootRender[] }
  | { status: 'skipped'; reason: string };

/** What verification compares against: the state of a workspace before a change. */
export interface Baseline {
  format: typeof BASELINE_FORMAT;
  relayoutVersion: string;
  createdAt: string;
  brokenReferences: BrokenReference[];
  /** Every (non-glob) reference that resolved: each must still reach its target, wherever both moved. */
  resolvedReferences: RecordedReference[];
  renders: WorkspaceRenders;
}

export interface RenderSettings {
  /** The kustomize implementation to render with; without one rendering is skipped. */
  tool: KustomizeTool | undefined;
  /** How many renders run at once (default: one per core). */
  concurrency?: number;
}

export interface CaptureOptions extends RenderSettings {
  /** Where to write the baseline, relative to the workspace root (default `.relayout/baseline.json`); `null`: nowhere. */
  file?: string | null;
}

/** A baseline file that cannot be read or is not a baseline. */
export class BaselineError extends Error {}

/** Renders every non-component kustomization root of the workspace. */
export async function renderWorkspace(rootAbs: string, source: FileSource, settings: RenderSettings): Promise<WorkspaceRenders> {
  if (settings.tool === undefined) return { status: 'skipped', reason: NO_KUSTOMIZE_MESSAGE };
  const roots = findKustomizationRoots(source);
  const [version, outcomes] = await Promise.all([
    kustomizeVersion(settings.tool),
    renderRoots(
      rootAbs,
      roots.map((root) => root.dir),
      settings.tool,
      { concurrency: settings.concurrency },
    ),
  ]);
  return {
    status: 'rendered',
    kustomize: { flavor: settings.tool.flavor, version },
    roots: roots.map((root): RootRender => {
      const outcome = outcomes.get(root.dir);
      if (outcome === undefined || !outcome.ok) {
        return { dir: root.dir, file: root.file, ok: false, error: outcome?.error ?? 'not rendered' };
      }
      return { dir: root.dir, file: root.file, ok: true, digest: digestObjects(outcome.objects), objects: outcome.objects };
    }),
  };
}

/**
 * Records the workspace's broken references and renders, and writes them to `.relayout/baseline.json` (or
 * `options.file`). Called before every apply, so that `verify` can prove the apply changed nothing it should not.
 */
export async function captureBaseline(
  rootAbs: string,
  source: FileSource,
  graph: ReferenceGraph,
  options: CaptureOptions,
): Promise<Baseline> {
  const baseline: Baseline = {
    format: BASELINE_FORMAT,
    relayoutVersion: RELAYOUT_VERSION,
    createdAt: new Date().toISOString(),
    brokenReferences: findBrokenReferences(graph, source),
    resolvedReferences: findResolvedReferences(graph, source),
    renders: await renderWorkspace(rootAbs, source, options),
  };
  const file = options.file === undefined ? DEFAULT_BASELINE_PATH : options.file;
  if (file !== null) await writeBaseline(nodePath.join(rootAbs, file), baseline);
  return baseline;
}

/** Writes a baseline atomically (a temporary file renamed over the old one). */
export async function writeBaseline(fileAbs: string, baseline: Baseline): Promise<void> {
  await mkdir(nodePath.dirname(fileAbs), { recursive: true });
  const temporary = `${fileAbs}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(baseline) + '\n', 'utf8');
  await rename(temporary, fileAbs);
}

/** Reads and checks a baseline file; throws `BaselineError` naming the problem. */
export async function readBaseline(fileAbs: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(fileAbs, 'utf8');
  } catch (error) {
    throw new BaselineError(`cannot read baseline ${fileAbs}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`baseline ${fileAbs} is not JSON: ${(error as Error).message}`);
  }
  const problem = baselineShapeProblem(value);
  if (problem !== undefined) throw new BaselineError(`baseline ${fileAbs} is not a Relayout baseline: ${problem}`);
  return value as Baseline;
}

function baselineShapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (value.format !== BASELINE_FORMAT) return `unsupported format ${JSON.stringify(value.format)}`;
  for (const field of ['brokenReferences', 'resolvedReferences'] as const) {
    const list = value[field];
    if (!Array.isArray(list)) return `${field} is not a list`;
    for (const ref of list) {
      if (!isRecord(ref) || typeof ref.from !== 'string' || typeof ref.kind !== 'string' || typeof ref.text !== 'string') {
        return `an entry of ${field} lacks from/kind/text`;
      }
      if (typeof ref.target !== 'string' || typeof ref.line !== 'number' || typeof ref.column !== 'number') {
        return `an entry of ${field} lacks target/line/column`;
      }
    }
  }
  const renders = value.renders;
  if (!isRecord(renders)) return 'renders is missing';
  if (renders.status === 'skipped') return typeof renders.reason === 'string' ? undefined : 'renders.reason is missing';
  if (renders.status !== 'rendered' || !Array.isArray(renders.roots)) return 'renders.roots is not a list';
  for (const root of renders.roots) {
    if (!isRecord(root) || typeof root.dir !== 'string' || typeof root.file !== 'string') return 'a root lacks dir/file';
    if (typeof root.ok !== 'boolean') return `root ${root.dir} has no ok flag`;
    if (root.ok && !(Array.isArray(root.objects) && root.objects.every((o) => typeof o === 'string'))) {
      return `root ${root.dir} has no objects list`;
    }
    if (root.ok === false && typeof root.error !== 'string') return `root ${root.dir} has no error text`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
