import * as vscode from 'vscode';
import { moveWithReferences, proposedMovesOf, selectedPaths, showReferences } from './explorer';
import type { MoveService } from './moveService';
import { createBakeryPlan, createPlanFromProposal } from './planCommands';
import { idOf, runOptionsOf, withRunner, type Phases } from './phases/index';
import type { PlanStatusTracker } from './planStatus';
import { currentPathOf, excludeFromPlan, type ProposedLayoutView, type ViewNode } from './proposedLayoutView';
import type { WorkspaceModel } from './workspaceModel';

/**
 * Every command the extension contributes. package.json `contributes.commands` lists the same ids with
 * `category: "Relayout"`; the extension tests check that both agree and that each id is registered.
 */
export const commandIds = {
  refreshLayout: 'relayout.refreshLayout',
  openPlan: 'relayout.openPlan',
  createPlanFromProposal: 'relayout.createPlanFromProposal',
  createBakeryPlan: 'relayout.createBakeryPlan',
  moveToProposed: 'relayout.moveToProposed',
  moveWithReferences: 'relayout.moveWithReferences',
  revealInExplorer: 'relayout.revealInExplorer',
  showReferences: 'relayout.showReferences',
  excludeFromPlan: 'relayout.excludeFromPlan',
  showOnlyPending: 'relayout.showOnlyPending',
  showAllItems: 'relayout.showAllItems',
  undoLastMove: 'relayout.undoLastMove',
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
  /** Undefined with no folder open: the commands that need a workspace say so. */
  model: WorkspaceModel | undefined;
  moves: MoveService | undefined;
  layoutView: ProposedLayoutView;
  planFile: () => string;
  /** The phase runner and progress panel (phases/index.ts). */
  phases: Phases;
}

export function registerCommands({ planStatus, model, moves, layoutView, planFile, phases }: CommandDeps): vscode.Disposable {
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [commandIds.refreshLayout]: () => {
      model?.rebuild();
      return planStatus.refresh();
    },
    [commandIds.openPlan]: () => openPlan(planStatus),
    // A caller (a test, another extension) may pass the proposal's URI instead of picking it.
    [commandIds.createPlanFromProposal]: (proposal) => model && createPlanFromProposal(model, planFile(), proposal),
    [commandIds.createBakeryPlan]: () => model && createBakeryPlan(model, planFile()),
    // From the Explorer (uri, uris[]), a tree item (its node), a code action (a uri) or the palette (active file).
    [commandIds.moveToProposed]: (clicked, selected) =>
      withWorkspace(model, moves, (model, moves) => {
        const paths = isViewNode(clicked) ? nodePaths(clicked) : selectedPaths(model, clicked, selected);
        const batch = proposedMovesOf(model, paths);
        return batch ? moves.move(batch) : undefined;
      }),
    [commandIds.moveWithReferences]: (clicked, selected) =>
      withWorkspace(model, moves, (model, moves) =>
        moveWithReferences(model, moves, isViewNode(clicked) ? nodePaths(clicked) : selectedPaths(model, clicked, selected)),
      ),
    [commandIds.revealInExplorer]: (node) =>
      withWorkspace(model, moves, (model) => {
        const [path] = isViewNode(node) ? nodePaths(node) : [];
        return path && vscode.commands.executeCommand('revealInExplorer', model.uriOf(path));
      }),
    [commandIds.showReferences]: (node) =>
      withWorkspace(model, moves, (model) => {
        const [path] = isViewNode(node) ? nodePaths(node) : selectedPaths(model, node, undefined);
        return path && showReferences(model, path);
      }),
    [commandIds.excludeFromPlan]: (node) =>
      withWorkspace(model, moves, (model) => isViewNode(node) && excludeFromPlan(model, node, planFile())),
    [commandIds.showOnlyPending]: () => layoutView.setOnlyPending(true),
    [commandIds.showAllItems]: () => layoutView.setOnlyPending(false),
    [commandIds.undoLastMove]: () => withWorkspace(model, moves, (_model, moves) => moves.undoLastMove()),
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

function withWorkspace<T>(
  model: WorkspaceModel | undefined,
  moves: MoveService | undefined,
  run: (model: WorkspaceModel, moves: MoveService) => T,
): T | undefined {
  if (model && moves) return run(model, moves);
  void vscode.window.showInformationMessage('Relayout: open a folder first.');
  return undefined;
}

function isViewNode(value: unknown): value is ViewNode {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && 'kind' in value;
}

function nodePaths(node: ViewNode): string[] {
  const current = currentPathOf(node);
  return current ? [current.path] : [];
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
