import * as vscode from 'vscode';
import { movePath } from '../../core/paths';
import type { Impact } from '../../core/phases/reports';
import type { Move } from '../../core/types';
import type { BrokenReference } from '../../core/verify/broken';
import type { VerifyReport } from '../../core/verify/verify';
import type { WorkspaceModel } from '../workspaceModel';

/** One entry for the Problems panel, in the engine's terms (workspace-relative file, 1-based line and column). */
export interface PhaseProblem {
  file: string;
  line?: number;
  column?: number;
  /** Characters the entry covers from `column` (the path text); the whole line when absent. */
  length?: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

const severities: Record<PhaseProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * The "Relayout phases" diagnostics: impact items (conflicts, needs-review paths, load-restrictor fixes) and
 * verification results, grouped by what produced them (a step id, `verify`, `impact`) so that running a step again
 * or rolling it back replaces or removes only its own entries.
 */
export class PhaseDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('Relayout phases');
  private readonly groups = new Map<string, PhaseProblem[]>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly model: WorkspaceModel) {}

  /** Replaces the entries of `group`. */
  set(group: string, problems: readonly PhaseProblem[]): void {
    if (problems.length === 0) this.groups.delete(group);
    else this.groups.set(group, [...problems]);
    this.publish();
  }

  clear(group: string): void {
    if (this.groups.delete(group)) this.publish();
  }

  /** The groups that have entries. */
  get groupNames(): string[] {
    return [...this.groups.keys()];
  }

  count(group: string): number {
    return this.groups.get(group)?.length ?? 0;
  }

  dispose(): void {
    this.collection.dispose();
    this.changeEmitter.dispose();
  }

  private publish(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const [group, problems] of this.groups) {
      for (const problem of problems) {
        const line = Math.max(0, (problem.line ?? 1) - 1);
        const start = Math.max(0, (problem.column ?? 1) - 1);
        const end = problem.length !== undefined ? start + problem.length : Number.MAX_SAFE_INTEGER;
        const diagnostic = new vscode.Diagnostic(new vscode.Range(line, start, line, end), problem.message, severities[problem.severity]);
        diagnostic.source = 'Relayout phases';
        diagnostic.code = group;
        let list = byFile.get(problem.file);
        if (!list) byFile.set(problem.file, (list = []));
        list.push(diagnostic);
      }
    }
    this.collection.clear();
    this.collection.set([...byFile].map(([file, diagnostics]) => [this.model.uriOf(file), diagnostics]));
    this.changeEmitter.fire();
  }
}

/**
 * An impact assessment's items. `moved` are the renames already carried out (a move step's own), so that entries
 * about files it moved point at where the files are now.
 */
export function impactProblems(impact: Impact, moved: readonly Move[] = []): PhaseProblem[] {
  const now = (path: string): string => {
    for (const move of moved) {
      const target = movePath(path, move.from, move.to);
      if (target !== undefined) return target;
    }
    return path;
  };
  const problems: PhaseProblem[] = [];
  for (const step of [...impact.steps, impact.unattributed]) {
    const label = step.step ? ` (step ${step.step})` : '';
    for (const conflict of step.conflicts) {
      problems.push({ file: now(conflict.path), line: conflict.line, message: `Conflict${label}: ${conflict.reason}`, severity: 'error' });
    }
    for (const item of step.review) {
      problems.push({
        file: now(item.file),
        line: item.line,
        column: item.column,
        length: item.text.length,
        message: `Needs review${label}: ${item.text}: ${item.reason}`,
        severity: 'warning',
      });
    }
  }
  for (const item of impact.loadRestrictor) {
    problems.push({ file: now(item.path), message: `Kustomize load restrictor: ${item.reason}`, severity: 'info' });
  }
  return problems;
}

/**
 * A verification's failures: newly broken and stale references, roots that render differently or not at all. A
 * validate step's report names the broken references no move step reported (`unreported`); the others were reported
 * as needs-review, do not fail the step, and are warnings here.
 */
export function verifyProblems(report: VerifyReport & { unreported?: readonly BrokenReference[] }): PhaseProblem[] {
  const problems: PhaseProblem[] = [];
  const unreported = report.unreported;
  const reported = (ref: BrokenReference): boolean =>
    unreported !== undefined && !unreported.some((other) => other.from === ref.from && other.line === ref.line && other.column === ref.column && other.text === ref.text);
  const add = (ref: BrokenReference, what: string): void => {
    problems.push({
      file: ref.from,
      line: ref.line,
      column: ref.column,
      length: ref.text.length,
      message: reported(ref) ? `${what} (reported as needs-review by a move step: fix it by hand)` : what,
      severity: reported(ref) ? 'warning' : 'error',
    });
  };
  for (const ref of report.references.introduced) add(ref, `Broken reference (${ref.kind}): ${ref.text} does not resolve (${ref.target})`);
  for (const ref of report.references.lost) add(ref, `Stale reference (${ref.kind}): ${ref.text} no longer reaches ${ref.target}`);
  if (report.renders.status === 'compared') {
    for (const root of report.renders.roots) {
      if (root.status === 'changed') {
        const diff = root.diff;
        const counts = diff ? `${diff.added.length} added, ${diff.removed.length} removed, ${diff.modified.length} modified objects` : 'objects differ';
        problems.push({ file: root.file, message: `kustomize renders ${root.dir || '.'} differently from the baseline: ${counts}`, severity: 'error' });
      } else if (root.status === 'failed') {
        problems.push({ file: root.file, message: `kustomize cannot render ${root.dir || '.'}: ${root.error ?? 'failed'}`, severity: 'error' });
      } else if (root.status === 'root-gone') {
        problems.push({ file: root.file, message: `The kustomization root ${root.baselineDir ?? root.dir} of the baseline is gone`, severity: 'error' });
      }
    }
  }
  return problems;
}
