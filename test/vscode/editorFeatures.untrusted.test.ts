import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { workspacePath } from './sampleWorkspace';
import { scratchUri, workspaceModel } from './scratch';

const databases = 'infrastructure/kubernetes/base/components/databases';
const kustomization = `${databases}/kustomization.yaml`;

async function rename(from: string, to: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.renameFile(scratchUri(from), scratchUri(to));
  assert.ok(await vscode.workspace.applyEdit(edit));
}

describe('Reference edits in restricted mode', function () {
  before(function () {
    if (process.env.RELAYOUT_TEST_SESSION !== 'untrusted') {
      console.log(`Skipping "${this.test?.parent?.title}": runs only in the untrusted session of \`npm run test:vscode\``);
      this.skip();
    }
  });

  it('leaves references alone when a file is renamed in an untrusted workspace', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    (await workspaceModel()).flush();
    const original = readFileSync(workspacePath(kustomization), 'utf8');
    await rename(`${databases}/auth-db.yaml`, `${databases}/auth-postgres.yaml`);
    try {
      assert.ok(existsSync(workspacePath(`${databases}/auth-postgres.yaml`)));
      const document = await vscode.workspace.openTextDocument(scratchUri(kustomization));
      assert.equal(document.getText(), original.slice(1), 'the entry still names auth-db.yaml');
      assert.equal(document.isDirty, false);
    } finally {
      await rename(`${databases}/auth-postgres.yaml`, `${databases}/auth-db.yaml`);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
