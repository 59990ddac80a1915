import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { recover, rollback } from '../core/apply/apply';
import { LAST_APPLY_FILE, readJournalFile } from '../core/apply/journal';
import { lastRecordedStep, rollbackStep } from '../core/phases/run';
import { STATE_FILE } from '../core/phases/state';
import { booleanFlag, stringFlag, UsageError } from './args';
import type { CommandContext } from './context';
import { err, EXIT_FAILED, EXIT_OK, out } from './io';
import { loadPlanFor } from './planFile';

/**
 * `relayout rollback [--plan FILE] [--step ID] [--force]`: undo the last plan step (or return to the backup of the
 * backup step ID), or the last apply when a `relayout move` came after the last step (or no step ever ran).
 */
export async function runRollback({ io, args, rootAbs }: CommandContext): Promise<number> {
  const force = booleanFlag(args, 'force');
  try {
    if (existsSync(nodePath.join(rootAbs, STATE_FILE))) {
      const { plan } = loadPlanFor(io, rootAbs, stringFlag(args, 'plan'), true);
      const step = lastRecordedStep(rootAbs, plan);
      const lastApply = readJournalFile(nodePath.join(rootAbs, LAST_APPLY_FILE));
      const named = stringFlag(args, 'step');
      if (named !== undefined || (step !== undefined && (lastApply === undefined || step.finishedAt >= lastApply.startedAt))) {
        const result = rollbackStep(rootAbs, plan, { force, step: named });
        out(io, `Rolled back step ${result.step} [${result.action}]: ${result.summary}.`);
        return EXIT_OK;
      }
    }
    const result = rollback(rootAbs, { force });
    out(io, `Rolled back the last apply (${result.undone} steps undone); the tree is as it was before it.`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError || !(error instanceof Error)) throw error;
    err(io, `relayout: ${error.message}`);
    return EXIT_FAILED;
  }
}

/** `relayout recover`: finish or undo an interrupted apply or rollback. */
export async function runRecover({ io, rootAbs }: CommandContext): Promise<number> {
  try {
    const result = recover(rootAbs);
    if (!result.recovered) out(io, 'Nothing to recover: no apply was interrupted.');
    else if (result.undone === 0) out(io, 'The interrupted apply had finished every step; its bookkeeping is now complete.');
    else if (result.phase === 'rolling-back') out(io, `Finished the interrupted rollback (${result.undone} steps undone).`);
    else out(io, `Undid the interrupted apply (${result.undone} steps); the tree is as it was before it.`);
    return EXIT_OK;
  } catch (error) {
    err(io, `relayout: ${(error as Error).message}`);
    return EXIT_FAILED;
  }
}
