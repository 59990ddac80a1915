import * as nodePath from 'node:path';
import { pendingJournal } from '../core/apply/apply';
import { LAST_APPLY_FILE, readJournalFile } from '../core/apply/journal';
import type { Move } from '../core/types';
import type { Baseline } from '../core/verify/baseline';

/** The one-line notice for an interrupted apply or rollback under the root, if there is one. */
export function interruptedApplyMessage(rootAbs: string): string | undefined {
  const pending = pendingJournal(rootAbs);
  if (pending === undefined) return undefined;
  const what = pending.phase === 'rolling-back' ? 'a rollback' : 'an apply';
  return (
    `${what} was interrupted (started ${pending.startedAt}, ${pending.stepsDone} of ${pending.steps} steps done); ` +
    'run `relayout recover`'
  );
}

/**
 * The renames of the last apply, when that apply came after the baseline (the baseline is taken just before each
 * apply); none when the last apply is older, was rolled back, or there was none.
 */
export function lastApplyRenames(rootAbs: string, baseline: Baseline): Move[] {
  const last = readJournalFile(nodePath.join(rootAbs, LAST_APPLY_FILE));
  if (last === undefined || Date.parse(last.startedAt) < Date.parse(baseline.createdAt)) return [];
  return last.renames;
}
