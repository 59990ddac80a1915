import * as vscode from 'vscode';
import { planMoves } from '../core/moves/plan';
import { isInside } from '../core/paths';
import type { FileSource, Move, MovePlan } from '../core/types';
import { configuredPreviewMode, documentsCaughtUp, needsPreview, pathAfter, toWorkspaceEdit, touchedBy } from './workspaceEdit';
import type { WorkspaceModel } from './workspaceModel';

export type MoveOutcome =
  | { status: 'applied'; plan: MovePlan }
  /** Conflicts (or symlinks to re-point, which a WorkspaceEdit cannot do): nothing was changed. */
  | { status: 'refused'; plan: MovePlan; reasons: string[] }
  /** The user discarded the Refactor Preview, or VS Code could not apply the edit. */
  | { status: 'notApplied'; plan: MovePlan }
  | { status: 'nothingToDo'; plan: MovePlan };

/** Context key: the last thing done in the workspace was a Relayout move, so Ctrl+Z in the Explorer undoes it. */
const canUndoMoveContextKey = 'relayout.canUndoMove';

/**
 * The last applied move, kept while nothing else changed the workspace. `anchor` is a file its text edits touched
 * (at its path after the move): VS Code files the whole move as one undo group, so undo in that file's editor
 * undoes all of it.
 */
interface UndoableMove {
  anchor: vscode.Uri;
  /** The anchor's path before the move, where its editor follows it when the undo renames it back. */
  anchorBefore: vscode.Uri;
  /** A path the move created (a renamed file or folder): gone once the undo is complete. */
  created: vscode.Uri;
  /** Files the move edited, at their paths before it, that had no unsaved changes before it. */
  toSave: vscode.Uri[];
  /** Every path the move renamed, created or edited (both sides), to tell its own file events from later ones. */
  touched: Set<string>;
}

/**
 * Moves files and folders with every reference to them, as one WorkspaceEdit (one undo step): the engine plans the
 * batch against the model (disk plus unsaved buffers, so nothing needs saving first), conflicts stop it before
 * anything changes, and probable edits go through the Refactor Preview as `relayout.preview` says.
 */
