import * as vscode from 'vscode';
import type { PlanStatusTracker } from './planStatus';

/**
 * Every command the extension contributes. package.json `contributes.commands` lists the same ids with
 * `category: "Relayout"`; the extension tests check that both agree and that each id is registered.
 */
export const commandIds = {
  refreshLayout: 'relayout.refreshLayout',
  openPlan: 'relayout.openPlan',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];

export interface CommandDeps {
  planStatus: PlanStatusTracker;
}

export function registerCommands({ planStatus }: CommandDeps): vscode.Disposable {
  const handlers: Record<CommandId, () => unknown> = {
    [commandIds.refreshLayout]: () => planStatus.refresh(),
    [commandIds.openPlan]: () => openPlan(planStatus),
  };
  return vscode.Disposable.from(
    ...Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  );
}

async function openPlan(planStatus: PlanStatusTracker): Promise<void> {
  const status = await planStatus.refresh();
  if (status.state === 'none') {
    const where = status.planUri ? vscode.workspace.asRelativePath(status.planUri) : 'an open folder';
    void vscode.window.showInformationMessage(`Relayout: there is no plan file (looked for ${where}).`);
    return;
  }
  const editor = await vscode.window.showTextDocument(status.planUri);
  if (status.state === 'invalid') {
    const position = new vscode.Position(status.line - 1, 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
