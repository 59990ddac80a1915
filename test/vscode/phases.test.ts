import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import * as vscode from 'vscode';
import { runCli } from '../../src/cli/main';
import { runSteps, type RollbackOutcome } from '../../src/core/phases/run';
import { selectSteps } from '../../src/core/plan/select';
import { findKustomizeTool } from '../../src/core/verify/kustomizeTool';
import type { VerifyReport } from '../../src/core/verify/verify';
import { commandIds } from '../../src/vscode/commands';
import type { PhaseRunResult } from '../../src/vscode/phases/phaseRunner';
import { committedSample, differences, fingerprint, resetToSample, setPreview, workspacePath } from './sampleWorkspace';
import { relayoutApi, relayoutExtension, scratchWorkspace, waitFor } from './support';

/** The tree without Relayout's own bookkeeping (state, reports, backups, journals under .relayout/). */
function tree(root?: string): Map<string, string> {
  return new Map([...fingerprint(root)].filter(([path]) => !path.startsWith('.relayout/')));
}

function state(): { steps: Record<string, { status: string; summary?: string; reports: string[] }> } {
  return JSON.parse(readFileSync(workspacePath('.relayout/state.json'), 'utf8'));
}

async function run(command: string, ...args: unknown[]): Promise<PhaseRunResult> {
  const result = await vscode.commands.executeCommand<PhaseRunResult | undefined>(command, ...args);
  assert.ok(result, `${command} ${args.join(' ')} ran`);
  return result;
}

function describeRun(result: PhaseRunResult): string {
  return result.outcomes.map((outcome) => `${outcome.step}: ${outcome.status}: ${outcome.summary}`).join('\n');
}

function phaseDiagnostics(): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages
    .getDiagnostics()
    .map(([uri, diagnostics]): [vscode.Uri, vscode.Diagnostic[]] => [uri, diagnostics.filter((d) => d.source === 'Relayout phases')])
    .filter(([, diagnostics]) => diagnostics.length > 0);
}

/** `relayout ARGS --root WORKSPACE`, as typed in a terminal, run in this process; resolves with its exit status and output. */
async function relayoutCli(...args: string[]): Promise<{ status: number; output: string }> {
  let output = '';
  const sink = { write: (text: string) => (output += text) };
  const root = scratchWorkspace().fsPath;
  const status = await runCli([...args, '--root', root], { stdout: sink, stderr: sink, stdin: new PassThrough(), isTTY: false, cwd: root, env: process.env });
  return { status, output };
}

/**
 * Lets the move tracker see the file events of what just happened: the watcher's events, the model's gathering of
 * them, the tracker's pairing delay and window all pass. Only the absence of a detection is checked after it.
 */
async function trackerSettled(): Promise<void> {
  (await relayoutApi()).model!.flush();
  await new Promise((resolve) => setTimeout(resolve, 2_500));
}

