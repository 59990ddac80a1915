import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { appliesInEffect, composeRenames, withBuildRootMoves } from '../../core/apply/history';
import { RELAYOUT_FOLDER } from '../../core/apply/journal';
import { buildInventory } from '../../core/inventory/inventory';
import { DiskFileSource, sourceBelow } from '../../core/inventory/source';
import { emptyFolders } from '../../core/phases/cleanup';
import { impactReport, inventoryReport, type Impact } from '../../core/phases/reports';
import {
  assessImpact,
  describeStatus,
  lastRecordedStep,
  rollbackStep,
  runSteps,
  type RollbackOutcome,
  type StatusReport,
  type StepOutcome,
} from '../../core/phases/run';
import { readState, STATE_FILE } from '../../core/phases/state';
import { validationReport } from '../../core/phases/validation';
import type { RuleMove } from '../../core/plan/compile';
import { selectSteps } from '../../core/plan/select';
import type { Plan, PlanPhase, PlanStep } from '../../core/plan/types';
import { ReferenceIndex } from '../../core/refs/index';
import type { FileSource, ReviewItem } from '../../core/types';
import type { BrokenReference } from '../../core/verify/broken';
import { DEFAULT_BASELINE_PATH, readBaseline } from '../../core/verify/baseline';
import { findKustomizeTool, type KustomizeTool } from '../../core/verify/kustomizeTool';
import { verify, type VerifyReport } from '../../core/verify/verify';
import type { WorkspaceModel } from '../workspaceModel';
import { impactProblems, verifyProblems, type PhaseDiagnostics, type PhaseProblem } from './phaseDiagnostics';
import { applyStepMoves } from './stepMoves';
import { PHASE_PANEL_VIEW_TYPE } from './protocol';

/** Options the commands take from a caller (the panel, a test, a keybinding's `args`). */
export interface RunOptions {
  /** Run steps that are complete already (Run Step… re-runs the step it is given). */
  rerun?: boolean;
  /** Carry out without asking: the cleanup step's confirmation is taken as given. */
  yes?: boolean;
}

export interface PhaseRunResult {
  outcomes: StepOutcome[];
  /** True when every step ran (or was complete already) and none failed. */
  ok: boolean;
}

/** Generated Markdown (inventory, impact, verification) shown in the preview without writing a file. */
const REPORT_SCHEME = 'relayout-report';

/**
 * The editor's phase runner: the palette commands and the progress panel carry out plan steps through the engine's
 * runner (`core/phases/run`), one at a time, under a cancellable progress notification; a move step's batch is
 * applied as the editor applies a move (one WorkspaceEdit, the Refactor Preview, see `stepMoves`). The engine guarantees that
 * a cancelled or failed step leaves nothing of itself behind; this class adds the editor's part: unsaved editors are
 * saved first, reports open in the Markdown preview, impact and verification items go to the Problems panel, and
 * the panel hears of every change (a run starting, a step's progress, the state file changing on disk).
 */
export class PhaseRunner implements vscode.Disposable {
  private current: { step?: string; message: string } | undefined;
  private readonly reports = new Map<string, string>();
  private readonly reportEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [this.changeEmitter, this.reportEmitter];
  /** Fires when a run starts, reports progress or ends, and when the state file changes on disk. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly model: WorkspaceModel,
    private readonly diagnostics: PhaseDiagnostics,
  ) {
    // The folder too: removing .relayout/ whole reports the folder's deletion only.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(model.rootUri, `{${RELAYOUT_FOLDER},${STATE_FILE}}`));
    const changed = () => {
      this.dropStaleProblems();
      this.changeEmitter.fire();
    };
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(changed),
      watcher.onDidChange(changed),
      watcher.onDidDelete(changed),
      vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
        onDidChange: this.reportEmitter.event,
        provideTextDocumentContent: (uri) => this.reports.get(uri.path) ?? '',
      }),
    );
  }

  /** The run in progress, if any: its step and its last progress message. */
  get running(): { step?: string; message: string } | undefined {
    return this.current;
  }

