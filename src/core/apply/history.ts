/**
 * The applies that shaped the tree since a point in time, read from the journal history: what verification needs to
 * follow a file through several applies (a phase runs one apply per move step), and what a restore from a backup
 * marks as no longer in effect.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { Move } from '../types';
import { HISTORY_FOLDER, LAST_APPLY_FILE, readJournalFile, type Journal } from './journal';

const APPLIED_SUFFIX = '-applied.json';
const ROLLED_BACK_SUFFIX = '-rolled-back.json';
/** An apply whose effect a restore from a backup took away (the tree went back to before it). */
const RESTORED_SUFFIX = '-restored.json';

/**
 * The completed applies still in effect (applied, not rolled back, not restored away) that started at or after
 * `since` (an ISO time; every one when undefined), oldest first.
 */
export function appliesInEffect(rootAbs: string, since?: string): Journal[] {
  const folder = nodePath.join(rootAbs, HISTORY_FOLDER);
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const undone = new Set(names.filter((name) => name.endsWith(ROLLED_BACK_SUFFIX)).map((name) => name.slice(0, -ROLLED_BACK_SUFFIX.length)));
  const sinceTime = since === undefined ? -Infinity : Date.parse(since);
  return names
    .filter((name) => name.endsWith(APPLIED_SUFFIX) && !undone.has(name.slice(0, -APPLIED_SUFFIX.length)))
    .sort()
    .map((name) => readJournalFile(nodePath.join(folder, name)))
    .filter((journal): journal is Journal => journal !== undefined && Date.parse(journal.startedAt) >= sinceTime);
}

/**
 * The renames of several applies made in order, composed into one before → after list: a file moved from a to b and
 * then from b to c is one rename a → c; a file moved back where it was drops out.
 */
export function composeRenames(applies: readonly Journal[]): Move[] {
  const origin = new Map<string, string>();
  for (const journal of applies) {
    const moved = journal.renames.map((rename) => ({ from: origin.get(rename.from) ?? rename.from, to: rename.to, was: rename.from }));
    for (const { was } of moved) origin.delete(was);
    for (const { from, to } of moved) origin.set(to, from);
  }
  return [...origin]
    .filter(([to, from]) => to !== from)
    .map(([to, from]) => ({ from, to }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** File names kustomize reads as a kustomization. */
const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * The renames verification follows: `renames`, plus old folder → new folder for every kustomization that moved to
 * another folder. A path that names a kustomize root names its folder, and the planner rewrites such paths (a
 * `kubectl apply -k` in a Tekton script) to follow the kustomization, even when the folder's other files went
 * elsewhere.
 */
export function withBuildRootMoves(renames: readonly Move[]): Move[] {
  const folderOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
  const named = new Set(renames.map((rename) => rename.from));
  const roots: Move[] = [];
  for (const rename of renames) {
    const name = rename.from.slice(rename.from.lastIndexOf('/') + 1);
    const from = folderOf(rename.from);
    const to = folderOf(rename.to);
    if (!KUSTOMIZATION_NAMES.has(name) || from === to || from === '' || named.has(from)) continue;
    named.add(from);
    roots.push({ from, to });
  }
  return [...renames, ...roots];
}

/**
 * Marks every apply in effect since `since` as restored away, after the tree was put back to how it was at `since`:
 * none of them can be rolled back any more, and verification no longer follows their renames.
 */
export function markAppliesRestored(rootAbs: string, since: string): number {
  const folder = nodePath.join(rootAbs, HISTORY_FOLDER);
  const stamps = new Set(appliesInEffect(rootAbs, since).map((journal) => journal.startedAt.replace(/[:.]/g, '-')));
  for (const stamp of stamps) {
    fs.renameSync(nodePath.join(folder, stamp + APPLIED_SUFFIX), nodePath.join(folder, stamp + RESTORED_SUFFIX));
  }
  const last = readJournalFile(nodePath.join(rootAbs, LAST_APPLY_FILE));
  if (last !== undefined && stamps.has(last.startedAt.replace(/[:.]/g, '-'))) fs.rmSync(nodePath.join(rootAbs, LAST_APPLY_FILE));
  return stamps.size;
}