export class MoveService implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel('Relayout');
  private undoable: UndoableMove | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly model: WorkspaceModel) {
    const forgetUnlessOwn = (uris: readonly vscode.Uri[]) => {
      if (!this.undoable || model.ownEditInProgress) return;
      if (uris.some((uri) => !this.undoable!.touched.has(model.relativePath(uri) ?? uri.toString()))) this.forgetUndo();
    };
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        // Only the workspace's files count: output channels and other virtual documents change all the time.
        const inWorkspace = model.relativePath(event.document.uri) !== undefined;
        if (inWorkspace && event.contentChanges.length > 0 && !model.ownEditInProgress) this.forgetUndo();
      }),
      vscode.workspace.onDidRenameFiles((event) => forgetUnlessOwn(event.files.flatMap((file) => [file.oldUri, file.newUri]))),
      vscode.workspace.onDidCreateFiles((event) => forgetUnlessOwn(event.files)),
      vscode.workspace.onDidDeleteFiles((event) => forgetUnlessOwn(event.files)),
    ];
  }

  /** `retried`: the second try after VS Code refused the edit (only this service passes it). */
  async move(moves: readonly Move[], retried = false): Promise<MoveOutcome> {
    const snapshot = this.model.flush();
    const plan = planMoves(moves, snapshot.graph, snapshot.source);
    const reasons = [
      ...plan.conflicts.map((conflict) => conflict.reason),
      ...plan.relinks.map((relink) => `${relink.path} is a symlink that would need re-pointing; move it with the relayout CLI`),
    ];
    if (reasons.length > 0) {
      this.reportRefusal(moves, reasons);
      return { status: 'refused', plan, reasons };
    }
    if (plan.renames.length === 0 && plan.edits.length === 0 && plan.creates.length === 0) {
      return { status: 'nothingToDo', plan };
    }
    const preview = configuredPreviewMode(this.model.rootUri);
    const renames = folderRenames(plan, snapshot.source);
    const dirtyBefore = new Set(vscode.workspace.textDocuments.filter((document) => document.isDirty).map((document) => document.uri.toString()));
    const edit = toWorkspaceEdit({ ...plan, renames }, this.model, snapshot.source, { renames: true, preview });
    this.reportReview(plan);
    const title = `Relayout: moving ${describeMoves(moves)}`;
    const applied = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: needsPreview(plan, preview) ? `${title} (see the Refactor Preview)` : title },
      async () => {
        await documentsCaughtUp(touchedBy(plan, this.model));
        // The renames in this edit already carry their reference edits: the rename participant must skip them.
        this.model.beginOwnEdit();
        try {
          return await vscode.workspace.applyEdit(edit, { isRefactoring: true });
        } finally {
          this.model.endOwnEdit();
        }
      },
    );
    if (!applied) {
      if (needsPreview(plan, preview)) return { status: 'notApplied', plan };
      // Nobody discarded a preview: VS Code refused the edit, as it does when a file changed on disk and its open
      // document has not reloaded yet ("… has changed in the meantime"); it refuses before changing anything, since
      // toWorkspaceEdit puts the edits it checks before the renames.
      // Plan again once the documents have caught up; a second refusal is reported.
      if (!retried) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return this.move(moves, true);
      }
      this.reportNotApplied(moves);
      return { status: 'notApplied', plan };
    }
    this.rememberUndo(plan, renames, dirtyBefore);
    this.model.flush();
    return { status: 'applied', plan };
  }

  /**
   * Ctrl+Z in the Explorer right after a move. The Explorer's own undo only takes back its own file operations, so
   * this undoes the move the way an editor does: in the editor of a file the move edited, which VS Code undoes as
   * the whole group (renames, edits, created files). The restored files are saved, as the move saved them. When the
   * workspace changed since the move, Ctrl+Z does what it does without Relayout.
   */
  async undoLastMove(): Promise<boolean> {
    const undoable = this.undoable;
    this.forgetUndo();
    if (!undoable) {
      await vscode.commands.executeCommand('undo');
      return false;
    }
    const wasOpen = vscode.window.tabGroups.all.some((group) =>
      group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === undoable.anchor.toString()),
    );
    await vscode.window.showTextDocument(undoable.anchor, { preview: true, preserveFocus: false });
    await vscode.commands.executeCommand('undo');
    const deadline = Date.now() + 10_000;
    while (await exists(undoable.created)) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await saveRestored(undoable.toSave);
    if (!wasOpen) await closeEditorsOf([undoable.anchor, undoable.anchorBefore]);
    // Back to where the user pressed Ctrl+Z. The Explorer refuses focus while it still tracks a row the undo
    // removed; the undo itself is complete by then, so that refusal is not an error of the undo.
    await vscode.commands.executeCommand('workbench.files.action.focusFilesExplorer').then(undefined, () => undefined);
    this.model.flush();
    return true;
  }

  /** Shows the output channel (the "Show details" of a refused move). */
  showDetails(): void {
    this.output.show(true);
  }

  dispose(): void {
    this.output.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private rememberUndo(plan: MovePlan, renames: readonly Move[], dirtyBefore: ReadonlySet<string>): void {
    const [edited] = plan.edits;
    const [renamed] = renames;
    if (!edited || !renamed) {
      this.forgetUndo();
      return;
    }
    const uri = (path: string) => this.model.uriOf(path);
    const editedFiles = [...new Set(plan.edits.map((edit) => edit.file))];
    const touched = new Set([
      ...renames.flatMap((rename) => [rename.from, rename.to]),
      ...plan.renames.flatMap((rename) => [rename.from, rename.to]),
      ...plan.creates.map((create) => create.path),
      ...editedFiles.flatMap((file) => [file, pathAfter(file, renames)]),
    ]);
    this.undoable = {
      anchor: uri(pathAfter(edited.file, renames)),
      anchorBefore: uri(edited.file),
      created: uri(renamed.to),
      toSave: editedFiles.map(uri).filter((file) => !dirtyBefore.has(file.toString())),
      touched,
    };
    void vscode.commands.executeCommand('setContext', canUndoMoveContextKey, true);
  }

  private forgetUndo(): void {
    if (!this.undoable) return;
    this.undoable = undefined;
    void vscode.commands.executeCommand('setContext', canUndoMoveContextKey, false);
  }

  /** The message is not awaited: a move refused in a test or from a code action must not wait for a click. */
  private reportRefusal(moves: readonly Move[], reasons: string[]): void {
    this.output.appendLine(`[${new Date().toISOString()}] Not moved: ${describeMoves(moves)}`);
    for (const move of moves) this.output.appendLine(`  ${move.from} → ${move.to}`);
    for (const reason of reasons) this.output.appendLine(`  conflict: ${reason}`);
    const showDetails = 'Show details';
    void vscode.window
      .showErrorMessage(`Relayout: nothing was moved. ${reasons.join('; ')}`, showDetails)
      .then((choice) => {
        if (choice === showDetails) this.showDetails();
      });
  }

  /** Not awaited either. VS Code logs why it refused the edit; moving again plans from the files as they are now. */
  private reportNotApplied(moves: readonly Move[]): void {
    this.output.appendLine(`[${new Date().toISOString()}] Not moved: ${describeMoves(moves)}: VS Code did not apply the edit`);
    void vscode.window.showErrorMessage(
      `Relayout: nothing was moved. VS Code did not apply the move of ${describeMoves(moves)} (a file changed meanwhile?); try again.`,
    );
  }

  /** Needs-review items never block a move; they are listed so the user can check them afterwards. */
  private reportReview(plan: MovePlan): void {
    if (plan.review.length === 0) return;
    this.output.appendLine(`[${new Date().toISOString()}] Check by hand after moving ${describeMoves(plan.moves)}:`);
    for (const item of plan.review) this.output.appendLine(`  ${item.file}:${item.line}: ${item.text} (${item.reason})`);
  }
}

