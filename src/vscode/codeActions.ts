import * as vscode from 'vscode';
import { dirname, isInside, movePath } from '../core/paths';
import type { RuleMove } from '../core/plan/compile';
import { commandIds } from './commands';
import { PositionMapper } from './workspaceEdit';
import type { WorkspaceModel, WorkspaceSnapshot } from './workspaceModel';

const refactorMove = vscode.CodeActionKind.Refactor.append('move');

export interface CodeActionsDeps {
  model: WorkspaceModel;
}

/**
 * `refactor.move` code actions from the plan: in a file the plan moves (itself or with its folder), "Move to
 * <destination>/ (proposed)"; on a reference whose target the plan moves, "Move the referenced file to its proposed
 * location". Both run the move command, which plans and applies the move with every reference.
 */
export function registerCodeActions({ model }: CodeActionsDeps): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { scheme: model.rootUri.scheme, pattern: new vscode.RelativePattern(model.rootUri, '**/*') },
    new ProposedMoveActions(model),
    { providedCodeActionKinds: [refactorMove] },
  );
}

/** The plan's pending move that carries `path` (a file or folder moved itself, or inside a moved folder). */
function proposedMove(path: string, snapshot: WorkspaceSnapshot): RuleMove | undefined {
  return snapshot.compiled?.moves.find((move) => isInside(path, move.from));
}

class ProposedMoveActions implements vscode.CodeActionProvider {
  constructor(private readonly model: WorkspaceModel) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !refactorMove.intersects(context.only)) return [];
    const file = this.model.relativePath(document.uri);
    if (file === undefined || file === '') return [];
    const snapshot = this.model.snapshot();
    if (snapshot.graph.kindOf(file) === undefined) return [];
    const actions: vscode.CodeAction[] = [];

    const own = proposedMove(file, snapshot);
    if (own) {
      const destination = movePath(file, own.from, own.to)!;
      actions.push(this.moveAction(`Move to ${dirname(destination) || '.'}/ (proposed)`, document.uri));
    }

    const referenced = this.referenceAt(file, range, snapshot);
    if (referenced) {
      const what = snapshot.source.stat(referenced) === 'directory' ? 'folder' : 'file';
      actions.push(this.moveAction(`Move the referenced ${what} to its proposed location`, this.model.uriOf(referenced)));
    }
    return actions;
  }

  /** The target of the reference under `range` in `file`, when the plan moves it. */
  private referenceAt(file: string, range: vscode.Range, snapshot: WorkspaceSnapshot): string | undefined {
    const refs = snapshot.graph.refsFrom(file);
    if (refs.length === 0) return undefined;
    const read = snapshot.source.readText(file);
    if (!read.ok) return undefined;
    const positions = new PositionMapper(read.text);
    const ref = refs.find(
      (candidate) =>
        !candidate.glob &&
        new vscode.Range(positions.at(candidate.start), positions.at(candidate.end)).contains(range) &&
        snapshot.source.stat(candidate.target) !== undefined &&
        proposedMove(candidate.target, snapshot) !== undefined,
    );
    return ref?.target;
  }

  private moveAction(title: string, uri: vscode.Uri): vscode.CodeAction {
    const action = new vscode.CodeAction(title, refactorMove);
    action.command = { command: commandIds.moveToProposed, title, arguments: [uri] };
    return action;
  }
}