  /** The plan the model has loaded, or undefined with a sentence saying why there is none. */
  plan(): { plan: Plan; message?: undefined } | { plan?: undefined; message: string } {
    const snapshot = this.model.snapshot();
    if (snapshot.plan) return { plan: snapshot.plan };
    if (snapshot.planProblems.length > 0) return { message: `the plan file has errors: ${snapshot.planProblems[0]!.message}` };
    return { message: 'there is no plan file (relayout.yaml)' };
  }

  status(plan: Plan): StatusReport {
    return describeStatus(this.model.rootPath, plan);
  }

  /** The step a rollback would undo, with its title. */
  lastStep(plan: Plan): { id: string; title: string } | undefined {
    const record = lastRecordedStep(this.model.rootPath, plan);
    if (!record) return undefined;
    const step = plan.phases.flatMap((phase) => phase.steps).find((candidate) => candidate.id === record.step);
    return { id: record.step, title: step?.title ?? record.step };
  }

  /** Runs a phase's steps that are not complete; with no id, asks which phase. */
  async runPhase(phaseId?: string, options: RunOptions = {}): Promise<PhaseRunResult | undefined> {
    const plan = this.requirePlan();
    if (!plan) return undefined;
    const id = phaseId ?? (await this.pickPhase(plan));
    if (id === undefined) return undefined;
    const selection = selectSteps(plan, { phase: id });
    if (!selection.ok) return this.refuse(selection.message);
    const phase = plan.phases.find((candidate) => candidate.id === id)!;
    return this.run(plan, selection.steps, `${phase.title}`, options);
  }

  /** Runs (or, when complete, re-runs) one step; with no id, asks which. */
  async runStep(stepId?: string, options: RunOptions = {}): Promise<PhaseRunResult | undefined> {
    const plan = this.requirePlan();
    if (!plan) return undefined;
    const id = stepId ?? (await this.pickStep(plan));
    if (id === undefined) return undefined;
    const selection = selectSteps(plan, { step: id });
    if (!selection.ok) return this.refuse(selection.message);
    return this.run(plan, selection.steps, selection.steps[0]!.step.title, { rerun: true, ...options });
  }

  /** Runs the first step that is not complete. */
  async runNext(options: RunOptions = {}): Promise<PhaseRunResult | undefined> {
    const plan = this.requirePlan();
    if (!plan) return undefined;
    const next = this.status(plan).next;
    if (!next) {
      void vscode.window.showInformationMessage('Relayout: every step of the plan is complete.');
      return { outcomes: [], ok: true };
    }
    return this.runStep(next.step, options);
  }

