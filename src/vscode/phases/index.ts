import * as vscode from 'vscode';
import type { WorkspaceModel } from '../workspaceModel';
import { PhaseDiagnostics } from './phaseDiagnostics';
import { PhaseRunner, type RunOptions } from './phaseRunner';
import { PhaseProgressPanel, registerPhaseProgressPanel } from './progressPanel';

export interface PhasesDeps {
  /** Undefined with no folder open: the commands then say so, and a restored panel closes. */
  model: WorkspaceModel | undefined;
  extensionUri: vscode.Uri;
}

/** The phase runner, its Problems entries and the progress panel, as the commands and the tests reach them. */
export interface Phases extends vscode.Disposable {
  readonly runner: PhaseRunner | undefined;
  readonly diagnostics: PhaseDiagnostics | undefined;
  /** Shows the progress panel (creating it when needed). */
  showProgress(): PhaseProgressPanel | undefined;
  /** The open progress panel, if any. */
  readonly panel: PhaseProgressPanel | undefined;
  /** Takes over a panel VS Code restored after a reload (what the panel's serializer does). */
  revive(panel: vscode.WebviewPanel): PhaseProgressPanel | undefined;
}

export function registerPhases({ model, extensionUri }: PhasesDeps): Phases {
  const diagnostics = model ? new PhaseDiagnostics(model) : undefined;
  const runner = model && diagnostics ? new PhaseRunner(model, diagnostics) : undefined;
  const panel = registerPhaseProgressPanel(model && runner && diagnostics ? { extensionUri, model, runner, diagnostics } : undefined);
  const disposables = [panel, ...(runner ? [runner] : []), ...(diagnostics ? [diagnostics] : [])];
  return {
    runner,
    diagnostics,
    showProgress: () => panel.show(),
    revive: (restored) => panel.revive(restored),
    get panel() {
      return PhaseProgressPanel.instance;
    },
    dispose: () => vscode.Disposable.from(...disposables).dispose(),
  };
}

/** The options a command was given (`{ rerun, yes }`), ignoring anything else a caller passes. */
export function runOptionsOf(value: unknown): RunOptions {
  if (typeof value !== 'object' || value === null) return {};
  const { rerun, yes } = value as Record<string, unknown>;
  return { ...(rerun === true ? { rerun } : {}), ...(yes === true ? { yes } : {}) };
}

/** A phase or step id given as a command argument; anything else (a tree node, a URI) means "ask". */
export function idOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Runs `body` with the runner, or says that a folder must be open. */
export function withRunner<T>(phases: Phases, body: (runner: PhaseRunner) => T): T | undefined {
  if (phases.runner) return body(phases.runner);
  void vscode.window.showInformationMessage('Relayout: open a folder first.');
  return undefined;
}
