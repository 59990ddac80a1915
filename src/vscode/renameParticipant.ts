import * as vscode from 'vscode';
import { planMoves } from '../core/moves/plan';
import { isInside } from '../core/paths';
import type { Move } from '../core/types';
import { configuredPreviewMode, toWorkspaceEdit } from './workspaceEdit';
import type { WorkspaceModel } from './workspaceModel';

/**
 * `relayout.updateReferencesOnRename`. `always` (the default) adds the reference edits to the rename without asking:
 * VS Code already asks once whether extensions may add edits to a rename, and probable edits still go through the
 * Refactor Preview as `relayout.preview` says. `prompt` asks first, in a modal dialog, while VS Code waits for the
 * participants (it gives up after `files.participants.timeout`). `never` leaves references alone; broken ones then
 * show in the Problems panel with a quick fix.
 */
type RenameMode = 'always' | 'prompt' | 'never';

const renameModes: readonly RenameMode[] = ['always', 'prompt', 'never'];

export interface RenameParticipantDeps {
  model: WorkspaceModel;
}

/**
 * Renames and drag-and-drop moves in the Explorer (and renames in any extension's WorkspaceEdit) get their
 * reference edits in the same undo step: VS Code applies the edit this participant returns before the rename.
 * Relayout's own moves carry their edits already and are left alone.
 */
export function registerRenameParticipant({ model }: RenameParticipantDeps): vscode.Disposable {
  return vscode.workspace.onWillRenameFiles((event) => {
    // Rewriting references writes files: not in an untrusted workspace (restricted mode), nor twice for Relayout's moves.
    if (model.ownEditInProgress || !vscode.workspace.isTrusted) return;
    const mode = renameMode(model);
    if (mode === 'never') return;
    const moves: Move[] = [];
    for (const file of event.files) {
      const from = model.relativePath(file.oldUri);
      const to = model.relativePath(file.newUri);
      if (from && to) moves.push({ from, to });
    }
    if (moves.length > 0) event.waitUntil(referenceEdits(model, moves, mode));
  });
}

function renameMode(model: WorkspaceModel): RenameMode {
  const configured = vscode.workspace.getConfiguration('relayout', model.rootUri).get<string>('updateReferencesOnRename');
  return renameModes.find((mode) => mode === configured) ?? 'always';
}

async function referenceEdits(model: WorkspaceModel, moves: Move[], mode: RenameMode): Promise<vscode.WorkspaceEdit> {
  const none = new vscode.WorkspaceEdit();
  const snapshot = model.flush();
  const plan = planMoves(moves, snapshot.graph, snapshot.source);
  const folderTargets = moves.filter((move) => snapshot.source.stat(move.from) === 'directory').map((move) => move.to);
  // A kustomization created inside a renamed folder's new place would exist before VS Code renames the folder there.
  const blocked = [
    ...plan.conflicts.map((conflict) => conflict.reason),
    ...plan.creates
      .filter((create) => folderTargets.some((folder) => isInside(create.path, folder)))
      .map((create) => `${create.path} would have to be created (${create.reason}); move the folder with "Relayout: Move with References…"`),
  ];
  if (blocked.length > 0) {
    void vscode.window.showWarningMessage(`Relayout did not update the references to ${describe(moves)}: ${blocked.join('; ')}`);
    return none;
  }
  if (plan.edits.length === 0 && plan.creates.length === 0) return none;
  if (mode === 'prompt') {
    const update = 'Update';
    const count = plan.edits.length;
    const choice = await vscode.window.showInformationMessage(
      `Update ${count} reference${count === 1 ? '' : 's'} to ${describe(moves)}?`,
      { modal: true },
      update,
    );
    if (choice !== update) return none;
  }
  return toWorkspaceEdit(plan, model, snapshot.source, { renames: false, preview: configuredPreviewMode(model.rootUri) });
}

function describe(moves: readonly Move[]): string {
  return moves.length === 1 ? moves[0]!.from : `${moves.length} renamed files and folders`;
}
