import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { commandIds } from '../../src/vscode/commands';
import type { MoveOutcome } from '../../src/vscode/moveService';
import { differences, fingerprint, readLines, resetToSample, withPreview, workspacePath } from './sampleWorkspace';
import { waitFor } from './support';
import { skipWithoutUiBridge, ui, uiBridgeUrl } from './uiBridge';

const explorerSelection = '.explorer-folders-view .monaco-list-row.selected';
const contextMenuItem = '.context-view .monaco-menu .action-item';

/** A Proposed Layout row by the start of its accessible label (`path, counts` for folders, `path, state` for files). */
function treeRow(label: string): string {
  return `.part.sidebar .monaco-list-row[aria-label^="${label}"]`;
}

function uriOf(path: string): vscode.Uri {
  return vscode.Uri.file(workspacePath(path));
}

/**
 * Selects `path` in the Explorer the way a user finds it and right-clicks it until the context menu offers `item`
 * (Move to Proposed Location unless told): the item's `when` follows a context key the extension updates as its model
 * catches up after a reset, and a right-click landing while the Explorer re-renders its rows opens no menu.
 */
async function rightClickInExplorer(path: string, item = 'Move to Proposed Location'): Promise<void> {
  const name = path.split('/').pop()!;
  await waitFor(
    `the context menu on ${name} to offer ${item}`,
    async () => {
      await revealUntilSelected(name, () => vscode.commands.executeCommand('revealInExplorer', uriOf(path)));
      await ui({ action: 'click', selector: explorerSelection, hasText: name, button: 'right' });
      const offered = await ui({ action: 'waitFor', selector: contextMenuItem, hasText: item, timeoutMs: 2_000 }).then(
        () => true,
        () => undefined,
      );
      if (!offered) await ui({ action: 'press', key: 'Escape' });
      return offered;
    },
    20_000,
  );
}

/**
 * Clicks an item of the open context menu. VS Code's menu listens for mouse-ups on an item only 100 ms after
 * drawing it (`runOnceToEnableMouseUp` in menu.ts, so that the right-click's own mouse-up never runs an item): a
 * click that comes sooner, as Playwright's can right after the menu appears, is lost without an error and leaves
 * the menu open. The menu closes once it runs the item, so this clicks until the item is gone.
 */
async function clickContextMenuItem(label: string): Promise<void> {
  await waitFor(`the context menu to run "${label}"`, async () => {
    await ui({ action: 'click', selector: contextMenuItem, hasText: label, timeoutMs: 1_000 }).catch(() => undefined);
    return ui({ action: 'waitFor', selector: contextMenuItem, hasText: label, state: 'hidden', timeoutMs: 300 }).then(
      () => true,
      () => undefined,
    );
  });
}

/**
 * Reveals a file in the Explorer until its row is the selected one: the Explorer also selects the active editor's
 * file (explorer.autoReveal) a moment after an editor opens, and right after a reset it may not have caught up with
 * restored folders yet (reveal fails, or selects nothing, until it has).
 */
async function revealUntilSelected(name: string, reveal: () => Thenable<unknown>): Promise<void> {
  await waitFor(`the Explorer to select ${name}`, async () => {
    await Promise.resolve(reveal()).catch(() => undefined);
    return ui({ action: 'waitFor', selector: explorerSelection, hasText: name, timeoutMs: 1_000 }).then(
      () => true,
      () => undefined,
    );
  });
}

async function showProposedLayout(): Promise<void> {
  await vscode.commands.executeCommand('relayout.proposedLayout.focus');
  await ui({ action: 'waitFor', selector: treeRow('infrastructure/environments,') });
}

const baseFolders = ['environments', 'environments/dev', 'environments/dev/k8s-manifests', 'environments/dev/k8s-manifests/base'];

/**
 * Expands the Proposed Layout's folders (under infrastructure/) that are not expanded yet, outermost first. A row can
 * be drawn before its expansion state is (no `aria-expanded` yet), and a click then may not take: each folder is
 * clicked until its row says it is expanded.
 */
