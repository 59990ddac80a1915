import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { StatusReport } from '../../core/phases/run';
import type { WorkspaceModel } from '../workspaceModel';
import type { PhaseDiagnostics } from './phaseDiagnostics';
import type { PhaseRunner } from './phaseRunner';
import { parseFromWebview, PHASE_PANEL_VIEW_TYPE, type FromWebview, type PanelModel, type ToWebview } from './protocol';

export interface PhasePanelDeps {
  extensionUri: vscode.Uri;
  model: WorkspaceModel;
  runner: PhaseRunner;
  diagnostics: PhaseDiagnostics;
}

/** How long changes are gathered before the panel is redrawn (a phase run changes many files). */
const REFRESH_DELAY_MS = 100;

/**
 * The phase progress panel: one webview panel per window showing the plan's phases and steps with their state,
 * progress bars, last results, report and problem links, and buttons that run the engine through the `PhaseRunner`.
 * It redraws when files move (the workspace model), when the state file changes, when a run reports progress and
 * when the phase problems change; a `WebviewPanelSerializer` brings it back after a reload.
 */
export class PhaseProgressPanel implements vscode.Disposable {
  private static current: PhaseProgressPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastModel: PanelModel | undefined;

  /** Shows the panel (creating it when there is none) and resolves with it. */
  static createOrShow(deps: PhasePanelDeps): PhaseProgressPanel {
    if (PhaseProgressPanel.current) {
      PhaseProgressPanel.current.panel.reveal();
      return PhaseProgressPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PHASE_PANEL_VIEW_TYPE, 'Relayout: Phase Progress', vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new PhaseProgressPanel(panel, deps);
  }

  /** Takes over a panel VS Code restored after a reload (the serializer's `deserializeWebviewPanel`). */
  static revive(panel: vscode.WebviewPanel, deps: PhasePanelDeps): PhaseProgressPanel {
    PhaseProgressPanel.current?.dispose();
    panel.webview.options = webviewOptions(deps.extensionUri);
    return new PhaseProgressPanel(panel, deps);
  }

  /** The open panel, if any. */
  static get instance(): PhaseProgressPanel | undefined {
    return PhaseProgressPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PhasePanelDeps,
  ) {
    PhaseProgressPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'relayout.svg');
    panel.webview.html = this.html();
    const schedule = () => this.schedule();
    this.subscriptions.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(parseFromWebview(message))),
      deps.model.onDidChange(schedule),
      deps.runner.onDidChange(schedule),
      deps.diagnostics.onDidChange(schedule),
      vscode.workspace.onDidGrantWorkspaceTrust(schedule),
    );
  }

  /** What the panel shows now (the last model posted to the webview). */
  get shown(): PanelModel | undefined {
    return this.lastModel;
  }

  /** Builds the model now and sends it. */
  private refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const model = buildPanelModel(this.deps);
    this.lastModel = model;
    const message: ToWebview = { type: 'model', model };
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (PhaseProgressPanel.current === this) PhaseProgressPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.panel.dispose();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  private async receive(message: FromWebview | undefined): Promise<void> {
    if (!message) return;
    const { runner } = this.deps;
    switch (message.type) {
      case 'ready':
        this.refresh();
        return;
      case 'runStep':
        await runner.runStep(message.step);
        return;
      case 'runPhase':
        await runner.runPhase(message.phase);
        return;
      case 'runNext':
        await runner.runNext();
        return;
      case 'rollBack':
        await runner.rollBack();
        return;
      case 'verify':
        await runner.verify();
        return;
      case 'openReport':
        await runner.openReport(message.path);
        return;
      case 'showProblems':
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        return;
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const media = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'media', name));
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link href="${media('phases.css')}" rel="stylesheet">
  <title>Relayout: Phase Progress</title>