  /** Undoes the newest step; when the engine refuses because files changed since, offers to roll back anyway. */
  async rollBack(options: { force?: boolean } = {}): Promise<RollbackOutcome | undefined> {
    const plan = this.requirePlan();
    if (!plan || !this.writable()) return undefined;
    if (this.current) return this.refuse('a step is running; wait for it to finish');
    const last = this.lastStep(plan);
    if (!last) return this.refuse('no step has run: there is nothing to roll back');
    await vscode.workspace.saveAll(false);
    this.setRunning({ step: last.id, message: `rolling back ${last.title}` });
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Relayout: rolling back ${last.title}` },
        async () => rollbackStep(this.model.rootPath, plan, { step: last.id, force: options.force === true }),
      );
      this.diagnostics.clear(last.id);
      void vscode.window.showInformationMessage(`Relayout: rolled back ${last.title}: ${outcome.summary}.`);
      return outcome;
    } catch (error) {
      const message = (error as Error).message;
      if (!options.force && /changed since|differ from it/.test(message)) {
        const anyway = 'Roll Back Anyway';
        void vscode.window.showErrorMessage(`Relayout: ${message}`, anyway).then((choice) => {
          if (choice === anyway) void this.rollBack({ force: true });
        });
      } else {
        void vscode.window.showErrorMessage(`Relayout: ${message}`);
      }
      return undefined;
    } finally {
      this.afterWrites();
    }
  }

  /**
   * Verifies the workspace as it is on disk: against the baseline the backup step took (following every apply made
   * since), references and kustomize renders. Writes nothing; the result goes to the Problems panel and a preview.
   */
  async verify(): Promise<VerifyReport | undefined> {
    const root = this.model.rootPath;
    const tool = this.kustomizeTool();
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Relayout: verifying', cancellable: false },
      async (progress) => {
        const baselineFile = nodePath.join(root, DEFAULT_BASELINE_PATH);
        const baseline = existsSync(baselineFile) ? await readBaseline(baselineFile) : undefined;
        const renames = baseline ? withBuildRootMoves(composeRenames(appliesInEffect(root, baseline.createdAt))) : [];
        progress.report({ message: tool ? `rendering with ${nodePath.basename(tool.executable)}` : 'references (no kustomize: renders skipped)' });
        const source = new DiskFileSource(root);
        return verify(root, source, ReferenceIndex.build(source), baseline, renames, { tool });
      },
    );
    this.diagnostics.set('verify', verifyProblems(report));
    await this.showGenerated('Verification.md', validationReport(report));
    const message = `Relayout: verification ${report.passed ? 'passed' : 'FAILED'}: ${report.references.introduced.length} newly broken and ${report.references.lost.length} stale references.`;
    if (report.passed) void vscode.window.showInformationMessage(message);
    else void vscode.window.showErrorMessage(message);
    return report;
  }

  /** The inventory of the plan's root, as the inventory step reports it, without writing the report. */
  async showInventory(): Promise<vscode.Uri | undefined> {
    const plan = this.requirePlan();
    if (!plan) return undefined;
    const source = this.model.flush().source;
    return this.showGenerated('Inventory.md', inventoryReport(buildInventory(sourceBelow(source, plan.root)), plan.root));
  }

  /** The impact of every pending move of the plan: a report in the preview and its items in the Problems panel. */
  async showImpact(): Promise<Impact | undefined> {
    const plan = this.requirePlan();
    if (!plan) return undefined;
    const source = this.model.flush().source;
    const impact = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Relayout: assessing the impact of the pending moves' },
      async () => assessImpact(plan, source),
    );
    this.diagnostics.set('impact', impactProblems(impact));
    await this.showGenerated('Impact.md', impactReport(impact, 'every pending move of the plan'));
    return impact;
  }

  /** Opens a report the steps wrote (workspace-relative): Markdown in the preview, anything else in an editor. */
  async openReport(path: string): Promise<void> {
    const uri = this.model.uriOf(path);
    if (path.endsWith('.md')) await showPreview(uri);
    else await vscode.window.showTextDocument(uri, { preview: true, ...(phasePanelActive() ? { viewColumn: vscode.ViewColumn.Beside } : {}) });
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private async run(plan: Plan, steps: readonly { phase: PlanPhase; step: PlanStep }[], title: string, options: RunOptions): Promise<PhaseRunResult | undefined> {
    if (!this.writable()) return undefined;
    if (this.current) return this.refuse('a step is running already; wait for it or cancel it');
    const tool = this.kustomizeTool();
    await vscode.workspace.saveAll(false);
    const outcomes: StepOutcome[] = [];
    let ok = true;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Relayout: ${title}`, cancellable: true },
        async (progress, token) => {
          for (const [index, entry] of steps.entries()) {
            if (entry.step.action === 'cleanup' && !options.yes && !(await this.confirmCleanup(plan))) {
              outcomes.push({ phase: entry.phase.id, step: entry.step.id, action: 'cleanup', status: 'cancelled', summary: 'not run: the removal was not confirmed', reports: [] });
              ok = false;
              return;
            }
            const prefix = steps.length > 1 ? `${index + 1}/${steps.length} ` : '';
            this.setRunning({ step: entry.step.id, message: entry.step.title });
            progress.report({ message: `${prefix}${entry.step.title}` });
            const report = (step: string, message: string) => {
              progress.report({ message: `${prefix}${message}` });
              this.setRunning({ step, message });
            };
            const result = await runSteps(this.model.rootPath, plan, [entry], {
              tool,
              rerun: options.rerun,
              isCancelled: () => token.isCancellationRequested,
              onProgress: (event) => report(event.step, event.message),
              applyMoves: (batch) => applyStepMoves(this.model, batch, (message) => report(batch.step, message)),
            });
            for (const outcome of result.outcomes) this.takeProblems(outcome);
            outcomes.push(...result.outcomes);
            if (!result.ok) {
              ok = false;
              return;
            }
          }
        },
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Relayout: ${(error as Error).message}`);
      return { outcomes, ok: false };
    } finally {
      this.afterWrites();
    }
    await this.announce(outcomes, title);
    return { outcomes, ok };
  }

  /** Steps no longer run (rolled back here or by the CLI, or the state file removed) take their problems with them. */
  private dropStaleProblems(): void {
    const plan = this.model.snapshot().plan;
    if (!plan) return;
    let steps: ReturnType<typeof readState>['steps'];
    try {
      steps = readState(this.model.rootPath, plan.file).steps;
    } catch {
      return; // A state file being written by hand: the panel says what is wrong with it.
    }
    const ids = new Set(plan.phases.flatMap((phase) => phase.steps.map((step) => step.id)));
    for (const group of this.diagnostics.groupNames) {
      const status = steps[group]?.status;
      if (ids.has(group) && (status === undefined || status === 'not-started')) this.diagnostics.clear(group);
    }
  }

  /** Puts a finished step's items in the Problems panel (replacing what it put there before). */
  private takeProblems(outcome: StepOutcome): void {
    if (outcome.status === 'skipped' || outcome.status === 'cancelled') return;
    let problems: PhaseProblem[] = [];
    if (outcome.data !== undefined && outcome.action === 'impact') problems = impactProblems(outcome.data as Impact);
    else if (outcome.data !== undefined && outcome.action === 'validate') problems = verifyProblems(outcome.data as VerifyReport & { unreported: BrokenReference[] });
    else if (outcome.data !== undefined && outcome.action === 'move') {
      const { moves, review } = outcome.data as { moves: RuleMove[]; review: ReviewItem[] };
      problems = impactProblems({ steps: [{ step: outcome.step, moves, files: 0, edits: [], creates: [], conflicts: [], review }], unattributed: emptyImpact(), loadRestrictor: [] }, moves);
    }
    this.diagnostics.set(outcome.step, problems);
  }

  /** Tells how the run went; the report of a failed step, or of a single step run, opens in the preview. */
  private async announce(outcomes: readonly StepOutcome[], title: string): Promise<void> {
    const last = outcomes[outcomes.length - 1];
    if (!last) return;
    const failed = outcomes.find((outcome) => outcome.status === 'failed' || outcome.status === 'cancelled');
    const ran = outcomes.filter((outcome) => outcome.status === 'done');
    if (failed) {
      const verb = failed.status === 'failed' ? 'failed' : 'was not run';
      void vscode.window.showErrorMessage(`Relayout: ${failed.step} ${verb}: ${failed.summary}`);
    } else if (outcomes.length === 1) {
      void vscode.window.showInformationMessage(`Relayout: ${title}: ${last.status === 'skipped' ? 'already done' : last.summary}`);
    } else {
      const skipped = outcomes.length - ran.length;
      void vscode.window.showInformationMessage(`Relayout: ${title}: ${ran.length} steps done${skipped > 0 ? `, ${skipped} already done` : ''}.`);
    }
    // A failed step's report says why; a single step's is what was asked for.
    const shown = failed?.status === 'failed' ? failed : outcomes.length === 1 && last.status === 'done' ? last : undefined;
    const report = shown?.reports.find((path) => path.endsWith('.md'));
    if (report) await this.openReport(report);
  }

  private async confirmCleanup(plan: Plan): Promise<boolean> {
    const folders = emptyFolders(this.model.rootPath, plan.root);
    if (folders.length === 0) return true;
    const remove = 'Remove';
    const shown = folders.slice(0, 12).join('\n');
    const more = folders.length > 12 ? `\n… and ${folders.length - 12} more` : '';
    const choice = await vscode.window.showWarningMessage(
      `Relayout: remove ${folders.length} empty folders left by the moves?`,
      { modal: true, detail: `${shown}${more}\n\nOnly empty folders are removed; Roll Back Last Step makes them again.` },
      remove,
    );
    return choice === remove;
  }

  private async showGenerated(name: string, markdown: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}` });
    this.reports.set(uri.path, markdown);
    this.reportEmitter.fire(uri);
    await showPreview(uri);
    return uri;
  }

  private kustomizeTool(): KustomizeTool | undefined {
    const lookup = findKustomizeTool(undefined, process.env);
    if (lookup.status === 'invalid') void vscode.window.showWarningMessage(`Relayout: ${lookup.message}; rendering is skipped.`);
    return lookup.status === 'found' ? lookup.tool : undefined;
  }

  private requirePlan(): Plan | undefined {
    const { plan, message } = this.plan();
    if (!plan) void vscode.window.showWarningMessage(`Relayout: ${message}.`);
    return plan;
  }

  private writable(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage('Relayout: plan steps write files; trust this workspace first.');
    return false;
  }

  private refuse(message: string): undefined {
    void vscode.window.showWarningMessage(`Relayout: ${message}.`);
    return undefined;
  }

  /**
   * The model takes in the file events that have arrived (VS Code's own file operations among them) at once rather
   * than after its gathering delay; the watcher's later ones follow as they come.
   */
  private afterWrites(): void {
    this.model.flush();
    this.setRunning(undefined);
  }

  private setRunning(running: { step?: string; message: string } | undefined): void {
    this.current = running;
    this.changeEmitter.fire();
  }

  private async pickPhase(plan: Plan): Promise<string | undefined> {
    const status = this.status(plan);
    const picked = await vscode.window.showQuickPick(
      status.phases.map((phase, index) => ({
        label: `${index + 1}. ${phase.title}`,
        description: `${phase.completeSteps}/${phase.steps.length} steps complete${phase.files.total > 0 ? ` · ${phase.files.done}/${phase.files.total} files moved` : ''}`,
        detail: phase.steps.map((step) => `${step.complete ? '✓' : '○'} ${step.title}`).join('  '),
        id: phase.id,
      })),
      { title: 'Relayout: Run Phase', placeHolder: 'The phase whose steps to run (complete steps are skipped)' },
    );
    return picked?.id;
  }

  private async pickStep(plan: Plan): Promise<string | undefined> {
    const status = this.status(plan);
    const items: (vscode.QuickPickItem & { id?: string })[] = [];
    for (const phase of status.phases) {
      items.push({ label: phase.title, kind: vscode.QuickPickItemKind.Separator });
      for (const step of phase.steps) {
        items.push({
          label: `${step.complete ? '$(pass-filled)' : step.status === 'failed' ? '$(error)' : '$(circle-large-outline)'} ${step.title}`,
          description: step.progress ? `${step.action} · ${step.progress.done}/${step.progress.total} files` : step.action,
          detail: step.summary,
          id: step.id,
        });
      }
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'Relayout: Run Step', placeHolder: 'The step to run (a complete one runs again)', matchOnDetail: true });
    return picked?.id;
  }
}

/** True when the phase progress panel is the active editor: reports then open beside it, leaving it in view. */
function phasePanelActive(): boolean {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputWebview && input.viewType.endsWith(PHASE_PANEL_VIEW_TYPE);
}

async function showPreview(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand(phasePanelActive() ? 'markdown.showPreviewToSide' : 'markdown.showPreview', uri);
}

function emptyImpact(): Impact['unattributed'] {
  return { step: '', moves: [], files: 0, edits: [], creates: [], conflicts: [], review: [] };
}