async function expandInTree(folders: readonly string[]): Promise<void> {
  for (const folder of folders) {
    const row = treeRow(`infrastructure/${folder},`);
    await ui({ action: 'waitFor', selector: row });
    await waitFor(`the Proposed Layout to expand ${folder}`, async () => {
      await ui({ action: 'click', selector: `${row}[aria-expanded="false"]`, timeoutMs: 300 }).catch(() => undefined);
      return ui({ action: 'waitFor', selector: `${row}[aria-expanded="true"]`, timeoutMs: 1_000 }).then(
        () => true,
        () => undefined,
      );
    });
  }
}

describe('Explorer and Proposed Layout in the workbench (UI)', function () {
  before(function () {
    skipWithoutUiBridge(this);
  });

  beforeEach(async () => {
    await resetToSample();
  });

  after(async () => {
    if (uiBridgeUrl) await resetToSample();
  });

  it('moves a file from the Explorer context menu, through the Refactor Preview, and the tree follows', async () => {
    const file = 'infrastructure/kubernetes/base/namespace.yaml';
    await showProposedLayout();
    await expandInTree(baseFolders);
    await ui({ action: 'waitFor', selector: treeRow('infrastructure/environments/dev/k8s-manifests/base/namespace.yaml, Pending') });
    await ui({ action: 'screenshot', name: 'tree-before' });

    await rightClickInExplorer(file);
    // The menu fades in; the screenshot is for people to look at.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await ui({ action: 'screenshot', name: 'explorer-context-menu' });
    await clickContextMenuItem('Move to Proposed Location');

    // The scripts and the doc name the file in free text: those edits wait, unticked, in the Refactor Preview.
    // Tick the doc's and leave the restart script's: Apply carries out exactly what is ticked.
    const docRow = '.part.panel .monaco-list-row:has-text("deployment.md")';
    await ui({ action: 'waitFor', selector: docRow });
    await ui({ action: 'screenshot', name: 'refactor-preview' });
    await ui({ action: 'click', selector: `${docRow} input[type="checkbox"]` });
    await ui({ action: 'click', selector: '.monaco-button', hasText: 'Apply' });

    await waitFor('the file to move', () => (existsSync(workspacePath(file)) ? undefined : true));
    assert.ok(existsSync(workspacePath('infrastructure/environments/dev/k8s-manifests/base/namespace.yaml')));
    await waitFor('the kustomization entry to follow', () =>
      readLines('infrastructure/kubernetes/base/kustomization.yaml')[7] === '  - "../../environments/dev/k8s-manifests/base"'
        ? true
        : undefined,
    );
    // VS Code saves the edited files one by one after applying the edit: wait for the doc's save as for the entry's.
    await waitFor('the doc to follow', () =>
      readLines('docs/deployment.md')[16] === '   kubectl apply -f infrastructure/environments/dev/k8s-manifests/base/namespace.yaml'
        ? true
        : undefined,
    );
    assert.equal(
      readLines('infrastructure/kubernetes/kubernetes_restart.sh')[11],
      'kubectl apply -f infrastructure/kubernetes/base/namespace.yaml',
      'a probable edit left unticked is not applied',
    );
    await showProposedLayout();
    await ui({ action: 'waitFor', selector: treeRow('infrastructure/environments, 2/32 moved') });
    await expandInTree(baseFolders);
    await ui({ action: 'waitFor', selector: treeRow('infrastructure/environments/dev/k8s-manifests/base/namespace.yaml, Moved') });
    await ui({ action: 'screenshot', name: 'tree-after' });
  });

  it('moves a folder from the Explorer context menu', async () => {
    const folder = 'infrastructure/ci-cd/tekton';
    await withPreview('never', async () => {
      await rightClickInExplorer(folder);
      await clickContextMenuItem('Move to Proposed Location');
      await waitFor('the folder to move', () => (existsSync(workspacePath(folder)) ? undefined : true));
    });
    assert.ok(existsSync(workspacePath('infrastructure/cicd/tekton/kustomization.yaml')));
    await waitFor('the Flux path to follow', () =>
      readLines('infrastructure/ci-cd/flux/kustomization.yaml')[31] === '  path: "./infrastructure/cicd/tekton"' ? true : undefined,
    );
  });

  it('Ctrl+Z in the Explorer right after a move undoes all of it, byte for byte and saved', async () => {
    const before = fingerprint();
    await withPreview('never', async () => {
      await rightClickInExplorer('infrastructure/ci-cd/tekton');
      await clickContextMenuItem('Move to Proposed Location');
      await waitFor('the folder to move', () => (existsSync(workspacePath('infrastructure/ci-cd/tekton')) ? undefined : true));
    });
    assert.notDeepEqual(differences(before, fingerprint()), []);
    // The folder is gone from disk before the move has finished (saved its edits, made Ctrl+Z its own); the status
    // bar counts its 12 files once it has.
    await ui({ action: 'waitFor', selector: '.statusbar-item', hasText: '12/177 moved' });
    // The Explorer refuses focus until it has dropped the row of the folder that moved away.
    await waitFor('the Explorer to take focus', async () => {
      try {
        await vscode.commands.executeCommand('workbench.files.action.focusFilesExplorer');
        return true;
      } catch {
        return undefined;
      }
    });
    await ui({ action: 'press', key: 'Control+z' });
    let left: string[] = [];
    await waitFor(
      () => `the undo to restore the workspace; still different: ${left.join(', ')}`,
      () => {
        left = differences(before, fingerprint());
        return left.length === 0 ? true : undefined;
      },
    );
    // Ctrl+Z runs the undo command through its keybinding, which the test cannot await: the files are back on disk
    // before it has saved the editor models that follow them back a moment late.
    let dirty: string[] = [];
    await waitFor(
      () => `the undo to save what it restored; still unsaved: ${dirty.join(', ')}`,
      () => {
        dirty = vscode.workspace.textDocuments.filter((document) => document.isDirty).map((document) => document.uri.fsPath);
        return dirty.length === 0 ? true : undefined;
      },
    );
    assert.deepEqual(differences(before, fingerprint()), []);
  });

  it('offers Move to Proposed Location only where the plan proposes a destination', async () => {
    await rightClickInExplorer('infrastructure/kubernetes/base/configmap.yaml');
    await ui({ action: 'press', key: 'Escape' });
    await rightClickInExplorer('docs/deployment.md', 'Move with References…');
    await ui({ action: 'waitFor', selector: contextMenuItem, hasText: 'Move to Proposed Location', state: 'hidden' });
    await ui({ action: 'press', key: 'Escape' });
  });

  it('discarding the Refactor Preview leaves every file as it was', async () => {
    const api = await resetToSample();
    const before = fingerprint();
    const moving = vscode.commands.executeCommand(commandIds.moveToProposed, uriOf('infrastructure/kubernetes/base/namespace.yaml'));
    await ui({ action: 'waitFor', selector: '.monaco-button', hasText: 'Discard' });
    assert.deepEqual(differences(before, fingerprint()), [], 'nothing is written while the preview is open');
    await ui({ action: 'click', selector: '.monaco-button', hasText: 'Discard' });
    assert.equal(((await moving) as MoveOutcome).status, 'notApplied');
    assert.deepEqual(differences(before, fingerprint()), []);
    assert.ok(api.model);
  });

  it('with relayout.preview "always", a move with exact edits only waits in the Refactor Preview too', async () => {
    const api = await resetToSample();
    const before = fingerprint();
    // Within its folder, which the CI workflow's path filter covers: only the kustomization entry follows it.
    const service = 'infrastructure/kubernetes/base/components/microservices/auth-service.yaml';
    await withPreview('always', async () => {
      const moving = api.moveService!.move([{ from: service, to: service.replace('/auth-service.yaml', '/auth/auth-service.yaml') }]);
      await ui({ action: 'waitFor', selector: '.monaco-button', hasText: 'Discard' });
      await ui({ action: 'click', selector: '.monaco-button', hasText: 'Discard' });
      const outcome = (await moving) as MoveOutcome;
      assert.equal(outcome.status, 'notApplied');
      assert.deepEqual(outcome.plan.edits.map((edit) => edit.confidence), ['exact']);
    });
    assert.deepEqual(differences(before, fingerprint()), []);
  });

  it('shows a conflict in its folder and in the Conflicts group at the same time', async () => {
    mkdirSync(workspacePath('infrastructure/scripts/verification'), { recursive: true });
    writeFileSync(workspacePath('infrastructure/scripts/verification/verify-registry.sh'), '#!/bin/sh\n');
    await showProposedLayout();
    await ui({ action: 'waitFor', selector: treeRow('infrastructure/kubernetes/verify-registry.sh, conflict') });
    await ui({ action: 'click', selector: treeRow('infrastructure/scripts,') });
    await ui({ action: 'click', selector: treeRow('infrastructure/scripts/verification,') });
    await ui({ action: 'waitFor', selector: treeRow('infrastructure/scripts/verification/verify-registry.sh, Conflict') });
    await ui({ action: 'waitFor', selector: treeRow('infrastructure/scripts/verification/verify-registry.sh, Moved') });
    await ui({ action: 'screenshot', name: 'tree-conflicts' });
  });

  it('shows the plan progress in the status bar; clicking it opens the phase progress', async () => {
    const status = { selector: '.statusbar-item', hasText: 'moved' };
    await ui({ action: 'waitFor', selector: '.statusbar-item', hasText: '0/177 moved' });
    const text = await ui({ action: 'text', ...status });
    assert.match(text ?? '', /Phase 2: Non-Critical Components · 0\/177 moved/);
    await ui({ action: 'click', ...status });
    await ui({ action: 'waitFor', selector: '.tab', hasText: 'Relayout: Phase Progress' });
  });

  it('Move with References… moves into a typed new folder, or into a folder picked from the list', async () => {
    const quickInput = '.quick-input-widget .quick-input-box input';
    const script = 'infrastructure/kubernetes/verify-registry.sh';
    await withPreview('never', async () => {
      const typed = vscode.commands.executeCommand(commandIds.moveWithReferences, uriOf(script), [uriOf(script)]);
      await ui({ action: 'waitFor', selector: quickInput });
      await ui({ action: 'press', key: 'Control+A' });
      await ui({ action: 'type', text: 'infrastructure/tools/' });
      await ui({ action: 'press', key: 'Enter' });
      assert.equal(((await typed) as MoveOutcome).status, 'applied');
      assert.ok(existsSync(workspacePath('infrastructure/tools/verify-registry.sh')));

      const readme = 'infrastructure/helm/README.md';
      const picked = vscode.commands.executeCommand(commandIds.moveWithReferences, uriOf(readme));
      await ui({ action: 'waitFor', selector: quickInput });
      await ui({ action: 'press', key: 'Control+A' });
      await ui({ action: 'type', text: 'infrastructure/signo' });
      await ui({ action: 'waitFor', selector: '.quick-input-widget .monaco-list-row.focused', hasText: 'infrastructure/signoz/' });
      await ui({ action: 'press', key: 'Enter' });
      assert.equal(((await picked) as MoveOutcome).status, 'applied');
      assert.ok(existsSync(workspacePath('infrastructure/signoz/README.md')));
    });
  });

  it('Show References lists what names a file and opens the one picked; Reveal in Explorer selects it there', async () => {
    const api = await resetToSample();
    const tree = api.layoutView;
    const scripts = tree.getChildren().find((node) => node.kind === 'folder' && node.path === 'infrastructure/scripts');
    const setup = tree.getChildren(scripts).find((node) => node.kind === 'folder' && node.path.endsWith('/setup'));
    const entry = tree.getChildren(setup).find((node) => node.kind === 'entry' && node.current.endsWith('setup-dockerhub-secrets.sh'));
    assert.ok(entry);
    const showing = vscode.commands.executeCommand(commandIds.showReferences, entry);
    const pick = { selector: '.quick-input-widget .monaco-list-row', hasText: 'kubernetes_restart.sh' };
    await ui({ action: 'waitFor', ...pick });
    await ui({ action: 'click', ...pick });
    await showing;
    const editor = await waitFor('the referring file to open', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('kubernetes_restart.sh') ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.document.getText(editor.selection), './infrastructure/kubernetes/setup-dockerhub-secrets.sh');

    await revealUntilSelected('setup-dockerhub-secrets.sh', () => vscode.commands.executeCommand(commandIds.revealInExplorer, entry));
  });
});
