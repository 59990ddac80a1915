import * as vscode from 'vscode';
import { registerCodeActions } from './codeActions';
import { commandIds, registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { registerExternalMoveOffer } from './externalMoves';
import { registerExplorer } from './explorer';
import { MoveService } from './moveService';
import { MoveTracker } from './moveTracker';
import { type Phases, registerPhases } from './phases/index';
import { registerDefaultPlanOffer } from './planCommands';
import { type PlanStatus, PlanStatusTracker, defaultPlanFile } from './planStatus';
import { type ProposedLayoutView, registerProposedLayoutView } from './proposedLayoutView';
import { registerRenameParticipant } from './renameParticipant';
import { registerStatusBar } from './statusBar';
import { WorkspaceModel } from './workspaceModel';

/** What the extension exports to other extensions and to its own tests. */
export interface RelayoutApi {
  readonly planStatus: () => PlanStatus;
  readonly refreshPlanStatus: () => Promise<PlanStatus>;
  /** The engine's model of the first workspace folder; undefined with no folder open. */
  readonly model: WorkspaceModel | undefined;
  /** Moves with references, as the Explorer and tree commands do them; undefined with no folder open. */
  readonly moveService: MoveService | undefined;
  readonly layoutView: ProposedLayoutView;
  /** Where files went, and which moves were made outside Relayout; undefined with no folder open. */
  readonly tracker: MoveTracker | undefined;
  /** The phase runner, its Problems entries and the progress panel. */
  readonly phases: Phases;
}

export function activate(context: vscode.ExtensionContext): RelayoutApi {
  const planStatus = new PlanStatusTracker();
  const folder = vscode.workspace.workspaceFolders?.[0];
  const model = folder ? new WorkspaceModel(folder, () => configuredPlanFile(folder)) : undefined;
  const moveService = model ? new MoveService(model) : undefined;
  const layoutView = registerProposedLayoutView({ planStatus, model });
  const planFile = () => (folder ? configuredPlanFile(folder) : defaultPlanFile);
  const phases = registerPhases({ model, extensionUri: context.extensionUri });
  context.subscriptions.push(
    phases,
    planStatus,
    layoutView,
    registerCommands({ planStatus, model, moves: moveService, layoutView, planFile, phases }),
  );
  if (model && moveService) {
    context.subscriptions.push(model, moveService, registerExplorer({ model }), registerStatusBar({ model }));
  }
  const tracker = model ? new MoveTracker(model) : undefined;
  if (model && tracker) {
    context.subscriptions.push(
      tracker,
      registerCodeActions({ model }),
      registerDiagnostics({ model, tracker }),
      registerRenameParticipant({ model }),
      registerExternalMoveOffer({ model, tracker }),
      registerDefaultPlanOffer({ model, planFile, createBakeryPlan: () => vscode.commands.executeCommand(commandIds.createBakeryPlan) }),
    );
  }
  void planStatus.refresh();
  return {
    planStatus: () => planStatus.current,
    refreshPlanStatus: () => planStatus.refresh(),
    model,
    moveService,
    layoutView,
    tracker,
    phases,
  };
}

/** The plan file relative to the folder (the setting, or relayout.yaml). */
function configuredPlanFile(folder: vscode.WorkspaceFolder): string {
  const configured = vscode.workspace.getConfiguration('relayout', folder).get<string>('planFile')?.trim();
  return configured || defaultPlanFile;
}
