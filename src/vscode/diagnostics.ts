import * as vscode from 'vscode';
import { planDoneMoves } from '../core/moves/done';
import { escapesRoot, isInside, join } from '../core/paths';
import { referenceResolves } from '../core/refs/resolves';
import type { Problem, Reference } from '../core/types';
import type { MoveTracker } from './moveTracker';
import { PositionMapper } from './workspaceEdit';
import type { WorkspaceModel, WorkspaceSnapshot } from './workspaceModel';

const diagnosticSource = 'Relayout';

export interface DiagnosticsDeps {
  model: WorkspaceModel;
  tracker: MoveTracker;
}

/**
 * Problems panel entries: every reference that does not resolve (its code is the reference kind), files the index
 * could not read (invalid YAML), and the plan file's problems as the plan loader and compiler report them. The quick
 * fix points a broken reference at where its file is now, when the move tracker knows.
 */
export function registerDiagnostics({ model, tracker }: DiagnosticsDeps): vscode.Disposable {
  const diagnostics = new ReferenceDiagnostics(model);
  const quickFixes = vscode.languages.registerCodeActionsProvider(
    { scheme: model.rootUri.scheme, pattern: new vscode.RelativePattern(model.rootUri, '**/*') },
    new RepointReference(model, tracker),
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
  return vscode.Disposable.from(diagnostics, quickFixes);
}

/**
 * A reference whose target is not in the workspace (for a file a command writes: whose folder is not). Globs are left
 * out: what they match is a needs-review matter.
 */
function isBroken(ref: Reference, snapshot: WorkspaceSnapshot): boolean {
  return !ref.glob && !referenceResolves(ref, snapshot.source);
}

class ReferenceDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('relayout');
  /** Files that held plan problems at the last update, so they are cleared when the problems go. */
  private planFiles = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: WorkspaceModel) {
    this.subscription = model.onDidChange((snapshot) => this.update(snapshot));
    this.update(model.snapshot());
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }

  private update(snapshot: WorkspaceSnapshot): void {
    const planProblems = [...snapshot.planProblems, ...(snapshot.compiled?.problems ?? [])];
    const planFiles = new Set(planProblems.map((problem) => problem.file));
    const files =
      snapshot.changed === undefined ? this.everyFile(snapshot) : this.filesAffectedBy(snapshot.changed, snapshot);
    for (const file of new Set([...files, ...planFiles, ...this.planFiles])) {
      const entries = [
        ...this.fileDiagnostics(file, snapshot, planFiles.has(file)),
        ...this.problemDiagnostics(planProblems.filter((problem) => problem.file === file), snapshot),
      ];
      if (entries.length > 0) this.collection.set(this.model.uriOf(file), entries);
      else this.collection.delete(this.model.uriOf(file));
    }
    this.planFiles = planFiles;
  }

  private everyFile(snapshot: WorkspaceSnapshot): string[] {
    this.collection.clear();
    return [...snapshot.graph.files()];
  }

  /**
   * The files whose diagnostics a change can alter: the changed files (and those below a changed folder, listed now
   * or before), and every file with a reference into a changed path (it may have become broken or resolved).
   */
  private filesAffectedBy(changed: readonly string[], snapshot: WorkspaceSnapshot): Set<string> {
    const files = new Set<string>();
    const shown: string[] = [];
    this.collection.forEach((uri) => {
      const path = this.model.relativePath(uri);
      if (path !== undefined) shown.push(path);
    });
    for (const path of changed) {
      files.add(path);
      for (const file of shown) if (isInside(file, path)) files.add(file);
      for (const file of snapshot.graph.files()) if (isInside(file, path)) files.add(file);
      for (const ref of snapshot.graph.refsInto(path)) files.add(ref.from);
    }
    return files;
  }

  private fileDiagnostics(file: string, snapshot: WorkspaceSnapshot, isPlanFile: boolean): vscode.Diagnostic[] {
    const broken = snapshot.graph.refsFrom(file).filter((ref) => isBroken(ref, snapshot));
    // The plan loader reports the plan file's YAML errors itself, in its own words.
    const problems = isPlanFile ? [] : snapshot.graph.problemsFor(file);
    if (broken.length === 0 && problems.length === 0) return [];
    const read = snapshot.source.readText(file);
    if (!read.ok) return [];
    const positions = new PositionMapper(read.text);
    return [
      ...broken.map((ref) => brokenReferenceDiagnostic(ref, positions)),
      ...problems.map((problem) => problemDiagnostic(problem, positions)),
    ];
  }

  private problemDiagnostics(problems: readonly Problem[], snapshot: WorkspaceSnapshot): vscode.Diagnostic[] {
    if (problems.length === 0) return [];
    const read = snapshot.source.readText(problems[0]!.file);
    if (!read.ok) return [];
    const positions = new PositionMapper(read.text);
    return problems.map((problem) => problemDiagnostic(problem, positions));
  }
}

