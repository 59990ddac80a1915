import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { type PlanStatus, PlanStatusTracker } from './planStatus';
import { registerProposedLayoutView } from './proposedLayoutView';

/** What the extension exports to other extensions and to its own tests. */
export interface RelayoutApi {
  readonly planStatus: () => PlanStatus;
  readonly refreshPlanStatus: () => Promise<PlanStatus>;
}

export function activate(context: vscode.ExtensionContext): RelayoutApi {
  const planStatus = new PlanStatusTracker();
  context.subscriptions.push(
    planStatus,
    registerProposedLayoutView({ planStatus }),
    registerCommands({ planStatus }),
  );
  void planStatus.refresh();
  return {
    planStatus: () => planStatus.current,
    refreshPlanStatus: () => planStatus.refresh(),
  };
}
