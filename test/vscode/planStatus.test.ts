import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { commandIds } from '../../src/vscode/commands';
import { summarizePlanText } from '../../src/vscode/planStatus';
import { relayoutApi, scratchWorkspace, threeRulePlan, waitFor, waitForPlanStatus } from './support';

describe('Plan status', () => {
  let planPath: string;

  before(() => {
    planPath = vscode.Uri.joinPath(scratchWorkspace(), 'relayout.yaml').fsPath;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(planPath, { force: true });
    await waitForPlanStatus(await relayoutApi(), { state: 'none' });
  });

  it("reads the workspace's own plan at startup", async () => {
    const api = await relayoutApi();
    if (!existsSync(planPath)) {
      assert.equal(api.planStatus().state, 'none');
      return;
    }
    const rules = parse(readFileSync(planPath, 'utf8')).rules;
    assert.ok(Array.isArray(rules), 'the sample plan has a rules list');
    await waitForPlanStatus(api, { state: 'found', ruleCount: rules.length });
  });

  it("is 'none' with no relayout.yaml, then 'found' with 3 rules once one is written", async () => {
    const api = await relayoutApi();
    rmSync(planPath, { force: true });
    const none = await waitForPlanStatus(api, { state: 'none' });
    assert.equal(none.planUri?.fsPath, planPath);

    writeFileSync(planPath, threeRulePlan);
    const found = await waitForPlanStatus(api, { state: 'found' });
    assert.equal(found.state === 'found' && found.ruleCount, 3);
  });

  it('follows edits and deletion of the plan file through the file watcher', async () => {
    const api = await relayoutApi();
    writeFileSync(planPath, threeRulePlan);
    await waitForPlanStatus(api, { state: 'found', ruleCount: 3 });

    writeFileSync(planPath, `${threeRulePlan}  - from: scripts\n    to: tools/scripts\n`);
    await waitForPlanStatus(api, { state: 'found', ruleCount: 4 });

    writeFileSync(planPath, 'root: infrastructure\nrules:\n  - from: [a\n    to: b\n');
    const invalid = await waitForPlanStatus(api, { state: 'invalid' });
    assert.equal(invalid.state === 'invalid' && invalid.line, 4);

    rmSync(planPath);
    await waitForPlanStatus(api, { state: 'none' });
  });

  it('opens the plan file, at the offending line when it is invalid', async () => {
    const api = await relayoutApi();
    writeFileSync(planPath, 'root: infrastructure\n\nrules: move everything\n');
    await waitForPlanStatus(api, { state: 'invalid', line: 3 });

    await vscode.commands.executeCommand(commandIds.openPlan);
    const editor = await waitFor('the plan to open in an editor', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.fsPath, planPath);
    assert.equal(editor.selection.active.line, 2);
  });

  it('reads the plan file that the relayout.planFile setting names, in a folder created later', async () => {
    const api = await relayoutApi();
    const plansFolder = vscode.Uri.joinPath(scratchWorkspace(), 'plans').fsPath;
    const settings = vscode.workspace.getConfiguration('relayout');
    await settings.update('planFile', 'plans/bakery.yaml', vscode.ConfigurationTarget.Workspace);
    try {
      const planPath = `${plansFolder}/bakery.yaml`;
      const none = await waitFor('the plan status to follow the setting', () =>
        api.planStatus().planUri?.fsPath === planPath ? api.planStatus() : undefined,
      );
      assert.equal(none.state, 'none');

      // The new watcher is registered with the server asynchronously and nothing signals when it is live, so
      // the file is written again each second until the status follows: only the watcher can make it follow.
      mkdirSync(plansFolder);
      let lastWrite = 0;
      const found = await waitFor('the watcher on plans/bakery.yaml to report it', () => {
        const status = api.planStatus();
        if (status.state === 'found' && status.ruleCount === 3) return status;
        if (Date.now() - lastWrite > 1_000) {
          writeFileSync(planPath, threeRulePlan);
          lastWrite = Date.now();
        }
        return undefined;
      });
      assert.equal(found.planUri?.fsPath, planPath);
    } finally {
      await settings.update('planFile', undefined, vscode.ConfigurationTarget.Workspace);
      rmSync(plansFolder, { recursive: true, force: true });
    }
  });

  it('re-reads the plan on the refresh command', async () => {
    const api = await relayoutApi();
    writeFileSync(planPath, threeRulePlan);
    await waitForPlanStatus(api, { state: 'found', ruleCount: 3 });

    writeFileSync(planPath, 'rules: []\n');
    const refreshed = await vscode.commands.executeCommand(commandIds.refreshLayout);
    assert.deepEqual(refreshed, api.planStatus());
    assert.equal(refreshed && (refreshed as { ruleCount?: number }).ruleCount, 0);
  });
});

describe('Plan file summary', () => {
  it('counts the entries of the top-level rules list', () => {
    assert.deepEqual(summarizePlanText(threeRulePlan), { state: 'found', ruleCount: 3 });
    assert.deepEqual(summarizePlanText('rules: []\n'), { state: 'found', ruleCount: 0 });
  });

  it('reads a plan without rules, or an empty file, as a plan with no rules yet', () => {
    assert.deepEqual(summarizePlanText('root: infrastructure\n'), { state: 'found', ruleCount: 0 });
    assert.deepEqual(summarizePlanText('# nothing yet\n'), { state: 'found', ruleCount: 0 });
    assert.deepEqual(summarizePlanText('root: infrastructure\nrules:\n'), { state: 'found', ruleCount: 0 });
    assert.deepEqual(summarizePlanText(''), { state: 'found', ruleCount: 0 });
  });

  it('reports invalid YAML with the line of the first error', () => {
    assert.deepEqual(summarizePlanText('root: x\nrules:\n\t- from: a\n'), {
      state: 'invalid',
      line: 3,
      problem: 'Tabs are not allowed as indentation',
    });
    assert.deepEqual(summarizePlanText('rules:\n  - from: a\nroot: x\nrules:\n  - from: b\n'), {
      state: 'invalid',
      line: 4,
      problem: 'Map keys must be unique',
    });
  });

  it('reports a plan that is not a mapping, and rules that are not a list', () => {
    assert.deepEqual(summarizePlanText('- a\n- b\n'), {
      state: 'invalid',
      line: 1,
      problem: 'the plan must be a mapping',
    });
    assert.deepEqual(summarizePlanText('root: x\nrules:\n  from: a\n'), {
      state: 'invalid',
      line: 3,
      problem: '`rules` must be a list',
    });
    assert.deepEqual(summarizePlanText('root: x\nrules: everything\n'), {
      state: 'invalid',
      line: 2,
      problem: '`rules` must be a list',
    });
  });
});
