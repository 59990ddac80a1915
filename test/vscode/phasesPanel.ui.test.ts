import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from '../../src/vscode/commands';
import type { PhaseRunResult } from '../../src/vscode/phases/phaseRunner';
import { PHASE_PANEL_VIEW_TYPE, type PanelModel } from '../../src/vscode/phases/protocol';
import { committedSample, differences, fingerprint, resetToSample, setPreview, workspacePath } from './sampleWorkspace';
import { relayoutApi, waitFor } from './support';
import { skipWithoutUiBridge, ui, uiBridgeUrl } from './uiBridge';

const tekton = 'infrastructure/cicd/tekton/kustomization.yaml';

function stepStatus(step: string): string | undefined {
  const path = workspacePath('.relayout/state.json');
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, 'utf8')) as { steps: Record<string, { status: string }> }).steps[step]?.status;
}

/** Shows the panel alone (reports opened beside it closed), with the notifications of earlier runs cleared away. */
async function showPanel(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand(commandIds.showPhaseProgress);
  await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
  await ui({ action: 'waitFor', selector: '#phases .phase', webview: true });
}

/** Waits until the panel's webview shows text matching `expected`; resolves with the text. */
async function webviewShows(expected: RegExp): Promise<string> {
  let last = '';
  return waitFor(
    () => `the panel to show ${expected}; it shows:\n${last}`,
    async () => {
      last = (await ui({ action: 'text', selector: '#phases', webview: true })) ?? '';
      return expected.test(last) ? last : undefined;
    },
    20_000,
  );
}

async function runPhase(phase: string): Promise<void> {
  const result = await vscode.commands.executeCommand<PhaseRunResult | undefined>(commandIds.runPhase, phase, { yes: true });
  assert.ok(result?.ok, `${phase}: ${result?.outcomes.map((o) => `${o.step} ${o.status}: ${o.summary}`).join('; ')}`);
}

/** The model the panel shows once it matches `check`. */
async function panelShowing(what: string, check: (model: Extract<PanelModel, { kind: 'plan' }>) => boolean): Promise<Extract<PanelModel, { kind: 'plan' }>> {
  const api = await relayoutApi();
  return waitFor(`the panel to show ${what}`, () => {
    const shown = api.phases.panel?.shown;
    return shown?.kind === 'plan' && check(shown) ? shown : undefined;
  }, 20_000);
}

/** A row of the Refactor Preview (in the panel area). */
const refactorPreviewRow = '.part.panel .monaco-list-row';

/** The tree without Relayout's bookkeeping under .relayout/. */
function tree(root?: string): Map<string, string> {
  return new Map([...fingerprint(root)].filter(([path]) => !path.startsWith('.relayout/')));
}

/**
 * Ticks every change in the open Refactor Preview ("always" leaves them all unticked): grouped by file and folded,
 * every file is a row with one checkbox for all its changes. The list draws only the rows in view, so it pages down
 * until no unticked row is left.
 */
async function tickEveryChange(): Promise<void> {
  const unticked = `${refactorPreviewRow} input.edit-checkbox:not(:checked)`;
  await ui({ action: 'waitFor', selector: refactorPreviewRow, hasText: 'Makefile' });
  // The first tick also gives the list the focus, for the folding and the paging.
  await ui({ action: 'click', selector: unticked });
  await vscode.commands.executeCommand('list.collapseAll');
  let misses = 0;
  while (misses < 2) {
    const ticked = await ui({ action: 'click', selector: unticked, timeoutMs: 2_000 }).then(
      () => true,
      () => false,
    );
    if (ticked) {
      misses = 0;
    } else {
      misses++;
      await ui({ action: 'press', key: 'PageDown' });
    }
  }
  await ui({ action: 'screenshot', name: 'step-refactor-preview-ticked' });
}

