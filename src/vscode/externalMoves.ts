import * as vscode from 'vscode';
import { planDoneMoves } from '../core/moves/done';
import type { Move } from '../core/types';
import type { MoveTracker } from './moveTracker';
import { configuredPreviewMode, toWorkspaceEdit } from './workspaceEdit';
import type { WorkspaceModel } from './workspaceModel';

export interface ExternalMovesDeps {
  model: WorkspaceModel;
  tracker: MoveTracker;
}

/**
 * Moves made outside the editor (`git mv`, a terminal `mv`): when the tracker sees one and files still name the old
 * path, a notification offers "Update N references to the moved file?" — Update applies the reference edits the
 * move would have had (one undo step), Preview shows them all in the Refactor Preview first, Ignore leaves them
 * (they stay in the Problems panel, with a quick fix each).
 */
export function registerExternalMoveOffer({ model, tracker }: ExternalMovesDeps): vscode.Disposable {
  // The update writes files, which restricted mode does not allow.
  return tracker.onDidDetectMoves((moves) => {
    if (vscode.workspace.isTrusted) void offerReferenceUpdate(model, moves);
  });
}

async function offerReferenceUpdate(model: WorkspaceModel, detected: readonly Move[]): Promise<void> {
  const current = model.flush();
  // A move whose references were already updated (by whatever moved it, or a move undone) is not worth a word.
  const moves = detected.filter((move) => {
    const plan = planDoneMoves([move], current.graph, current.source);
    return plan.edits.length > 0 || plan.creates.length > 0;
  });
  if (moves.length === 0) return;
  const first = planDoneMoves(moves, current.graph, current.source);
  const count = first.edits.length;
  if (count === 0 && first.creates.length === 0) return;
  const what = moves.length === 1 ? `${moves[0]!.from} was moved to ${moves[0]!.to}` : `${moves.length} files and folders were moved`;
  if (first.conflicts.length > 0) {
    void vscode.window.showWarningMessage(
      `Relayout: ${what} outside the editor, and its references cannot all be updated: ${first.conflicts.map((conflict) => conflict.reason).join('; ')}`,
    );
    return;
  }
  const [update, preview, ignore] = ['Update', 'Preview', 'Ignore'];
  const choice = await vscode.window.showInformationMessage(
    `Relayout: ${what} outside the editor. Update ${count} reference${count === 1 ? '' : 's'} to the moved ${moves.length === 1 ? 'file' : 'files'}?`,
    update,
    preview,
    ignore,
  );
  if (choice !== update && choice !== preview) return;
  // Planned again: the files may have changed while the notification waited.
  const snapshot = model.flush();
  const plan = planDoneMoves(moves, snapshot.graph, snapshot.source);
  if (plan.conflicts.length > 0) {
    void vscode.window.showWarningMessage(`Relayout did not update the references: ${plan.conflicts.map((conflict) => conflict.reason).join('; ')}`);
    return;
  }
  const edit = toWorkspaceEdit(plan, model, snapshot.source, {
    renames: false,
    preview: choice === preview ? 'always' : configuredPreviewMode(model.rootUri),
  });
  await vscode.workspace.applyEdit(edit, { isRefactoring: true });
}
