import * as vscode from 'vscode';
import { defaultPlanFor } from '../core/plan/defaultPlan';
import { formatProblem } from '../core/plan/load';
import { importProposal } from '../core/plan/importProposal';
import type { WorkspaceModel, WorkspaceSnapshot } from './workspaceModel';

/** Context key: the workspace has no plan and its infrastructure/ is shaped like the Bakery-IA proposal's. */
const bakeryPlanContextKey = 'relayout.bakeryPlanAvailable';
const createBakeryPlanLabel = 'Create relayout.yaml from the Bakery-IA plan';

/**
 * "Relayout: Create Plan from Proposal…": drafts the plan from a Markdown proposal (the file picked, or `proposal`
 * when a caller passes its URI), writes it to the plan file — asking before replacing one — and opens it. Resolves
 * with the plan file's URI, or undefined when nothing was written.
 */
export async function createPlanFromProposal(
  model: WorkspaceModel,
  planFile: string,
  proposal?: unknown,
): Promise<vscode.Uri | undefined> {
  const source = proposal instanceof vscode.Uri ? proposal : await pickProposal(model);
  if (!source) return undefined;
  const markdown = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(source));
  const proposalPath = model.relativePath(source) ?? source.fsPath;
  const result = importProposal(markdown, proposalPath, planFile);
  const written = await writePlan(model, planFile, result.planText);
  if (!written) return undefined;
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    void vscode.window.showWarningMessage(
      `Relayout: the plan drafted from ${proposalPath} does not load yet (see the Problems panel): ${formatProblem(errors[0]!)}`,
    );
  } else if (result.notes.length > 0) {
    void vscode.window.showInformationMessage(
      `Relayout: drafted ${planFile} from ${proposalPath}. ${result.notes.length} thing${result.notes.length === 1 ? '' : 's'} the proposal leaves open ${result.notes.length === 1 ? 'is' : 'are'} noted as comments in the plan.`,
    );
  }
  return written;
}

/** "Relayout: Create relayout.yaml from the Bakery-IA Plan": the bundled plan, for a workspace shaped like the proposal's. */
export async function createBakeryPlan(model: WorkspaceModel, planFile: string): Promise<vscode.Uri | undefined> {
  const text = defaultPlanFor(model.flush().graph.files());
  if (text === undefined) {
    void vscode.window.showInformationMessage(
      'Relayout: the Bakery-IA plan fits a workspace whose infrastructure/ is laid out as the Bakery-IA proposal describes; this one is not.',
    );
    return undefined;
  }
  return writePlan(model, planFile, text);
}

export interface DefaultPlanOfferDeps {
  model: WorkspaceModel;
  planFile: () => string;
  /** Runs the command that writes the Bakery-IA plan (the one the welcome view's button runs too). */
  createBakeryPlan: () => Thenable<unknown>;
}

/**
 * With no plan file in a workspace shaped like the Bakery-IA proposal's, the Proposed Layout view's welcome shows a
 * "Create relayout.yaml from the Bakery-IA plan" button (context key), and a notification offers it once a session.
 */
export function registerDefaultPlanOffer({ model, planFile, createBakeryPlan }: DefaultPlanOfferDeps): vscode.Disposable {
  let offered = false;
  let shown: boolean | undefined;
  const update = (snapshot: WorkspaceSnapshot) => {
    const available = snapshot.source.stat(planFile()) === undefined && defaultPlanFor(snapshot.graph.files()) !== undefined;
    if (available !== shown) void vscode.commands.executeCommand('setContext', bakeryPlanContextKey, available);
    shown = available;
    // Writing the plan needs a trusted workspace; the welcome button says the same through the command's enablement.
    if (!available || offered || !vscode.workspace.isTrusted) return;
    offered = true;
    void vscode.window
      .showInformationMessage(
        `Relayout: there is no ${planFile()}, and infrastructure/ is laid out like the Bakery-IA proposal's.`,
        createBakeryPlanLabel,
      )
      .then((choice) => (choice === createBakeryPlanLabel ? createBakeryPlan() : undefined));
  };
  update(model.snapshot());
  return model.onDidChange(update);
}

async function pickProposal(model: WorkspaceModel): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: model.rootUri,
    filters: { Markdown: ['md', 'markdown'] },
    openLabel: 'Create Plan',
    title: 'Relayout: the Markdown proposal to draft the plan from',
  });
  return picked?.[0];
}

/** Writes the plan file (after asking, when one exists) and opens it. */
async function writePlan(model: WorkspaceModel, planFile: string, text: string): Promise<vscode.Uri | undefined> {
  const uri = model.uriOf(planFile);
  if (model.snapshot().source.stat(planFile) !== undefined) {
    const overwrite = 'Overwrite';
    const choice = await vscode.window.showWarningMessage(
      `${planFile} already exists. Replace it with the new plan?`,
      { modal: true },
      overwrite,
    );
    if (choice !== overwrite) return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(uri);
  return uri;
}
