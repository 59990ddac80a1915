import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { relayoutApi, relayoutExtension, scratchWorkspace, threeRulePlan, waitFor } from './support';

const untrustedSessionOnly =
  'runs only in the untrusted session of `npm run test:vscode`, which opens its workspace with workspace trust on';

describe('Untrusted workspace (restricted mode)', function () {
  before(function () {
    if (process.env.RELAYOUT_TEST_SESSION !== 'untrusted') {
      console.log(`Skipping "${this.test?.parent?.title}": ${untrustedSessionOnly}`);
      this.skip();
    }
  });

  it('activates in restricted mode', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is opened untrusted');
    const extension = relayoutExtension();
    await waitFor('the extension to activate in restricted mode', () => (extension.isActive ? true : undefined));
  });

  it('ignores a plan file location set by the workspace until it is trusted', async () => {
    const api = await relayoutApi();
    const workspace = scratchWorkspace();
    const planPath = vscode.Uri.joinPath(workspace, 'relayout.yaml').fsPath;
    const settingsFolder = vscode.Uri.joinPath(workspace, '.vscode').fsPath;
    writeFileSync(planPath, threeRulePlan);
    mkdirSync(vscode.Uri.joinPath(workspace, 'plans').fsPath, { recursive: true });
    writeFileSync(vscode.Uri.joinPath(workspace, 'plans', 'elsewhere.yaml').fsPath, 'rules:\n  - from: a\n    to: b\n');
    mkdirSync(settingsFolder, { recursive: true });
    writeFileSync(
      vscode.Uri.joinPath(workspace, '.vscode', 'settings.json').fsPath,
      JSON.stringify({ 'editor.tabSize': 3, 'relayout.planFile': 'plans/elsewhere.yaml' }),
    );
    // An unrestricted setting from the same file shows that the workspace settings have been read.
    await waitFor('the workspace settings to load', () =>
      vscode.workspace.getConfiguration('editor').get('tabSize') === 3 ? true : undefined,
    );
    assert.equal(vscode.workspace.getConfiguration('relayout').get('planFile'), 'relayout.yaml');

    const status = await api.refreshPlanStatus();
    assert.equal(status.state, 'found');
    assert.equal(status.planUri?.fsPath, planPath);
    assert.equal(status.state === 'found' && status.ruleCount, 3);
  });
});
