import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { workspacePath } from './sampleWorkspace';
import { restoreFile, scratchUri, workspaceModel } from './scratch';
import { waitFor } from './support';
import { skipWithoutUiBridge, ui } from './uiBridge';

const databases = 'infrastructure/kubernetes/base/components/databases';
const kustomization = `${databases}/kustomization.yaml`;
const toast = '.notifications-toasts .notification-toast';

describe('Moves made outside the editor (UI)', function () {
  before(function () {
    skipWithoutUiBridge(this);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  // Other paths than the diagnostics tests move: the watcher merges a delete and a create of one path that come close
  // together, so a file moved back and forth in quick succession can go unseen.
  it('offers "Update 1 reference to the moved file?" after a terminal-style rename, and Update rewrites the entry', async () => {
    const original = readFileSync(workspacePath(kustomization), 'utf8');
    await vscode.commands.executeCommand('notifications.clearAll');
    (await workspaceModel()).flush();
    mkdirSync(workspacePath(`${databases}/bff`));
    renameSync(workspacePath(`${databases}/frontend-db.yaml`), workspacePath(`${databases}/bff/frontend-db.yaml`));
    try {
      const offer = `${databases}/frontend-db.yaml was moved to ${databases}/bff/frontend-db.yaml outside the editor. Update 1 reference to the moved file?`;
      await ui({ action: 'waitFor', selector: toast, hasText: offer });
      await ui({ action: 'click', selector: `${toast} .monaco-button`, hasText: 'Update' });

      const document = await vscode.workspace.openTextDocument(scratchUri(kustomization));
      const expected = original.replace('- frontend-db.yaml', '- bff/frontend-db.yaml');
      await waitFor('the entry to be rewritten', () => (document.getText() === expected.slice(1) ? true : undefined));
      if (document.isDirty) await document.save();
      assert.equal(readFileSync(workspacePath(kustomization), 'utf8'), expected, 'only the entry changed; the BOM is kept');
    } finally {
      renameSync(workspacePath(`${databases}/bff/frontend-db.yaml`), workspacePath(`${databases}/frontend-db.yaml`));
      rmdirSync(workspacePath(`${databases}/bff`));
      await restoreFile(kustomization, original);
    }
  });
});