/**
 * The plan's file renames with each folder that moves whole renamed as one folder instead, so the old folder does
 * not stay behind empty (and files the index does not list, such as git-ignored ones, go with it). A folder keeps
 * its file-by-file renames when part of it goes elsewhere or when its destination exists already.
 */
export function folderRenames(plan: MovePlan, source: FileSource): Move[] {
  const whole = plan.moves.filter((move) => {
    if (source.stat(move.from) !== 'directory' || source.stat(move.to) !== undefined) return false;
    return plan.renames.every(
      (rename) => !isInside(rename.from, move.from) || rename.to === move.to + rename.from.slice(move.from.length),
    );
  });
  const outermost = whole.filter((move) => !whole.some((other) => other !== move && isInside(move.from, other.from)));
  const carried = (path: string) => outermost.some((move) => isInside(path, move.from));
  return [...outermost.map(({ from, to }) => ({ from, to })), ...plan.renames.filter((rename) => !carried(rename.from))];
}

/**
 * Saves the files the undo restored. A restored file's editor model can follow its file back from the moved path a
 * moment after the renames are undone, so this saves until two checks in a row find none of them unsaved.
 */
async function saveRestored(uris: readonly vscode.Uri[]): Promise<void> {
  const keys = new Set(uris.map((uri) => uri.toString()));
  const deadline = Date.now() + 3_000;
  let cleanChecks = 0;
  while (cleanChecks < 2 && Date.now() < deadline) {
    const dirty = vscode.workspace.textDocuments.filter((document) => document.isDirty && keys.has(document.uri.toString()));
    cleanChecks = dirty.length === 0 ? cleanChecks + 1 : 0;
    for (const document of dirty) await document.save();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** Closes the editor the undo opened, wherever the undo left its file. */
async function closeEditorsOf(uris: readonly vscode.Uri[]): Promise<void> {
  const keys = new Set(uris.map((uri) => uri.toString()));
  const tabs = vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.filter((tab) => tab.input instanceof vscode.TabInputText && keys.has(tab.input.uri.toString()) && !tab.isDirty),
  );
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

function describeMoves(moves: readonly Move[]): string {
  if (moves.length === 1) return `${moves[0]!.from} to ${moves[0]!.to}`;
  return `${moves.length} files and folders`;
}
