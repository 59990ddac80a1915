import * as vscode from 'vscode';
import { basename, dirname } from '../core/paths';
import { commandIds } from './commands';
import {
  buildLayoutTree,
  childrenOf,
  countLabel,
  rootsOf,
  type EntryState,
  type LayoutNode,
  type LayoutTree,
} from './layoutTree';
import { excludeGlobFor, excludeInsertion } from './planExclude';
import type { PlanStatusTracker } from './planStatus';
import type { WorkspaceModel, WorkspaceSnapshot } from './workspaceModel';

const proposedLayoutViewId = 'relayout.proposedLayout';
/** Context key of the "Show Only Pending" toggle (the title bar shows the button that flips it). */
const onlyPendingContextKey = 'relayout.layout.onlyPending';

/** A row that is not part of the layout: what is wrong with the plan file. */
interface PlanRow {
  kind: 'planRow';
  label: string;
  detail: string;
  line: number;
}

export type ViewNode = LayoutNode | PlanRow;

const trees = new WeakMap<WorkspaceSnapshot, LayoutTree>();

/** The layout tree of a snapshot, built once per snapshot (snapshots are replaced, never changed). */
export function layoutTreeOf(snapshot: WorkspaceSnapshot): LayoutTree | undefined {
  if (!snapshot.plan || !snapshot.compiled) return undefined;
  let tree = trees.get(snapshot);
  if (!tree) {
    tree = buildLayoutTree({ plan: snapshot.plan, compiled: snapshot.compiled, graph: snapshot.graph });
    trees.set(snapshot, tree);
  }
  return tree;
}

export interface ProposedLayoutViewDeps {
  planStatus: PlanStatusTracker;
  model: WorkspaceModel | undefined;
}

/** The view is its own disposable; the command table needs it to flip "Show Only Pending". */
export function registerProposedLayoutView({ planStatus, model }: ProposedLayoutViewDeps): ProposedLayoutView {
  return new ProposedLayoutView(planStatus, model);
}

/**
 * The Proposed Layout view: the plan's layout folders with the files that land in each and their state, plus the
 * plan's conflicts and the files it does not cover. With no plan file it stays empty so that the `viewsWelcome`
 * content for `relayout.planState == none` shows; an invalid plan is one row that opens the plan at the fault.
 */
