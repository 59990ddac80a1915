import { pendingJournal } from '../core/apply/apply';
import { appliesInEffect, composeRenames, withBuildRootMoves } from '../core/apply/history';
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
 * The renames of every apply made since the baseline and still in effect (a `relayout move` takes a baseline before
 * its apply; a plan run takes one at its backup step and then applies once per move step), composed into one list,
 * with the folders of moved kustomizations.
 */
export function appliedRenamesSince(rootAbs: string, baseline: Baseline): Move[] {
  return withBuildRootMoves(composeRenames(appliesInEffect(rootAbs, baseline.createdAt)));
}
