import { recover, rollback } from '../core/apply/apply';
import { booleanFlag } from './args';
import type { CommandContext } from './context';
import { err, EXIT_FAILED, EXIT_OK, out } from './io';

/** `relayout rollback [--force]`: undo the last apply. */
export async function runRollback({ io, args, rootAbs }: CommandContext): Promise<number> {
  try {
    const result = rollback(rootAbs, { force: booleanFlag(args, 'force') });
    out(io, `Rolled back the last apply (${result.undone} steps undone); the tree is as it was before it.`);
    return EXIT_OK;
  } catch (error) {
    err(io, `relayout: ${(error as Error).message}`);
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