</head>
<body>
  <header class="toolbar" role="toolbar" aria-label="Plan actions">
    <h1 id="plan-title">Phase progress</h1>
    <button type="button" id="run-next" data-action="runNext">Run Next Step</button>
    <button type="button" id="verify" class="secondary" data-action="verify">Verify</button>
    <button type="button" id="roll-back" class="secondary" data-action="rollBack">Roll Back Last Step</button>
    <button type="button" id="show-problems" class="secondary" data-action="showProblems">Problems</button>
  </header>
  <p id="running" class="running" role="status" aria-live="polite" hidden></p>
  <main id="phases" aria-label="Phases"></main>
  <script nonce="${nonce}" src="${media('phases.js')}"></script>
</body>
</html>`;
  }
}

/** The panel's view of the plan: the engine's status, the model's move progress, the runner and the problems. */
function buildPanelModel({ model, runner, diagnostics }: PhasePanelDeps): PanelModel {
  const { plan, message } = runner.plan();
  if (!plan) return { kind: 'no-plan', message: `No plan to show: ${message}.` };
  let status: StatusReport;
  try {
    status = runner.status(plan);
  } catch (error) {
    return { kind: 'no-plan', message: `Cannot show the phases: ${(error as Error).message}.` };
  }
  const progress = model.snapshot().progress;
  const phases = plan.phases.map((phase) => {
    const view = status.phases.find((candidate) => candidate.id === phase.id)!;
    const moved = progress?.phases.find((entry) => entry.phase === phase.id) ?? view.files;
    const steps = phase.steps.map((step) => {
      const stepView = view.steps.find((candidate) => candidate.id === step.id)!;
      return {
        id: step.id,
        title: step.title,
        action: step.action,
        ...(step.description !== undefined ? { description: step.description } : {}),
        status: stepView.status,
        complete: stepView.complete,
        ...(stepView.progress ? { files: { total: stepView.progress.total, done: stepView.progress.done } } : {}),
        ...(stepView.summary !== undefined ? { summary: stepView.summary } : {}),
        ...(stepView.finishedAt !== undefined ? { finishedAt: stepView.finishedAt } : {}),
        reports: stepView.reports,
        problems: diagnostics.count(step.id),
      };
    });
    const validations = steps.filter((step) => step.action === 'validate');
    return {
      id: phase.id,
      title: phase.title,
      ...(phase.description !== undefined ? { description: phase.description } : {}),
      files: { total: moved.total, done: moved.done },
      validations: { total: validations.length, passed: validations.filter((step) => step.status === 'done').length },
      steps,
    };
  });
  const lastStep = runner.lastStep(plan);
  const running = runner.running;
  return {
    kind: 'plan',
    plan: plan.file,
    ...(plan.title !== undefined ? { title: plan.title } : {}),
    phases,
    ...(status.next ? { next: status.next } : {}),
    ...(lastStep ? { lastStep } : {}),
    ...(running ? { running } : {}),
    canWrite: vscode.workspace.isTrusted,
  };
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

/**
 * The panel's serializer (so a reload brings the panel back) and its factory for the Show Phase Progress command.
 * With no folder open there is no engine to show: a restored panel says so and closes.
 */
export function registerPhaseProgressPanel(
  deps: PhasePanelDeps | undefined,
): vscode.Disposable & { show(): PhaseProgressPanel | undefined; revive(panel: vscode.WebviewPanel): PhaseProgressPanel | undefined } {
  const revive = (panel: vscode.WebviewPanel): PhaseProgressPanel | undefined => {
    if (deps) return PhaseProgressPanel.revive(panel, deps);
    panel.dispose();
    return undefined;
  };
  const serializer = vscode.window.registerWebviewPanelSerializer(PHASE_PANEL_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel) => {
      revive(panel);
    },
  });
  return {
    show: () => {
      if (deps) return PhaseProgressPanel.createOrShow(deps);
      void vscode.window.showInformationMessage('Relayout: open a folder first.');
      return undefined;
    },
    revive,
    dispose: () => {
      serializer.dispose();
      PhaseProgressPanel.instance?.dispose();
    },
  };
}