export class ProposedLayoutView implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<undefined>();
  private readonly subscriptions: vscode.Disposable[] = [this.changeEmitter];
  private onlyPending = false;
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly treeView: vscode.TreeView<ViewNode>;

  constructor(
    private readonly planStatus: PlanStatusTracker,
    private readonly model: WorkspaceModel | undefined,
  ) {
    this.treeView = vscode.window.createTreeView(proposedLayoutViewId, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(this.treeView, planStatus.onDidChange(() => this.refresh()));
    if (model) this.subscriptions.push(model.onDidChange(() => this.refresh()));
    void vscode.commands.executeCommand('setContext', onlyPendingContextKey, false);
  }

  refresh(): void {
    this.changeEmitter.fire(undefined);
  }

  setOnlyPending(onlyPending: boolean): void {
    this.onlyPending = onlyPending;
    void vscode.commands.executeCommand('setContext', onlyPendingContextKey, onlyPending);
    this.refresh();
  }

  /** The tree the view shows now (undefined without a loaded plan). */
  currentTree(): LayoutTree | undefined {
    return this.model && this.planStatus.current.state === 'found' ? layoutTreeOf(this.model.snapshot()) : undefined;
  }

  getChildren(element?: ViewNode): ViewNode[] {
    if (element) return element.kind === 'planRow' ? [] : childrenOf(element, this.onlyPending);
    const status = this.planStatus.current;
    if (status.state === 'none' || !this.model) return [];
    if (status.state === 'invalid') {
      return [{ kind: 'planRow', label: `Plan is not valid: line ${status.line}`, detail: status.problem, line: status.line }];
    }
    const snapshot = this.model.snapshot();
    const tree = layoutTreeOf(snapshot);
    if (tree) return rootsOf(tree, this.onlyPending);
    const [problem] = snapshot.planProblems.filter((candidate) => candidate.severity === 'error');
    if (problem) return [{ kind: 'planRow', label: `Plan has a problem: line ${problem.line}`, detail: problem.message, line: problem.line }];
    return [];
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    switch (node.kind) {
      case 'planRow':
        return this.planRowItem(node);
      case 'folder': {
        const item = new vscode.TreeItem(basename(node.path), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `folder:${node.path}`;
        const counts = countLabel(node);
        item.description = [counts, node.source && `from ${node.source}`].filter(Boolean).join(' · ') || undefined;
        item.tooltip = [
          `${node.path}/`,
          node.description,
          node.inLayout ? undefined : "Not in the plan's layout: a move creates it.",
          counts,
          node.source && `Moves here whole from ${node.source}/`,
        ]
          .filter(Boolean)
          .join('\n');
        item.iconPath = node.total === 0 ? new vscode.ThemeIcon('folder') : stateIcon(node.state);
        item.contextValue = node.source ? 'relayout.folder.movable' : 'relayout.folder';
        item.accessibilityInformation = { label: `${node.path}, ${counts ?? 'empty'}`, role: 'treeitem' };
        return item;
      }
      case 'entry': {
        const item = new vscode.TreeItem(basename(node.destination), vscode.TreeItemCollapsibleState.None);
        item.id = `entry:${node.current}`;
        const pending = node.state !== 'done';
        item.description = pending ? `from ${node.current === node.destination ? dirname(node.current) : node.current}` : undefined;
        item.tooltip = [
          `${stateLabel[node.state]}: ${node.destination}`,
          pending ? `Now at ${node.current}` : undefined,
          node.rule && `Rule: ${node.rule}`,
          ...node.reasons,
        ]
          .filter(Boolean)
          .join('\n');
        item.iconPath = stateIcon(node.state);
        item.contextValue = pending ? 'relayout.entry.movable' : 'relayout.entry.done';
        item.command = this.openCommand(node.current);
        item.accessibilityInformation = { label: `${node.destination}, ${stateLabel[node.state]}`, role: 'treeitem' };
        return item;
      }
      case 'group': {
        const conflicts = node.id === 'conflicts';
        const item = new vscode.TreeItem(
          node.label,
          conflicts ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `group:${node.id}`;
        item.description = String(node.children.length);
        item.iconPath = conflicts
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
          : new vscode.ThemeIcon('question');
        item.tooltip = conflicts
          ? 'Moves the planner would refuse, and plan rules that collide'
          : 'Files under the plan\'s root that no rule, keep entry or exclude covers';
        item.contextValue = `relayout.group.${node.id}`;
        return item;
      }
      case 'conflict': {
        const { entry } = node;
        const item = new vscode.TreeItem(basename(entry.current), vscode.TreeItemCollapsibleState.None);
        item.description = entry.reasons.join('; ');
        item.tooltip = [`${entry.current} → ${entry.destination}`, ...entry.reasons].join('\n');
        item.iconPath = stateIcon('conflict');
        item.contextValue = 'relayout.entry.movable';
        item.command = this.openCommand(entry.current);
        item.accessibilityInformation = { label: `${entry.current}, conflict: ${item.description}`, role: 'treeitem' };
        return item;
      }
      case 'planConflict': {
        const item = new vscode.TreeItem(node.problem.message, vscode.TreeItemCollapsibleState.None);
        item.description = `${node.problem.file}:${node.problem.line}`;
        item.iconPath = stateIcon('conflict');
        item.command = {
          command: 'vscode.open',
          title: 'Open Plan',
          arguments: [this.model!.uriOf(node.problem.file), { selection: lineRange(node.problem.line) }],
        };
        item.contextValue = 'relayout.planConflict';
        return item;
      }
      case 'unmatched': {
        const item = new vscode.TreeItem(basename(node.path), vscode.TreeItemCollapsibleState.None);
        item.id = `unmatched:${node.path}`;
        item.description = dirname(node.path);
        item.tooltip = `${node.path}\nNo rule, keep entry or exclude of the plan covers it.`;
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.command = this.openCommand(node.path);
        item.contextValue = 'relayout.unmatched';
        return item;
      }
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private planRowItem(node: PlanRow): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.description = node.detail;
    item.tooltip = `${node.label}: ${node.detail}`;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.accessibilityInformation = { label: `${node.label}: ${node.detail}`, role: 'treeitem' };
    item.command = { command: commandIds.openPlan, title: 'Open Plan' };
    return item;
  }

  private openCommand(path: string): vscode.Command {
    return { command: 'vscode.open', title: 'Open', arguments: [this.model!.uriOf(path)] };
  }
}

const stateLabel: Record<EntryState, string> = {
  pending: 'Pending',
  done: 'Moved',
  conflict: 'Conflict',
  review: 'Needs review',
};

function stateIcon(state: EntryState): vscode.ThemeIcon {
  switch (state) {
    case 'pending':
      return new vscode.ThemeIcon('arrow-circle-right', new vscode.ThemeColor('charts.blue'));
    case 'done':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'conflict':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'review':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  }
}

function lineRange(line: number): vscode.Range {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  return new vscode.Range(position, position);
}

/** The workspace path a tree item stands for now: a file where it is, the folder that moves whole, an unmatched file. */
export function currentPathOf(node: ViewNode): { path: string; folder: boolean } | undefined {
  if (node.kind === 'entry') return { path: node.current, folder: false };
  if (node.kind === 'conflict') return { path: node.entry.current, folder: false };
  if (node.kind === 'folder' && node.source) return { path: node.source, folder: true };
  if (node.kind === 'unmatched') return { path: node.path, folder: false };
  return undefined;
}

/**
 * Adds the item's path to the plan's `exclude:` list: one insertion into relayout.yaml (unsaved changes to it
 * included), saved when the plan had no unsaved changes before.
 */
export async function excludeFromPlan(model: WorkspaceModel, node: ViewNode, planFile: string): Promise<boolean> {
  const target = currentPathOf(node);
  const snapshot = model.flush();
  if (!target || !snapshot.plan) return false;
  const glob = excludeGlobFor(target.path, snapshot.plan.root, target.folder);
  const read = snapshot.source.readText(planFile);
  const insertion = glob && read.ok ? excludeInsertion(read.text, glob) : undefined;
  if (!glob || !read.ok || !insertion) {
    void vscode.window.showErrorMessage(`Relayout: could not add ${target.path} to the exclude list of ${planFile}.`);
    return false;
  }
  const uri = model.uriOf(planFile);
  const document = await vscode.workspace.openTextDocument(uri);
  const wasDirty = document.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, document.positionAt(documentOffset(read.text, insertion.offset)), insertion.text);
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  if (!wasDirty) await document.save();
  model.flush();
  return true;
}

/** The engine keeps a BOM as U+FEFF in the text; a VS Code document does not. */
function documentOffset(text: string, offset: number): number {
  return text.charCodeAt(0) === 0xfeff ? offset - 1 : offset;
}
