import type { FileSource, Move, ReferenceGraph } from '../types';
import { dirname } from '../paths';
import { renderWorkspace, type Baseline, type RenderSettings, type RootRender } from './baseline';
import { compareBrokenReferences, findBrokenReferences, findLostReferences, type BrokenComparison, type BrokenReference } from './broken';
import { diffObjects, isEmptyDiff, mapStrings, type ObjectDiff } from './objects';
import { RenameMap } from './renames';

/**
 * How one kustomization root compares with the baseline.
 * - `same`, `changed`: rendered both times, with equal or different objects.
 * - `paths-rewritten`: the objects differ only in moved paths written in their content (a script in a Tekton Task),
 *   which the move rewrote on purpose; not a regression.
 * - `failed`: does not render now, though it rendered in the baseline (or is new).
 * - `still-failing`: failed in the baseline too; not a regression.
 * - `fixed`: failed in the baseline and renders now.
 * - `new-root`: not in the baseline; renders.
 * - `root-gone`: in the baseline, not found now at its (mapped) location.
 */
export type RootStatus = 'same' | 'paths-rewritten' | 'changed' | 'failed' | 'still-failing' | 'fixed' | 'new-root' | 'root-gone';

export interface RootComparison {
  /** The root folder now (for `root-gone`, where it was expected). */
  dir: string;
  /** Its kustomization file now (for `root-gone`, where it was expected). */
  file: string;
  /** The root's folder in the baseline, when it had one and it differs from `dir`. */
  baselineDir?: string;
  status: RootStatus;
  /** For `changed` and `paths-rewritten`. */
  diff?: ObjectDiff;
  /** For `failed` and `still-failing`: the first lines of the renderer's error. */
  error?: string;
  /** Objects rendered now. */
  objectCount?: number;
}

export type RenderVerification =
  | { status: 'skipped'; reason: string }
  | { status: 'compared'; passed: boolean; roots: RootComparison[] };

export interface VerifyReport {
  passed: boolean;
  /** When the baseline was taken; undefined when verifying without one. */
  baselineCreatedAt: string | undefined;
  /**
   * `lost`: references that resolved in the baseline and no longer reach their (moved) target, not counting those
   * already listed as `introduced`.
   */
  references: BrokenComparison & { lost: BrokenReference[]; passed: boolean };
  renders: RenderVerification;
  /** Things the reader should know that do not fail verification. */
  warnings: string[];
}

const FAILING_STATUSES: ReadonlySet<RootStatus> = new Set(['changed', 'failed', 'root-gone']);

/**
 * Checks the workspace against a baseline taken before a change whose renames are given: no reference broken that
 * was not broken before, every reference that resolved still reaches its (moved) target, and every kustomization root
 * renders the same objects at its new location. Without a baseline every reference must resolve and every root must
 * render.
 */
export async function verify(
  rootAbs: string,
  source: FileSource,
  graph: ReferenceGraph,
  baseline: Baseline | undefined,
  renames: readonly Move[],
  settings: RenderSettings,
): Promise<VerifyReport> {
  // A folder emptied by the apply but left on disk counts as gone: only folders holding files exist here.
  const folders = foldersHoldingFiles(graph.files());
  const renameMap = new RenameMap(renames, (folder) => folders.has(folder));
  const references = compareBrokenReferences(baseline?.brokenReferences ?? [], findBrokenReferences(graph, source), renameMap);
  // A stale path that is still a reference is already listed as broken; say it once.
  const introduced = new Set(references.introduced.map(writtenAs));
  const lost = findLostReferences(baseline?.resolvedReferences ?? [], graph, source, renameMap).filter(
    (ref) => !introduced.has(writtenAs(ref)),
  );
  const warnings: string[] = [];
  let renders: RenderVerification;
  if (baseline?.renders.status === 'skipped') {
    renders = { status: 'skipped', reason: `the baseline has no renders (${baseline.renders.reason})` };
  } else {
    const current = await renderWorkspace(rootAbs, source, settings);
    if (current.status === 'skipped') {
      renders = { status: 'skipped', reason: current.reason };
    } else {
      const baselineRoots = baseline?.renders.status === 'rendered' ? baseline.renders.roots : [];
      const roots = compareRoots(baselineRoots, current.roots, renameMap);
      renders = { status: 'compared', passed: roots.every((root) => !FAILING_STATUSES.has(root.status)), roots };
      if (baseline?.renders.status === 'rendered' && baseline.renders.kustomize.version !== current.kustomize.version) {
        warnings.push(
          `the baseline was rendered with kustomize ${baseline.renders.kustomize.version ?? '(unknown version)'}, ` +
            `this check with ${current.kustomize.version ?? '(unknown version)'}`,
        );
      }
    }
  }
  if (baseline === undefined) warnings.push('no baseline: every reference must resolve and every root must render');
  const referencesPassed = references.introduced.length === 0 && lost.length === 0;
  return {
    passed: referencesPassed && (renders.status === 'skipped' || renders.passed),
    baselineCreatedAt: baseline?.createdAt,
    references: { ...references, lost, passed: referencesPassed },
    renders,
    warnings,
  };
}

function foldersHoldingFiles(files: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let folder = dirname(file); folder !== '' && !folders.has(folder); folder = dirname(folder)) folders.add(folder);
  }
  return folders;
}

function writtenAs(ref: BrokenReference): string {
  return `${ref.from}\u0000${ref.kind}\u0000${ref.text}`;
}

/** Pairs each baseline root with the root now at its mapped location and classifies the pair. */
export function compareRoots(baseline: readonly RootRender[], current: readonly RootRender[], renames: RenameMap): RootComparison[] {
  const currentByDir = new Map(current.map((root) => [root.dir, root]));
  const matched = new Set<string>();
  const comparisons: RootComparison[] = [];
  for (const before of baseline) {
    const file = renames.map(before.file);
    const dir = dirname(file);
    const moved = dir !== before.dir ? { baselineDir: before.dir } : {};
    const after = currentByDir.get(dir);
    if (after === undefined || matched.has(dir)) {
      comparisons.push({ dir, file, ...moved, status: 'root-gone' });
      continue;
    }
    matched.add(dir);
    comparisons.push({ ...compareRender(before, after, renames), ...moved });
  }
  for (const after of current) {
    if (matched.has(after.dir)) continue;
    comparisons.push(
      after.ok
        ? { dir: after.dir, file: after.file, status: 'new-root', objectCount: after.objects.length }
        : { dir: after.dir, file: after.file, status: 'failed', error: after.error },
    );
  }
  return comparisons.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

function compareRender(before: RootRender, after: RootRender, renames: RenameMap): RootComparison {
  const where = { dir: after.dir, file: after.file };
  if (!after.ok) return { ...where, status: before.ok ? 'failed' : 'still-failing', error: after.error };
  if (!before.ok) return { ...where, status: 'fixed', objectCount: after.objects.length };
  const objectCount = after.objects.length;
  const diff = diffObjects(before.objects, after.objects);
  if (isEmptyDiff(diff)) return { ...where, status: 'same', objectCount };
  const expected = before.objects.map((object) => mapStrings(object, (text) => renames.rewriteText(text)));
  const status = isEmptyDiff(diffObjects(expected, after.objects)) ? 'paths-rewritten' : 'changed';
  return { ...where, status, diff, objectCount };
}
