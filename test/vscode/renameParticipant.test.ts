import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { workspacePath } from './sampleWorkspace';
import { scratchUri, workspaceModel } from './scratch';
import { waitFor } from './support';

const databases = 'infrastructure/kubernetes/base/components/databases';
const kustomization = `${databases}/kustomization.yaml`;

describe('Rename participant: renames in VS Code carry their reference edits', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('rewrites the kustomization entry of a renamed manifest in the same undo step', async () => {
    const original = readFileSync(workspacePath(kustomization), 'utf8');
    const model = await workspaceModel();
    model.flush();
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(scratchUri(`${databases}/auth-db.yaml`), scratchUri(`${databases}/auth-postgres.yaml`));
    assert.ok(await vscode.workspace.applyEdit(rename));

    assert.ok(existsSync(workspacePath(`${databases}/auth-postgres.yaml`)));
    const document = await vscode.workspace.openTextDocument(scratchUri(kustomization));
    assert.equal(document.getText(), original.slice(1).replace('- auth-db.yaml', '- auth-postgres.yaml'), 'only the entry changed');

    // One undo puts back the file and the entry: they are one undo step. (VS Code may have saved the refactoring's
    // edit; Save All writes the restored text.)
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to restore the name and the entry', async () => {
      await vscode.commands.executeCommand('workbench.action.files.saveAll');
      return existsSync(workspacePath(`${databases}/auth-db.yaml`)) && readFileSync(workspacePath(kustomization), 'utf8') === original
        ? true
        : undefined;
    });
    assert.ok(!existsSync(workspacePath(`${databases}/auth-postgres.yaml`)));
    assert.equal(document.getText(), original.slice(1));
  });

  it("leaves Relayout's own moves to the edit they come with", async () => {
    const original = readFileSync(workspacePath(kustomization), 'utf8');
    const model = await workspaceModel();
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(scratchUri(`${databases}/auth-db.yaml`), scratchUri(`${databases}/auth-postgres.yaml`));
    model.beginOwnEdit();
    try {
      assert.ok(await vscode.workspace.applyEdit(rename));
    } finally {
      model.endOwnEdit();
    }
    const document = await vscode.workspace.openTextDocument(scratchUri(kustomization));
    assert.equal(document.getText(), original.slice(1), 'no reference edit was added');
    const back = new vscode.WorkspaceEdit();
    back.renameFile(scratchUri(`${databases}/auth-postgres.yaml`), scratchUri(`${databases}/auth-db.yaml`));
    model.beginOwnEdit();
    try {
      assert.ok(await vscode.workspace.applyEdit(back));
    } finally {
      model.endOwnEdit();
    }
    assert.ok(existsSync(workspacePath(`${databases}/auth-db.yaml`)));
  });
});
