import * as vscode from 'vscode';
import { commandIds } from './commands';
import type { PlanStatus, PlanStatusTracker } from './planStatus';

export const proposedLayoutViewId = 'relayout.proposedLayout';

export interface ProposedLayoutViewDeps {
  planStatus: PlanStatusTracker;
}

/**
 * The Proposed Layout view. Until plans are loaded it holds one line saying what the plan file holds; with no plan
 * file it stays empty so that the `viewsWelcome` content for `relayout.planState == none` shows.
 */
export function registerProposedLayoutView({ planStatus }: ProposedLayoutViewDeps): vscode.Disposable {
  const provider = new PlanSummaryProvider(planStatus);
  const treeView = vscode.window.createTreeView(proposedLayoutViewId, { treeDataProvider: provider });
  return vscode.Disposable.from(treeView, provider);
}

class PlanSummaryProvider implements vscode.TreeDataProvider<PlanStatus>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<undefined>();
  private readonly statusSubscription: vscode.Disposable;
  readonly onDidChangeTreeData = this.changeEmitter.event;

  constructor(private readonly planStatus: PlanStatusTracker) {
    this.statusSubscription = planStatus.onDidChange(() => this.changeEmitter.fire(undefined));
  }

  getChildren(element?: PlanStatus): PlanStatus[] {
    if (element) return [];
    const status = this.planStatus.current;
    return status.state === 'none' ? [] : [status];
  }

  getTreeItem(status: PlanStatus): vscode.TreeItem {
    if (status.state === 'none') throw new Error('no tree item is shown without a plan file');
    const planPath = vscode.workspace.asRelativePath(status.planUri);
    const openPlan: vscode.Command = { command: commandIds.openPlan, title: 'Open Plan' };
    if (status.state === 'found') {
      const item = new vscode.TreeItem(`Plan found: ${status.ruleCount} ${status.ruleCount === 1 ? 'rule' : 'rules'}`);
      item.description = planPath;
      item.tooltip = `${planPath} has ${status.ruleCount} move ${status.ruleCount === 1 ? 'rule' : 'rules'}.`;
      item.iconPath = new vscode.ThemeIcon('checklist');
      item.accessibilityInformation = { label: `${item.label} in ${planPath}`, role: 'treeitem' };
      item.command = openPlan;
      return item;
    }
    const item = new vscode.TreeItem(`Plan is not valid: line ${status.line}`);
    item.description = status.problem;
    item.tooltip = `${planPath}, line ${status.line}: ${status.problem}`;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.accessibilityInformation = { label: `${item.label} of ${planPath}: ${status.problem}`, role: 'treeitem' };
    item.command = openPlan;
    return item;
  }

  dispose(): void {
    this.statusSubscription.dispose();
    this.changeEmitter.dispose();
  }
}
