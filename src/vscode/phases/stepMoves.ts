import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { rollback } from '../../core/apply/apply';
import { readJournalFile } from '../../core/apply/journal';
import { beginRecordedApply, finishRecordedApply } from '../../core/apply/recorded';
import type { MoveBatch, MovesApplied } from '../../core/phases/run';
import { folderRenames } from '../moveService';
import { configuredPreviewMode, needsPreview, pathAfter, toWorkspaceEdit } from '../workspaceEdit';
import type { WorkspaceModel } from '../workspaceModel';

/**
 * Carries out a move step's batch the way the editor carries out a move: one WorkspaceEdit with the renames, the
 * created files and the reference edits (one undo step), through the Refactor Preview as `relayout.preview` says,
 * with the edited documents saved so that the tree on disk is the result, as after the CLI. The engine's recorder
 * captures the tree before and files what was applied as a completed journal, so Roll Back Last Step and
 * `relayout rollback` undo it byte for byte. A discarded preview changes nothing; an edit VS Code gave up on
 * half-way, or whose documents could not be saved, is rolled back before this returns.
 */
export async function applyStepMoves(model: WorkspaceModel, batch: MoveBatch, report: (message: string) => void): Promise<MovesApplied> {
  const { plan, source } = batch;
  const renames = folderRenames(plan, source);
  const recorded = beginRecordedApply(plan, model.rootPath, source, renames);
  const preview = configuredPreviewMode(model.rootUri);
  const previewed = needsPreview(plan, preview);
  let applied = false;
  let failure: unknown;
  try {
    const edit = toWorkspaceEdit({ ...plan, renames }, model, source, { renames: true, preview });
    report(previewed ? 'check the changes in the Refactor Preview, then apply or discard them' : `moving ${plan.renames.length} files`);
    // The renames in this edit carry their reference edits already: the rename participant must skip them.
    model.beginOwnEdit();
    try {
      applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
    } finally {
      model.endOwnEdit();
    }
    if (applied) await saveEdited([...new Set(plan.edits.map((edit) => model.uriOf(pathAfter(edit.file, renames)).toString()))]);
  } catch (error) {
    failure = error;
  }
  const result = finishRecordedApply(recorded);
  if (applied && failure === undefined) {
    if (!result.journal) return { status: 'not-applied', reason: 'every change was left out in the Refactor Preview' };
    return { status: 'applied', result };
  }
  // Whatever VS Code did apply before it stopped (a discarded preview applies nothing) is undone from the record.
  const journal = result.journal ? readJournalFile(nodePath.join(model.rootPath, ...result.journal.split('/'))) : undefined;
  if (journal) rollback(model.rootPath, { journal, force: true });
  if (failure !== undefined) throw failure;
  return { status: 'not-applied', reason: previewed ? 'the changes were discarded in the Refactor Preview' : 'VS Code did not apply the edit (a file changed meanwhile?)' };
}

/**
 * Saves the documents the edit changed. VS Code saves a refactoring's files itself (`files.refactoring.autoSave`)
 * unless the user turned that off, and may still be at it: this saves what is unsaved until none is left.
 */
async function saveEdited(uris: readonly string[]): Promise<void> {
  const keys = new Set(uris);
  for (;;) {
    const unsaved = vscode.workspace.textDocuments.filter((document) => document.isDirty && keys.has(document.uri.toString()));
    if (unsaved.length === 0) return;
    const saved = await Promise.all(unsaved.map((document) => document.save()));
    if (saved.some((ok) => !ok)) throw new Error(`VS Code could not save ${unsaved.filter((_, index) => !saved[index]).map((document) => document.uri.fsPath).join(', ')}`);
  }
}
