import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { rollback } from '../../core/apply/apply';
import { readJournalFile } from '../../core/apply/journal';
import { beginRecordedApply, finishRecordedApply, untouchedSinceBegin } from '../../core/apply/recorded';
import type { MoveBatch, MovesApplied } from '../../core/phases/run';
import { folderRenames } from '../moveService';
import { configuredPreviewMode, documentsCaughtUp, needsPreview, pathAfter, toWorkspaceEdit, touchedBy } from '../workspaceEdit';
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
    const touched = touchedBy(plan, model);
    for (let attempt = 1; ; attempt++) {
      // VS Code refuses an edit to a document that has not yet reloaded its file after a change on disk (a rollback,
      // the save of the step before): wait for the documents to show what the plan was made from.
      await documentsCaughtUp(touched);
      // The renames in this edit carry their reference edits already: the rename participant must skip them.
      model.beginOwnEdit();
      try {
        applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
      } finally {
        model.endOwnEdit();
      }
      // Refused with nothing changed and no one asked ("… has changed in the meantime"): the documents may still be
      // catching up with the tree the plan was made from, so VS Code is asked again.
      if (applied || previewed || attempt === APPLY_ATTEMPTS || !untouchedSinceBegin(recorded)) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
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

/** How often a batch VS Code refused, with nothing changed and no preview shown, is offered to it. */
const APPLY_ATTEMPTS = 3;
const RETRY_DELAY_MS = 500;

/**
 * Saves the documents the edit changed. VS Code saves a refactoring's files itself (`files.refactoring.autoSave`)
 * unless the user turned that off, and may still be at it: this saves what is unsaved until none is left.
 */
async function saveEdited(uris: readonly string[]): Promise<void> {
  const keys = new Set(uris);
  const unsaved = () => vscode.workspace.textDocuments.filter((document) => document.isDirty && keys.has(document.uri.toString()));
  for (let round = 0; round < SAVE_ROUNDS && unsaved().length > 0; round++) {
    await Promise.all(unsaved().map((document) => document.save()));
  }
  const left = unsaved();
  if (left.length > 0) throw new Error(`VS Code could not save ${left.map((document) => document.uri.fsPath).join(', ')}`);
}

/** Saving again is for a save VS Code's own refactoring save overtook; a document still unsaved after these is an error. */
const SAVE_ROUNDS = 5;