function brokenReferenceDiagnostic(ref: Reference, positions: PositionMapper): vscode.Diagnostic {
  const range = new vscode.Range(positions.at(ref.start), positions.at(ref.end));
  const message = escapesRoot(ref.target)
    ? `${ref.text} points outside the workspace`
    : `${ref.target} does not exist${ref.confidence === 'probable' ? ' (a path found in free text)' : ''}`;
  const severity = ref.confidence === 'exact' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(range, message, severity);
  diagnostic.source = diagnosticSource;
  diagnostic.code = ref.kind;
  return diagnostic;
}

function problemDiagnostic(problem: Problem, positions: PositionMapper): vscode.Diagnostic {
  const start = positions.atLineColumn(problem.line, problem.column);
  const end = positions.lineEnd(start);
  const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(new vscode.Range(start, end.isAfter(start) ? end : start), problem.message, severity);
  diagnostic.source = diagnosticSource;
  return diagnostic;
}

/**
 * The quick fix for a broken reference: where its file is now (a recorded move, or the same name and content
 * elsewhere), written as the planner writes a path after a move (same style, generator keys kept), as one edit of
 * the reference's range.
 */
class RepointReference implements vscode.CodeActionProvider {
  constructor(
    private readonly model: WorkspaceModel,
    private readonly tracker: MoveTracker,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((diagnostic) => diagnostic.source === diagnosticSource && typeof diagnostic.code === 'string');
    const file = this.model.relativePath(document.uri);
    if (ours.length === 0 || file === undefined) return [];
    const snapshot = this.model.snapshot();
    const read = snapshot.source.readText(file);
    if (!read.ok) return [];
    const positions = new PositionMapper(read.text);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const ref = snapshot.graph
        .refsFrom(file)
        .find((candidate) => isBroken(candidate, snapshot) && new vscode.Range(positions.at(candidate.start), positions.at(candidate.end)).isEqual(diagnostic.range));
      const newText = ref && this.repointedText(ref, snapshot);
      if (!ref || newText === undefined) continue;
      const action = new vscode.CodeAction(`Point to ${newText.target} (where it is now)`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, diagnostic.range, newText.text);
      actions.push(action);
    }
    return actions;
  }

  /**
   * The reference's text for the target's current location: the edit the planner gives this reference for the move
   * missing → current, taken when it names the file itself (not a kustomization the load restrictor would need).
   */
  private repointedText(ref: Reference, snapshot: WorkspaceSnapshot): { text: string; target: string } | undefined {
    const target = this.tracker.currentLocation(ref.target, snapshot);
    if (target === undefined) return undefined;
    const plan = planDoneMoves([{ from: ref.target, to: target }], snapshot.graph, snapshot.source);
    if (plan.conflicts.some((conflict) => conflict.path === ref.from && conflict.line === ref.line)) return undefined;
    const edit = plan.edits.find((candidate) => candidate.file === ref.from && candidate.start === ref.start && candidate.end === ref.end);
    if (!edit) return undefined;
    const path = ref.generatorKey !== undefined ? edit.newText.replace(/^[^=]*=/, '') : edit.newText;
    const resolved = path.startsWith('/') ? join(path) : join(ref.base, path);
    return resolved === target ? { text: edit.newText, target } : undefined;
  }
}