describe('Phase runner commands', function () {
  this.timeout(180_000);

  beforeEach(async () => {
    await resetToSample();
    // Move steps with probable edits would wait in the Refactor Preview; the UI tests look at it.
    await setPreview('never');
  });

  after(async () => {
    await setPreview(undefined);
    await resetToSample();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const { diagnostics } = (await relayoutApi()).phases;
    for (const group of ['verify', 'impact']) diagnostics!.clear(group);
  });

  it('runs phase 1: the reports, the backup and the baseline, the impact in the Problems panel, the tree untouched', async () => {
    const before = tree();
    const result = await run(commandIds.runPhase, 'phase-1');
    assert.ok(result.ok, describeRun(result));
    assert.deepEqual(
      result.outcomes.map((outcome) => [outcome.step, outcome.status]),
      [
        ['inventory-analysis', 'done'],
        ['dependency-mapping', 'done'],
        ['impact-assessment', 'done'],
        ['backup-strategy', 'done'],
      ],
    );
    for (const report of ['inventory', 'dependency-map', 'impact']) {
      assert.ok(existsSync(workspacePath(`.relayout/reports/${report}.md`)), `${report} report written`);
    }
    assert.match(readFileSync(workspacePath('.relayout/reports/inventory.md'), 'utf8'), /^# Inventory of infrastructure\n\n177 files in /);
    assert.ok(existsSync(workspacePath('.relayout/baseline.json')), 'the verification baseline');
    const saved = state().steps;
    assert.deepEqual(
      ['inventory-analysis', 'dependency-mapping', 'impact-assessment', 'backup-strategy'].map((id) => saved[id]?.status),
      ['done', 'done', 'done', 'done'],
    );
    // The scratch copy is not a git repository: the backup is a snapshot of the tree.
    const backup = /snapshot (\.relayout\/backups\/[^;]+)/.exec(saved['backup-strategy']!.summary ?? '');
    assert.ok(backup, `a snapshot backup: ${saved['backup-strategy']!.summary}`);
    assert.ok(readdirSync(workspacePath(backup[1]!)).length > 0, 'the snapshot holds the tree');
    assert.deepEqual(differences(before, tree()), [], 'phase 1 writes only under .relayout/');

    const problems = phaseDiagnostics().flatMap(([, diagnostics]) => diagnostics);
    assert.ok(problems.some((d) => d.code === 'impact-assessment' && d.message.startsWith('Needs review')), 'needs-review items');
    assert.ok(problems.some((d) => d.message.startsWith('Kustomize load restrictor')), 'load-restrictor fixes');
    const { diagnostics } = (await relayoutApi()).phases;
    assert.ok(diagnostics!.count('impact-assessment') > 0);

    // Reset to the sample (the state file goes): the steps' problems go with it.
    await resetToSample();
    await waitFor('the impact problems to go', () => (diagnostics!.count('impact-assessment') === 0 ? true : undefined));
  });

  it('runs the next step, re-runs a step, and rolls steps back; the backup rollback restores the tree byte for byte', async () => {
    const sample = tree(committedSample());
    const first = await run(commandIds.runNextStep);
    assert.deepEqual(first.outcomes.map((o) => [o.step, o.status]), [['inventory-analysis', 'done']]);
    await run(commandIds.runPhase, 'phase-1');
    const afterBackup = tree();
    assert.deepEqual(differences(sample, afterBackup), []);

    // Phase 2 moves scripts, monitoring and CI/CD and writes documentation.
    const phase2 = await run(commandIds.runPhase, 'phase-2');
    assert.ok(phase2.ok, describeRun(phase2));
    assert.ok(existsSync(workspacePath('infrastructure/cicd/tekton/kustomization.yaml')), 'the CI/CD step moved tekton');
    assert.ok(existsSync(workspacePath('infrastructure/monitoring/signoz/dashboards/index.json')), 'the monitoring step moved the dashboards');
    assert.notDeepEqual(differences(afterBackup, tree()), []);

    // Each roll back undoes the newest step: CI/CD first.
    const ciCd = await vscode.commands.executeCommand<RollbackOutcome | undefined>(commandIds.rollBackLastStep);
    assert.equal(ciCd?.step, 'ci-cd');
    assert.ok(!existsSync(workspacePath('infrastructure/cicd/tekton/kustomization.yaml')), 'tekton is back');
    assert.ok(existsSync(workspacePath('infrastructure/monitoring/signoz/dashboards/index.json')), 'the monitoring step stays');
    assert.equal(state().steps['ci-cd']?.status, 'not-started');

    // Re-running a step that is done runs it again.
    const rerun = await run(commandIds.runStep, 'ci-cd');
    assert.deepEqual(rerun.outcomes.map((o) => [o.step, o.status]), [['ci-cd', 'done']]);
    assert.ok(existsSync(workspacePath('infrastructure/cicd/tekton/kustomization.yaml')));

    for (const step of ['ci-cd', 'monitoring', 'scripts', 'documentation']) {
      const outcome = await vscode.commands.executeCommand<RollbackOutcome | undefined>(commandIds.rollBackLastStep);
      assert.equal(outcome?.step, step);
    }
    assert.deepEqual(differences(afterBackup, tree()), [], 'rolling back phase 2 step by step gives back the tree of the backup');

    // Now the backup step is the newest: rolling it back restores the tree from the snapshot.
    const backupStep = await vscode.commands.executeCommand<RollbackOutcome | undefined>(commandIds.rollBackLastStep);
    assert.equal(backupStep?.step, 'backup-strategy');
    assert.deepEqual(differences(sample, tree()), [], 'the tree is the sample byte for byte');
  });

  it('Show Inventory and Show Impact open generated reports in the Markdown preview; Verify reports in the Problems panel', async () => {
    const inventory = await vscode.commands.executeCommand<vscode.Uri | undefined>(commandIds.showInventory);
    assert.ok(inventory);
    const inventoryText = (await vscode.workspace.openTextDocument(inventory)).getText();
    assert.match(inventoryText, /^# Inventory of infrastructure\n\n177 files in \d+ folders\./);

    const impact = await vscode.commands.executeCommand<{ steps: { step: string; files: number }[] } | undefined>(commandIds.showImpact);
    assert.ok(impact);
    const api = await relayoutApi();
    const plan = api.model!.snapshot().plan!;
    const moveSteps = plan.phases.flatMap((phase) => phase.steps.filter((step) => step.action === 'move').map((step) => step.id));
    assert.deepEqual(impact.steps.map((step) => step.step).sort(), [...moveSteps].sort(), 'every move step has its impact');
    const pending = api.model!.snapshot().compiled!.moves.reduce((sum, move) => sum + move.files, 0);
    assert.ok(impact.steps.reduce((sum, step) => sum + step.files, 0) >= pending, 'every file of the plan is still to move');
    assert.ok(phaseDiagnostics().some(([, diagnostics]) => diagnostics.some((d) => d.code === 'impact')), 'impact items in the Problems panel');

    // Without a baseline, verify wants every reference to resolve; the sample has one broken on purpose.
    const report = await vscode.commands.executeCommand<VerifyReport | undefined>(commandIds.verify);
    assert.ok(report);
    const broken = report.references.introduced;
    const verifyProblems = phaseDiagnostics().flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.code === 'verify').map((d) => ({ uri, d })));
    assert.equal(verifyProblems.filter(({ d }) => d.message.startsWith('Broken reference')).length, broken.length);
    for (const ref of broken) {
      assert.ok(
        verifyProblems.some(({ uri, d }) => uri.fsPath === workspacePath(ref.from) && d.range.start.line === ref.line - 1),
        `${ref.from}:${ref.line} is in the Problems panel`,
      );
    }
    assert.equal(report.passed, broken.length === 0 && report.references.lost.length === 0 && (report.renders.status === 'skipped' || report.renders.passed));
  });

  it('applies move steps as WorkspaceEdits that leave the tree the CLI leaves, byte for byte, and rolls them back byte for byte', async () => {
    const api = await relayoutApi();
    const model = api.model!;
    const plan = model.snapshot().plan!;
    const sample = tree(committedSample());
    const detected: string[] = [];
    const renamedByVsCode: string[] = [];
    const listeners = [
      api.tracker!.onDidDetectMoves((moves) => detected.push(...moves.map((move) => `${move.from} → ${move.to}`))),
      vscode.workspace.onDidRenameFiles((event) => renamedByVsCode.push(...event.files.map((file) => model.relativePath(file.newUri) ?? ''))),
    ];
    const cli = mkdtempSync(join(tmpdir(), 'relayout-cli-'));
    try {
      cpSync(committedSample(), cli, { recursive: true });
      const selection = selectSteps(plan, { phase: 'phase-2' });
      assert.ok(selection.ok);
      const lookup = findKustomizeTool(undefined, process.env);
      const engine = await runSteps(cli, plan, selection.steps, { tool: lookup.status === 'found' ? lookup.tool : undefined });
      assert.ok(engine.ok, engine.outcomes.map((outcome) => `${outcome.step}: ${outcome.summary}`).join('\n'));

      const editor = await run(commandIds.runPhase, 'phase-2');
      assert.ok(editor.ok, describeRun(editor));
      assert.deepEqual(editor.outcomes.map((outcome) => outcome.summary), engine.outcomes.map((outcome) => outcome.summary));
      assert.deepEqual(differences(tree(cli), tree()), [], "the tree the engine's own apply leaves on a copy of the sample");
      assert.ok(renamedByVsCode.includes('infrastructure/cicd/tekton'), `VS Code renamed the tekton folder whole: ${renamedByVsCode.join(', ')}`);
      assert.ok(!existsSync(workspacePath('.relayout/journal.json')), 'no apply left pending');

      // The model follows from the file events: no step of phase 2 has anything left to move.
      const phase2Rules = new Set(plan.phases[1]!.steps.flatMap((step) => step.rules));
      const pendingInPhase2 = () => model.snapshot().compiled!.moves.filter((move) => phase2Rules.has(move.rule)).length;
      await waitFor('the model to see phase 2 moved', () => (pendingInPhase2() === 0 ? true : undefined));
      await trackerSettled();
      assert.deepEqual(detected, [], "the steps' moves are not taken for moves made outside Relayout");

      // Roll back from the command and from a terminal, newest step first.
      for (const step of ['ci-cd', 'monitoring']) {
        const outcome = await vscode.commands.executeCommand<RollbackOutcome | undefined>(commandIds.rollBackLastStep);
        assert.equal(outcome?.step, step);
      }
      for (const step of ['scripts', 'documentation']) {
        const { status, output } = await relayoutCli('rollback');
        assert.equal(status, 0, output);
        assert.match(output, new RegExp(`^Rolled back step ${step} `));
      }
      assert.deepEqual(differences(sample, tree()), [], 'the sample again, byte for byte');
      await waitFor('the model to see phase 2 pending again', () => (pendingInPhase2() > 0 ? true : undefined));
      await trackerSettled();
      assert.deepEqual(detected, [], "nor are the rollbacks' moves");
    } finally {
      vscode.Disposable.from(...listeners).dispose();
      rmSync(cli, { recursive: true, force: true });
    }
  });

  it('in a git repository, a move step leaves its renames staged as the CLI does, and its rollback unstages them', async function () {
    if (spawnSync('git', ['--version']).status !== 0) this.skip();
    const root = scratchWorkspace().fsPath;
    const git = (...args: string[]): string => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { encoding: 'utf8' });
    // VS Code's git extension would open the repository and keep running git in it after the test removes it.
    const gitSettings = vscode.workspace.getConfiguration('git');
    await gitSettings.update('enabled', false, vscode.ConfigurationTarget.Global);
    try {
      git('init', '-q');
      git('add', '-A');
      git('commit', '-q', '-m', 'sample');
      const result = await run(commandIds.runStep, 'ci-cd');
      assert.ok(result.ok, describeRun(result));
      const status = git('status', '--porcelain', '--', 'infrastructure');
      assert.match(status, /^R. infrastructure\/ci-cd\/tekton\/kustomization\.yaml -> infrastructure\/cicd\/tekton\/kustomization\.yaml$/m, status);
      assert.doesNotMatch(status, /^D |^\?\?/m, `every move shows as a rename:\n${status}`);
      const outcome = await vscode.commands.executeCommand<RollbackOutcome | undefined>(commandIds.rollBackLastStep);
      assert.equal(outcome?.step, 'ci-cd');
      assert.equal(git('status', '--porcelain', '--untracked-files=all', '--', 'infrastructure', 'docs'), '');
    } finally {
      rmSync(join(root, '.git'), { recursive: true, force: true });
      await gitSettings.update('enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('contributes the walkthrough: plan, proposed layout, phase 1, with their media and completion commands', async () => {
    const extension = relayoutExtension();
    const [walkthrough] = extension.packageJSON.contributes.walkthroughs as {
      id: string;
      steps: { id: string; media: { markdown: string }; completionEvents: string[] }[];
    }[];
    assert.ok(walkthrough);
    assert.deepEqual(walkthrough.steps.map((step) => step.id), ['plan', 'layout', 'phase1']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of walkthrough.steps) {
      assert.ok(existsSync(join(extension.extensionPath, step.media.markdown)), `${step.media.markdown} exists`);
      for (const event of step.completionEvents) {
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        if (command) assert.ok(registered.has(command), `${event} names a registered command`);
        else assert.equal(event, 'onView:relayout.proposedLayout');
      }
    }
    assert.ok(walkthrough.steps[2]!.completionEvents.includes(`onCommand:${commandIds.runPhase}`));
  });

  it('runs every phase to the end: the proposed tree, validation and renders passing, staging rendering with kustomize', async () => {
    for (const phase of ['phase-1', 'phase-2', 'phase-3', 'phase-4', 'phase-5']) {
      const result = await run(commandIds.runPhase, phase, { yes: true });
      assert.ok(result.ok, `${phase}:\n${describeRun(result)}`);
    }
    const api = await relayoutApi();
    // Every move step went through a WorkspaceEdit; the tree is the one the CLI's apply leaves, byte for byte.
    const cli = mkdtempSync(join(tmpdir(), 'relayout-cli-'));
    try {
      cpSync(committedSample(), cli, { recursive: true });
      const plan = api.model!.snapshot().plan!;
      const every = selectSteps(plan);
      assert.ok(every.ok);
      const lookup = findKustomizeTool(undefined, process.env);
      const engine = await runSteps(cli, plan, every.steps, { tool: lookup.status === 'found' ? lookup.tool : undefined });
      assert.ok(engine.ok, engine.outcomes.map((outcome) => `${outcome.step}: ${outcome.summary}`).join('\n'));
      assert.deepEqual(differences(tree(cli), tree()), []);
    } finally {
      rmSync(cli, { recursive: true, force: true });
    }
    const status = api.phases.runner!.status(api.model!.snapshot().plan!);
    assert.equal(status.next, undefined, 'every step is complete');
    for (const phase of status.phases) assert.equal(phase.files.pending, 0, `${phase.id} has nothing left to move`);
    assert.ok(!existsSync(workspacePath('infrastructure/kubernetes')), 'the old kubernetes/ folder is gone');
    assert.ok(existsSync(workspacePath('infrastructure/environments/staging/kustomization.yaml')), 'staging is in place');

    // The last validation passed, and so does the final Verify: every reference resolves as it did before the moves
    // (the moves rewrote them all, through the editor's WorkspaceEdits) and every kustomization renders as the baseline did.
    assert.match(state().steps['integration-testing']!.summary ?? '', /^passed/);
    const validation = phaseDiagnostics().flatMap(([, diagnostics]) => diagnostics.filter((d) => d.code === 'integration-testing'));
    assert.deepEqual(validation.filter((d) => d.severity !== vscode.DiagnosticSeverity.Warning).map((d) => d.message), []);
    const report = await vscode.commands.executeCommand<VerifyReport | undefined>(commandIds.verify);
    assert.ok(report && report.renders.status === 'compared' && report.renders.passed, `renders: ${JSON.stringify(report?.renders)}`);
    const broken = [...report.references.introduced, ...report.references.lost].map((ref) => `${ref.from}:${ref.line} ${ref.text}`);
    assert.deepEqual(broken, [], 'no newly broken and no lost references');
    assert.ok(report.passed, 'the final Verify passes');
    assert.doesNotMatch(readFileSync(workspacePath('.relayout/reports/integration-testing.md'), 'utf8'), /UNREPORTED/);
    const staging = execFileSync('kubectl', ['kustomize', workspacePath('infrastructure/environments/staging')], { encoding: 'utf8' });
    assert.match(staging, /ENVIRONMENT: staging/, 'the staging overlay renders with its own environment name');
  });
});