describe('Phase progress panel in the workbench (UI)', function () {
  this.timeout(240_000);

  before(function () {
    skipWithoutUiBridge(this);
  });

  beforeEach(async () => {
    await resetToSample();
    // Move steps with probable edits wait in the Refactor Preview; the tests that look at it say so.
    await setPreview('never');
  });

  afterEach(async () => {
    // A test that failed with the Refactor Preview open must not leave its step waiting on it.
    await vscode.commands.executeCommand('refactorPreview.discard').then(undefined, () => undefined);
  });

  after(async () => {
    if (!uiBridgeUrl) return;
    await setPreview(undefined);
    (await relayoutApi()).phases.panel?.dispose();
    await resetToSample();
  });

  it('renders the five phases, runs a step and rolls back from its buttons, and updates as files move', async () => {
    await showPanel();
    const text = await webviewShows(/Phase 5: Finalization/);
    for (const title of ['Phase 1: Preparation and Planning', 'Phase 2: Non-Critical Components', 'Phase 3: Environment-Specific Components', 'Phase 4: Service Components', 'Phase 5: Finalization']) {
      assert.ok(text.includes(title), `the panel shows ${title}:\n${text}`);
    }
    assert.match(text, /Files moved 0\/42\b/, 'phase 2 has 42 files to move');
    await ui({ action: 'waitFor', selector: 'button#roll-back:disabled', webview: true });
    await ui({ action: 'screenshot', name: 'panel-start' });

    // Keyboard: a phase folds with a click and unfolds with Enter on its still-focused heading button.
    await ui({ action: 'click', selector: 'button#phase-title-phase-1', webview: true });
    await ui({ action: 'waitFor', selector: 'button#phase-title-phase-1[aria-expanded="false"]', webview: true });
    await ui({ action: 'press', key: 'Enter' });
    await ui({ action: 'waitFor', selector: 'button#phase-title-phase-1[aria-expanded="true"]', webview: true });

    // Run a step with its button: the report is written and opens in the preview; the panel says it is done.
    await ui({ action: 'click', selector: 'button[aria-label="Run step Inventory Analysis"]', webview: true });
    await waitFor('the inventory step to finish', () => (stepStatus('inventory-analysis') === 'done' ? true : undefined), 30_000);
    assert.ok(existsSync(workspacePath('.relayout/reports/inventory.md')));
    await panelShowing('the inventory step done', (model) => model.phases[0]!.steps[0]!.complete && model.lastStep?.id === 'inventory-analysis');
    // The report opens in the preview beside the panel, which stays in view.
    const preview = await waitFor('the report preview beside the panel', () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.label === 'Preview inventory.md'),
    );
    const panelTab = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.label === 'Relayout: Phase Progress');
    assert.ok(panelTab && panelTab.isActive && panelTab.group !== preview.group, 'the panel is still shown, in its own group');
    await vscode.window.tabGroups.close(preview);
    await showPanel();
    await ui({ action: 'waitFor', selector: 'button[aria-label="Re-run step Inventory Analysis"]', webview: true });

    // The rest of phase 1 and phase 2 from the palette: the panel follows the files as they move.
    await runPhase('phase-1');
    await runPhase('phase-2');
    await showPanel();
    await panelShowing('phase 2 moved', (model) => model.phases[1]!.files.done === 42 && model.lastStep?.id === 'ci-cd');
    await webviewShows(/Files moved 42\/42\b/);
    await ui({ action: 'screenshot', name: 'panel-midway' });

    // Roll back with the panel's button: the newest step (CI/CD) is undone, and the panel says so.
    assert.ok(existsSync(workspacePath(tekton)));
    await ui({ action: 'click', selector: 'button#roll-back', hasText: 'CI/CD', webview: true });
    await waitFor('the CI/CD step to be rolled back', () => (existsSync(workspacePath(tekton)) ? undefined : true), 30_000);
    assert.equal(stepStatus('ci-cd'), 'not-started');
    const rolledBack = await panelShowing('CI/CD pending again', (model) => !model.phases[1]!.steps[3]!.complete && model.lastStep?.id === 'monitoring');
    assert.deepEqual(rolledBack.next, { phase: 'phase-2', step: 'ci-cd' });
    await ui({ action: 'waitFor', selector: 'button[aria-label="Run step CI/CD"]', webview: true });

    // Run Next Step from the toolbar carries out CI/CD again.
    await ui({ action: 'click', selector: 'button#run-next', webview: true });
    await waitFor('the CI/CD step to run again', () => (existsSync(workspacePath(tekton)) ? true : undefined), 30_000);
    await waitFor('the state to record it', () => (stepStatus('ci-cd') === 'done' ? true : undefined));

    for (const phase of ['phase-3', 'phase-4', 'phase-5']) await runPhase(phase);
    await showPanel();
    const end = await panelShowing('every step complete', (model) => model.next === undefined);
    assert.ok(end.phases.every((phase) => phase.files.done === phase.files.total));
    assert.ok(end.phases.every((phase) => phase.validations.passed === phase.validations.total));
    await ui({ action: 'waitFor', selector: 'button#run-next:disabled', webview: true });
    // Phases 1 to 4 folded, so that every phase's bars show at once.
    for (const phase of ['phase-1', 'phase-2', 'phase-3', 'phase-4']) {
      await ui({ action: 'click', selector: `button#phase-title-${phase}`, webview: true });
      await ui({ action: 'waitFor', selector: `button#phase-title-${phase}[aria-expanded="false"]`, webview: true });
    }
    await ui({ action: 'screenshot', name: 'panel-end' });
  });

  it('runs a move step from the command through the Refactor Preview ("always"): discarded, nothing changes; applied, the files move', async () => {
    await setPreview('always');
    const sample = tree(committedSample());
    await vscode.commands.executeCommand('notifications.clearAll');
    const discarding = vscode.commands.executeCommand<PhaseRunResult | undefined>(commandIds.runStep, 'ci-cd');
    await ui({ action: 'waitFor', selector: refactorPreviewRow, hasText: 'Makefile' });
    await ui({ action: 'waitFor', selector: '.notification-toast', hasText: 'check the changes in the Refactor Preview' });
    assert.deepEqual(differences(sample, tree()), [], 'nothing is written while the preview is open');
    await ui({ action: 'screenshot', name: 'step-refactor-preview' });
    await ui({ action: 'click', selector: '.monaco-button', hasText: 'Discard' });
    const discarded = await discarding;
    assert.equal(discarded?.outcomes[0]?.status, 'cancelled');
    assert.equal(discarded.outcomes[0]!.summary, 'the changes were discarded in the Refactor Preview; nothing of it was kept');
    assert.deepEqual(differences(sample, tree()), []);
    assert.equal(stepStatus('ci-cd'), undefined, 'the step is not run');
    for (const left of ['.relayout/journal.json', '.relayout/baseline.json', '.relayout/reports/ci-cd.md']) assert.ok(!existsSync(workspacePath(left)), `no ${left}`);

    const applying = vscode.commands.executeCommand<PhaseRunResult | undefined>(commandIds.runStep, 'ci-cd');
    await tickEveryChange();
    await ui({ action: 'click', selector: '.monaco-button', hasText: 'Apply' });
    const applied = await applying;
    assert.ok(applied?.ok, JSON.stringify(applied?.outcomes));
    assert.ok(existsSync(workspacePath(tekton)));
    assert.equal(stepStatus('ci-cd'), 'done');
    const rolledBack = await vscode.commands.executeCommand<{ step: string } | undefined>(commandIds.rollBackLastStep);
    assert.equal(rolledBack?.step, 'ci-cd');
    assert.deepEqual(differences(sample, tree()), [], 'the rollback restores the sample byte for byte');
  });

  it('runs a move step from the panel button through the Refactor Preview, applies what is ticked, and rolls back exactly that', async () => {
    await setPreview(undefined);
    const sample = tree(committedSample());
    await showPanel();
    await ui({ action: 'click', selector: 'button[aria-label="Run step CI/CD"]', webview: true });
    // The default preview ("probable"): the renames and exact edits are ticked, the probable ones wait unticked.
    await ui({ action: 'waitFor', selector: refactorPreviewRow, hasText: 'Makefile' });
    await ui({ action: 'screenshot', name: 'step-refactor-preview-from-panel' });
    await ui({ action: 'click', selector: '.monaco-button', hasText: 'Apply' });
    await waitFor('the CI/CD step to be done', () => (stepStatus('ci-cd') === 'done' ? true : undefined), 30_000);
    assert.ok(existsSync(workspacePath(tekton)));
    const moved = differences(sample, tree());
    assert.ok(moved.includes(`added: ${tekton}`), moved.join('\n'));
    await panelShowing('CI/CD done', (model) => model.phases[1]!.steps[3]!.complete && model.lastStep?.id === 'ci-cd');

    await ui({ action: 'click', selector: 'button#roll-back', hasText: 'CI/CD', webview: true });
    await waitFor('the CI/CD step to be rolled back', () => (stepStatus('ci-cd') === 'not-started' ? true : undefined), 30_000);
    assert.deepEqual(differences(sample, tree()), [], 'what was applied, and only that, is undone: the sample byte for byte');
    await panelShowing('CI/CD pending again', (model) => !model.phases[1]!.steps[3]!.complete);
  });

  it('stops a run cancelled from its progress notification, with no step half done', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const running = vscode.commands.executeCommand<PhaseRunResult | undefined>(commandIds.runPhase, 'phase-1');
    await ui({ action: 'waitFor', selector: '.notification-toast', hasText: 'Relayout: Preparation and Planning' });
    await ui({ action: 'click', selector: '.notification-toast .monaco-button', hasText: 'Cancel' });
    const result = await running;
    assert.ok(result && !result.ok, 'the run reports that it did not finish');
    const last = result.outcomes[result.outcomes.length - 1]!;
    assert.equal(last.status, 'cancelled', result.outcomes.map((o) => `${o.step} ${o.status}`).join(', '));
    // The cancelled step left no trace: no state entry (or the one it had before) and none left running.
    for (const outcome of result.outcomes) {
      const status = stepStatus(outcome.step);
      assert.equal(status, outcome.status === 'done' ? 'done' : undefined, `${outcome.step}: ${status}`);
    }
    if (last.step === 'backup-strategy') assert.ok(!existsSync(workspacePath('.relayout/backups')), 'no half-made backup');
  });

  it('follows a file moved outside the editor (a terminal mv) and moved back', async () => {
    await showPanel();
    await webviewShows(/Files moved 0\/42\b/);
    const api = await relayoutApi();
    const plan = api.model!.snapshot().plan!;
    const scriptRules = new Set(plan.phases[1]!.steps.flatMap((step) => step.rules));
    const move = api.model!.snapshot().compiled!.moves.find((candidate) => !candidate.folder && scriptRules.has(candidate.rule));
    assert.ok(move, 'phase 2 moves a single file');
    mkdirSync(dirname(workspacePath(move.to)), { recursive: true });
    renameSync(workspacePath(move.from), workspacePath(move.to));
    await webviewShows(/Files moved 1\/42\b/);
    renameSync(workspacePath(move.to), workspacePath(move.from));
    await webviewShows(/Files moved 0\/42\b/);
  });

  it('follows the color theme: dark and high contrast', async () => {
    await showPanel();
    const workbench = vscode.workspace.getConfiguration('workbench');
    try {
      for (const [theme, bodyClass, shot] of [
        ['Default Dark Modern', 'vscode-dark', 'panel-dark'],
        ['Default High Contrast', 'vscode-high-contrast', 'panel-high-contrast'],
      ] as const) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await ui({ action: 'waitFor', selector: `body.${bodyClass} #phases .phase`, webview: true });
        await vscode.commands.executeCommand('notifications.clearAll');
        await ui({ action: 'screenshot', name: shot });
      }
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
    await ui({ action: 'waitFor', selector: 'body.vscode-light #phases .phase', webview: true });
  });

  it('shows the walkthrough with its three steps, and its phase 1 step opens the panel', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'relayout.relayout#relayout.gettingStarted', false);
    await ui({ action: 'waitFor', selector: '.gettingStartedContainer', hasText: 'Get Started with Relayout' });
    for (const title of ['Open or create the plan', 'Look at the proposed layout', 'Run phase 1']) {
      await ui({ action: 'waitFor', selector: '.gettingStartedContainer .getting-started-step', hasText: title });
    }
    await ui({ action: 'click', selector: '.gettingStartedContainer .getting-started-step', hasText: 'Run phase 1' });
    await ui({ action: 'waitFor', selector: '.gettingStartedContainer .getting-started-step.expanded', hasText: 'Run phase 1' });
    // Its media: media/walkthrough/phase1.md, rendered beside the steps.
    await ui({ action: 'waitFor', selector: 'h1', hasText: 'Phase 1: Preparation and Planning', webview: true });
    await ui({ action: 'screenshot', name: 'walkthrough' });
    await ui({ action: 'click', selector: '.gettingStartedContainer .getting-started-step.expanded a', hasText: 'Show Phase Progress' });
    await ui({ action: 'waitFor', selector: '#phases .phase', webview: true });
    assert.ok((await relayoutApi()).phases.panel, 'the panel is open');
  });

  it('comes back in a panel VS Code restores after a reload (the serializer path), drawing its saved state', async () => {
    const api = await relayoutApi();
    api.phases.panel?.dispose();
    const restored = vscode.window.createWebviewPanel(PHASE_PANEL_VIEW_TYPE, 'Relayout: Phase Progress', vscode.ViewColumn.Active, {});
    const panel = api.phases.revive(restored);
    assert.ok(panel);
    assert.equal(api.phases.panel, panel, 'the revived panel is the one Show Phase Progress reveals');
    await ui({ action: 'waitFor', selector: 'button[aria-label="Run step Inventory Analysis"]', webview: true });
    await panelShowing('the plan', (model) => model.phases.length === 5);
    await vscode.commands.executeCommand(commandIds.showPhaseProgress);
    assert.equal(api.phases.panel, panel, 'Show Phase Progress reveals the revived panel rather than opening another');
  });
});
