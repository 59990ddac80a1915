import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { defaultPlanFor } from '../../src/core/plan/defaultPlan';
import { importProposal } from '../../src/core/plan/importProposal';
import { loadPlan } from '../../src/core/plan/load';
import { workspacePath } from './sampleWorkspace';
import { sampleText, scratchUri, workspaceModel } from './scratch';
import { waitFor } from './support';

const planFile = 'relayout.yaml';

/** Relayout's diagnostics of the plan file, once `accept` holds for them. */
function planDiagnostics(describeWait: string, accept: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return waitFor(describeWait, () => {
    const diagnostics = vscode.languages.getDiagnostics(scratchUri(planFile)).filter((entry) => entry.source === 'Relayout');
    return accept(diagnostics) ? diagnostics : undefined;
  });
}

describe('Plan file diagnostics and plan creation commands', () => {
  let before: string | undefined;

  beforeEach(() => {
    before = existsSync(workspacePath(planFile)) ? readFileSync(workspacePath(planFile), 'utf8') : undefined;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    if (before === undefined) rmSync(workspacePath(planFile), { force: true });
    else writeFileSync(workspacePath(planFile), before);
  });

  it("shows a bad key in relayout.yaml as the plan loader's error, at its line", async () => {
    const text = sampleText(planFile).replace('\ntitle: ', '\ntitel: ');
    const [problem, ...others] = loadPlan(text, planFile).problems;
    assert.deepEqual(others, []);
    writeFileSync(workspacePath(planFile), text);
    const [diagnostic, ...more] = await planDiagnostics('the bad key diagnostic', (found) => found.some((entry) => entry.message.includes('titel')));
    assert.deepEqual(more, []);
    assert.equal(diagnostic!.message, problem!.message);
    assert.match(diagnostic!.message, /Unknown key `titel`/);
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic!.range.start.line, problem!.line - 1);
    assert.equal(diagnostic!.range.start.character, problem!.column - 1);
    const document = await vscode.workspace.openTextDocument(scratchUri(planFile));
    assert.equal(document.getText(diagnostic!.range), 'titel: Bakery-IA infrastructure reorganization');

    writeFileSync(workspacePath(planFile), sampleText(planFile));
    await planDiagnostics('the diagnostic to clear once the key is fixed', (found) => found.every((entry) => entry.severity !== vscode.DiagnosticSeverity.Error));
  });

  it('creates relayout.yaml from docs/proposal.md (the picker skipped by passing its URI) and opens it; the plan loads', async () => {
    rmSync(workspacePath(planFile), { force: true });
    const proposal = scratchUri('docs/proposal.md');
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>('relayout.createPlanFromProposal', proposal);
    assert.equal(created?.toString(), scratchUri(planFile).toString());

    const written = readFileSync(workspacePath(planFile), 'utf8');
    assert.equal(written, importProposal(readFileSync(proposal.fsPath, 'utf8'), 'docs/proposal.md', planFile).planText);
    const loaded = loadPlan(written, planFile);
    assert.ok(loaded.plan, `the drafted plan loads: ${JSON.stringify(loaded.problems.filter((problem) => problem.severity === 'error'))}`);
    assert.ok(loaded.plan.rules.length > 0 && loaded.plan.phases.length === 5);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), scratchUri(planFile).toString(), 'the plan is open');

    const model = await workspaceModel();
    await waitFor('the model to load the drafted plan', () => (model.flush().plan ? true : undefined));
  });

  it('with no plan, offers the bundled Bakery-IA plan for this workspace, and writes it', async () => {
    rmSync(workspacePath(planFile), { force: true });
    const model = await workspaceModel();
    const expected = defaultPlanFor(model.flush().graph.files());
    assert.ok(expected, "the sample's infrastructure/ is shaped like the proposal's");
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>('relayout.createBakeryPlan');
    assert.equal(created?.toString(), scratchUri(planFile).toString());
    assert.equal(readFileSync(workspacePath(planFile), 'utf8'), expected);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), scratchUri(planFile).toString(), 'the plan is open');
    assert.deepEqual(loadPlan(expected, planFile).problems.filter((problem) => problem.severity === 'error'), []);
  });
});
