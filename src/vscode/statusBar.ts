import * as vscode from 'vscode';
import type { Progress } from '../core/plan/compile';
import type { Plan } from '../core/plan/types';
import { commandIds } from './commands';
import type { WorkspaceModel } from './workspaceModel';

export interface PlanProgressSummary {
  /** The first phase with work still pending (undefined when every measured step is done). */
  phase: { id: string; title: string; index: number } | undefined;
  moved: number;
  total: number;
}

/** Files at their destination over files the rules cover, and the first phase that still has pending moves. */
export function summarizeProgress(plan: Plan, progress: Progress): PlanProgressSummary {
  const moved = progress.rules.reduce((sum, rule) => sum + rule.done, 0);
  const total = progress.rules.reduce((sum, rule) => sum + rule.total, 0);
  const index = progress.phases.findIndex((phase) => phase.pending > 0);
  const phase = index >= 0 ? plan.phases[index] : undefined;
  return { phase: phase && { id: phase.id, title: phase.title, index }, moved, total };
}

export interface StatusBarDeps {
  model: WorkspaceModel;
}

/**
 * "Phase 2: Non-Critical Components · 12/177 moved", kept up to date with the workspace model; a click opens the
 * phase progress panel.
 */
export function registerStatusBar({ model }: StatusBarDeps): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('relayout.progress', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Relayout Plan Progress';
  item.command = { command: commandIds.showPhaseProgress, title: 'Show Phase Progress' };
  const update = () => {
    const { plan, progress } = model.snapshot();
    if (!plan || !progress || plan.rules.length === 0) {
      item.hide();
      return;
    }
    const summary = summarizeProgress(plan, progress);
    const phase = summary.phase ? `Phase ${summary.phase.index + 1}: ${summary.phase.title}` : 'All phases done';
    item.text = `$(checklist) ${phase} · ${summary.moved}/${summary.total} moved`;
    item.tooltip = `Relayout: ${summary.moved} of the ${summary.total} files the plan moves are in place.${summary.phase ? ` Current phase: ${summary.phase.title}.` : ''}`;
    item.show();
  };
  update();
  return vscode.Disposable.from(item, model.onDidChange(update));
}
