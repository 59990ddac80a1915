import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

export const defaultPlanFile = 'relayout.yaml';

/** What the workspace's plan file holds, as far as the Proposed Layout view needs to know before a plan loads. */
export type PlanStatus =
  | { state: 'none'; planUri: vscode.Uri | undefined }
  | { state: 'found'; planUri: vscode.Uri; ruleCount: number }
  | { state: 'invalid'; planUri: vscode.Uri; line: number; problem: string };

export type PlanFileSummary =
  | { state: 'found'; ruleCount: number }
  | { state: 'invalid'; line: number; problem: string };

/** Counts the entries of the top-level `rules` list; a file with no `rules` key is a plan with no rules yet. */
export function summarizePlanText(text: string): PlanFileSummary {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const [firstError] = document.errors;
  if (firstError) {
    return { state: 'invalid', line: lineOf(firstError.pos[0]), problem: firstLine(firstError.message) };
  }
  const contents = document.contents;
  if (contents === null) return { state: 'found', ruleCount: 0 };
  if (!isMap(contents)) {
    return { state: 'invalid', line: lineOf(contents.range?.[0] ?? 0), problem: 'the plan must be a mapping' };
  }
  const rules: unknown = contents.get('rules', true);
  if (rules === undefined || (isScalar(rules) && rules.value === null)) return { state: 'found', ruleCount: 0 };
  if (isSeq(rules)) return { state: 'found', ruleCount: rules.items.length };
  const offset = isScalar(rules) || isMap(rules) ? (rules.range?.[0] ?? 0) : 0;
  return { state: 'invalid', line: lineOf(offset), problem: '`rules` must be a list' };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/**
 * The plan file of the first workspace folder, re-read whenever it is created, changed or deleted on disk, or when
 * `relayout.planFile` changes. Mirrors its state into the `relayout.planState` context key that `viewsWelcome`,
 * menus and command enablement read.
 */
export class PlanStatusTracker implements vscode.Disposable {
  private status: PlanStatus = { state: 'none', planUri: undefined };
  private readonly changeEmitter = new vscode.EventEmitter<PlanStatus>();
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly subscriptions: vscode.Disposable[] = [this.changeEmitter];
  private refreshes: Promise<PlanStatus> = Promise.resolve(this.status);

  readonly onDidChange = this.changeEmitter.event;

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('relayout.planFile')) {
          this.watchPlanFile();
          void this.refresh();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watchPlanFile();
        void this.refresh();
      }),
    );
    this.watchPlanFile();
  }

  get current(): PlanStatus {
    return this.status;
  }

  /**
   * Re-reads the plan file. Calls are serialized so that a slow read never overwrites a newer one, and a failed
   * refresh does not stop the ones after it.
   */
  refresh(): Promise<PlanStatus> {
    const next = this.refreshes
      .catch(() => this.status)
      .then(() => this.readStatus())
      .then((status) => this.publish(status));
    this.refreshes = next;
    return next;
  }

  dispose(): void {
    this.watcher?.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private planLocation(): { folder: vscode.WorkspaceFolder; planUri: vscode.Uri } | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const configured = vscode.workspace.getConfiguration('relayout', folder).get<string>('planFile')?.trim();
    const planFile = configured || defaultPlanFile;
    const planUri = isAbsolute(planFile) ? vscode.Uri.file(planFile) : vscode.Uri.joinPath(folder.uri, planFile);
    return { folder, planUri };
  }

  private planUri(): vscode.Uri | undefined {
    return this.planLocation()?.planUri;
  }

  /**
   * Inside the workspace the pattern is relative to the folder, so the workspace's recursive watcher covers a plan in
   * a sub-folder that does not exist yet; a plan outside it gets a watcher on its own folder.
   */
  private watchPlanFile(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    const location = this.planLocation();
    if (!location) return;
    const { folder, planUri } = location;
    const fromFolder = relative(folder.uri.fsPath, planUri.fsPath);
    const pattern =
      fromFolder.startsWith('..') || isAbsolute(fromFolder)
        ? new vscode.RelativePattern(vscode.Uri.file(dirname(planUri.fsPath)), basename(planUri.fsPath))
        : new vscode.RelativePattern(folder, fromFolder.split(sep).join('/'));
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const onPlanFileEvent = () => void this.refresh();
    this.watcher.onDidCreate(onPlanFileEvent);
    this.watcher.onDidChange(onPlanFileEvent);
    this.watcher.onDidDelete(onPlanFileEvent);
  }

  private async readStatus(): Promise<PlanStatus> {
    const planUri = this.planUri();
    if (!planUri) return { state: 'none', planUri: undefined };
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(planUri);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return { state: 'none', planUri };
      return { state: 'invalid', planUri, line: 1, problem: `cannot be read: ${(error as Error).message}` };
    }
    const summary = summarizePlanText(new TextDecoder('utf-8').decode(bytes));
    return { ...summary, planUri };
  }

  private async publish(status: PlanStatus): Promise<PlanStatus> {
    const changed = JSON.stringify(status) !== JSON.stringify(this.status);
    this.status = status;
    await vscode.commands.executeCommand('setContext', 'relayout.planState', status.state);
    if (changed) this.changeEmitter.fire(status);
    return status;
  }
}
