import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { relayoutApi, relayoutExtension, scratchWorkspace, threeRulePlan, waitFor, waitForPlanStatus } from './support';
import { skipWithoutUiBridge, ui } from './uiBridge';

const relayoutActivityItem = '.activitybar .action-item a[aria-label^="Relayout"]';
const proposedLayoutPane = '.pane:has(.pane-header[aria-label^="Proposed Layout"])';
// A container with one view shows the view's name in the sidebar title and hides the pane header; with several
// views each pane header shows its own.
const viewTitle = '.part.sidebar .title-label h2, .part.sidebar .pane-header:not(.hidden) h3.title';

describe('Relayout sidebar in the workbench (UI)', function () {
  let planPath: string;

  before(function () {
    skipWithoutUiBridge(this);
    planPath = vscode.Uri.joinPath(scratchWorkspace(), 'relayout.yaml').fsPath;
  });

  after(async () => {
    if (!planPath) return;
    rmSync(planPath, { force: true });
    await waitForPlanStatus(await relayoutApi(), { state: 'none' });
  });

  it('opens from the activity bar and shows the Proposed Layout view with its no-plan welcome', async () => {
    const api = await relayoutApi();
    rmSync(planPath, { force: true });
    await waitForPlanStatus(api, { state: 'none' });

    await ui({ action: 'click', selector: relayoutActivityItem });
    await ui({ action: 'waitFor', selector: viewTitle, hasText: 'Proposed Layout' });
    const welcome = await ui({ action: 'text', selector: `${proposedLayoutPane} .welcome-view-content` });
    assert.match(welcome ?? '', /^No plan found\./);
    await ui({ action: 'screenshot', name: 'sidebar-no-plan' });
  });

  it('shows what keeps a plan from loading, then the proposed layout once the plan loads', async () => {
    const api = await relayoutApi();
    writeFileSync(planPath, threeRulePlan);
    await waitForPlanStatus(api, { state: 'found', ruleCount: 3 });
    const problemRow = { selector: `${proposedLayoutPane} .monaco-list-row`, hasText: 'Plan has a problem' };
    const problemText = await ui({ action: 'text', ...problemRow });
    assert.match(problemText ?? '', /^Plan has a problem: line 2\s*The plan needs `version`\.$/);
    await ui({ action: 'waitFor', selector: `${proposedLayoutPane} .welcome-view-content`, state: 'hidden' });

    const samplePlan = readFileSync(join(relayoutExtension().extensionPath, 'sample', 'bakery-ia', 'relayout.yaml'), 'utf8');
    writeFileSync(planPath, samplePlan);
    const row = { selector: `${proposedLayoutPane} .monaco-list-row`, hasText: 'environments' };
    const rowText = await ui({ action: 'text', ...row });
    assert.match(rowText ?? '', /^environments\s*0\/31 moved$/);
    await ui({ action: 'screenshot', name: 'sidebar-plan-found' });
  });

  it('shows where an invalid plan is wrong, and clicking the line opens the plan there', async () => {
    const api = await relayoutApi();
    writeFileSync(planPath, 'root: infrastructure\nrules:\n\t- from: a\n');
    await waitForPlanStatus(api, { state: 'invalid', line: 3 });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const row = { selector: `${proposedLayoutPane} .monaco-list-row`, hasText: 'Plan is not valid' };
    const rowText = await ui({ action: 'text', ...row });
    assert.match(rowText ?? '', /^Plan is not valid: line 3\s*Tabs are not allowed as indentation$/);
    await ui({ action: 'screenshot', name: 'sidebar-plan-invalid' });
    await ui({ action: 'click', ...row });

    const editor = await waitFor('the plan to open from the view', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === planPath ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.selection.active.line, 2);
  });

  it('runs "Relayout: Open Plan" from the command palette', async () => {
    const api = await relayoutApi();
    writeFileSync(planPath, threeRulePlan);
    await waitForPlanStatus(api, { state: 'found', ruleCount: 3 });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    await ui({ action: 'press', key: 'F1' });
    await ui({ action: 'waitFor', selector: '.quick-input-widget .quick-input-box input' });
    await ui({ action: 'type', text: 'Relayout: Open Plan' });
    const entry = { selector: '.quick-input-widget .monaco-list-row', hasText: 'Relayout: Open Plan' };
    await ui({ action: 'waitFor', ...entry });
    await ui({ action: 'click', ...entry });

    const editor = await waitFor('the plan to open from the palette', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === planPath ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.document.getText(), threeRulePlan);
    await ui({ action: 'screenshot', name: 'command-palette-open-plan' });
  });
});
