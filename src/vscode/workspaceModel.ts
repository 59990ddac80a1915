import * as vscode from 'vscode';
import { DiskFileSource, OverlayFileSource } from '../core/inventory/source';
import { ReferenceIndex } from '../core/refs/index';
import { compilePlan, describeProgress, type CompileResult, type Progress } from '../core/plan/compile';
import { excludePatterns } from '../core/plan/exclude';
import { loadPlan } from '../core/plan/load';
import type { Plan } from '../core/plan/types';
import type { FileSource, Problem } from '../core/types';

/** How long file-system events are gathered before the index is brought up to date. */
const UPDATE_DELAY_MS = 150;

/** What the editor knows about the workspace at one moment; every feature reads the same snapshot. */
export interface WorkspaceSnapshot {
  readonly graph: ReferenceIndex;
  readonly source: FileSource;
  /** The plan, when its file exists and loads without errors. */
  readonly plan: Plan | undefined;
  /** The plan file's problems (empty when it loads, or when there is none). */
  readonly planProblems: readonly Problem[];
  /** The plan's moves for the tree as it is now (pending ones only), when there is a plan. */
  readonly compiled: CompileResult | undefined;
  readonly progress: Progress | undefined;
  /**
   * The workspace paths (files or folders; created, changed or deleted) whose events this snapshot took in, so
   * features can update only what changed; undefined when the whole workspace was read.
   */
  readonly changed: readonly string[] | undefined;
}

/**
 * The engine's view of the first workspace folder: a reference index over the disk with unsaved editor buffers laid
 * over it, and the plan compiled against it. File changes (from the editor, the Explorer, git or a terminal) are
 * gathered for a moment and applied incrementally, then `onDidChange` fires once.
 */
export class WorkspaceModel implements vscode.Disposable {
  readonly rootUri: vscode.Uri;
  private readonly disk: DiskFileSource;
  private readonly overlaySource: OverlayFileSource;
  private index: ReferenceIndex | undefined;
  private current: WorkspaceSnapshot | undefined;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ownEdits = 0;
  private readonly changeEmitter = new vscode.EventEmitter<WorkspaceSnapshot>();
  private readonly subscriptions: vscode.Disposable[] = [this.changeEmitter];

  readonly onDidChange = this.changeEmitter.event;

  constructor(
    folder: vscode.WorkspaceFolder,
    private readonly planFile: () => string,
  ) {
    this.rootUri = folder.uri;
    this.disk = new DiskFileSource(folder.uri.fsPath, { exclude: this.planExcludes() });
    this.overlaySource = new OverlayFileSource(this.disk, (path) => this.unsavedText(path));
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => this.schedule(uri)),
      watcher.onDidChange((uri) => this.schedule(uri)),
      watcher.onDidDelete((uri) => this.schedule(uri)),
      // VS Code's own file operations (a WorkspaceEdit's renames) name every path, whatever the watcher merges.
      vscode.workspace.onDidRenameFiles((event) => event.files.forEach((file) => (this.schedule(file.oldUri), this.schedule(file.newUri)))),
      vscode.workspace.onDidCreateFiles((event) => event.files.forEach((uri) => this.schedule(uri))),
      vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => this.schedule(uri))),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document.uri)),
      vscode.workspace.onDidCloseTextDocument((document) => this.schedule(document.uri)),
    );
  }

  /** The current snapshot, building the index on first use. */
  snapshot(): WorkspaceSnapshot {
    if (!this.current) this.current = this.compute();
    return this.current;
  }

  /** Applies every pending change now (tests and commands call this before reading). */
  flush(): WorkspaceSnapshot {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.index) return this.snapshot();
    const changed = [...this.pending];
    this.pending.clear();
    for (const path of changed) this.index.update(path);
    const planChanged = changed.includes(this.planFile());
    this.current = this.compute(planChanged, changed);
    if (changed.length > 0) this.changeEmitter.fire(this.current);
    return this.current;
  }

  /** Re-lists and re-reads the whole workspace. */
  rebuild(): WorkspaceSnapshot {
    this.pending.clear();
    this.index = undefined;
    this.current = this.compute(true);
    this.changeEmitter.fire(this.current);
    return this.current;
  }

  /**
   * Relayout's own move edits carry their reference edits already, so the rename participant must leave the renames
   * in them alone: bracket `workspace.applyEdit` of such an edit with `beginOwnEdit()` and `endOwnEdit()` (in a
   * `finally`).
   */
  beginOwnEdit(): void {
    this.ownEdits++;
  }

  endOwnEdit(): void {
    this.ownEdits = Math.max(0, this.ownEdits - 1);
  }

  /** True while one of Relayout's own edits is being applied. */
  get ownEditInProgress(): boolean {
    return this.ownEdits > 0;
  }

  /** Workspace-relative POSIX path of a URI inside the folder, or undefined. */
  relativePath(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== this.rootUri.scheme) return undefined;
    const root = this.rootUri.path.endsWith('/') ? this.rootUri.path : `${this.rootUri.path}/`;
    if (uri.path === this.rootUri.path) return '';
    return uri.path.startsWith(root) ? uri.path.slice(root.length) : undefined;
  }

  uriOf(path: string): vscode.Uri {
    return path === '' ? this.rootUri : vscode.Uri.joinPath(this.rootUri, ...path.split('/'));
  }

  get rootPath(): string {
    return this.rootUri.fsPath;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private compute(reloadPlan = false, changed?: readonly string[]): WorkspaceSnapshot {
    if (!this.index) this.index = ReferenceIndex.build(this.overlaySource);
    const previous = this.current;
    const { plan, planProblems } =
      previous && !reloadPlan ? { plan: previous.plan, planProblems: previous.planProblems } : this.loadPlanFile();
    const files = this.index.files();
    return {
      graph: this.index,
      source: this.overlaySource,
      plan,
      planProblems,
      compiled: plan ? compilePlan(plan, files) : undefined,
      progress: plan ? describeProgress(plan, files) : undefined,
      changed,
    };
  }

  private loadPlanFile(): { plan: Plan | undefined; planProblems: Problem[] } {
    const planFile = this.planFile();
    const read = this.overlaySource.readText(planFile);
    if (!read.ok) return { plan: undefined, planProblems: [] };
    const loaded = loadPlan(read.text, planFile);
    return { plan: loaded.plan, planProblems: loaded.problems };
  }

  private planExcludes(): string[] {
    const read = new DiskFileSource(this.rootUri.fsPath).readText(this.planFile());
    if (!read.ok) return [];
    const { plan } = loadPlan(read.text, this.planFile());
    return plan ? excludePatterns(plan) : [];
  }

  private unsavedText(path: string): string | undefined {
    const document = vscode.workspace.textDocuments.find(
      (candidate) => candidate.isDirty && this.relativePath(candidate.uri) === path,
    );
    return document?.getText();
  }

  private schedule(uri: vscode.Uri): void {
    const path = this.relativePath(uri);
    if (path === undefined || path === '' || path.startsWith('.relayout/') || path.startsWith('.git/')) return;
    this.pending.add(path);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), UPDATE_DELAY_MS);
  }
}
