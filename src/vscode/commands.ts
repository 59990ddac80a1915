import * as vscode from 'vscode';
import { idOf, runOptionsOf, withRunner, type Phases } from './phases/index';
import type { PlanStatusTracker } from './planStatus';

/**
 * Every command the extension contributes. package.json `contributes.commands` lists the same ids with
 * `category: "Relayout"`; the extension tests check that both agree and that each id is registered.
 */
export const commandIds = {
  refreshLayout: 'relayout.refreshLayout',
  openPlan: 'relayout.openPlan',
  runPhase: 'relayout.runPhase',
  runNextStep: 'relayout.runNextStep',
  runStep: 'relayout.runStep',
  rollBackLastStep: 'relayout.rollBackLastStep',
  verify: 'relayout.verify',
  showPhaseProgress: 'relayout.showPhaseProgress',
  showInventory: 'relayout.showInventory',
  showImpact: 'relayout.showImpact',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];

export interface CommandDeps {
  planStatus: PlanStatusTracker;
  /** The phase runner and progress panel (phases/index.ts). */
  phases: Phases;
}

export function registerCommands({ planStatus, phases }: CommandDeps): vscode.Disposable {
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [commandIds.refreshLayout]: () => planStatus.refresh(),
    [commandIds.openPlan]: () => openPlan(planStatus),
    // Phase commands take optional arguments (a phase or step id, `{ rerun, yes }`); without them they ask.
    [commandIds.runPhase]: (phase, options) => withRunner(phases, (runner) => runner.runPhase(idOf(phase), runOptionsOf(options))),
    [commandIds.runNextStep]: (options) => withRunner(phases, (runner) => runner.runNext(runOptionsOf(options))),
    [commandIds.runStep]: (step, options) => withRunner(phases, (runner) => runner.runStep(idOf(step), runOptionsOf(options))),
    [commandIds.rollBackLastStep]: () => withRunner(phases, (runner) => runner.rollBack()),
    [commandIds.verify]: () => withRunner(phases, (runner) => runner.verify()),
    [commandIds.showPhaseProgress]: () => phases.showProgress(),
    [commandIds.showInventory]: () => withRunner(phases, (runner) => runner.showInventory()),
    [commandIds.showImpact]: () => withRunner(phases, (runner) => runner.showImpact()),
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
