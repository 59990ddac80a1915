import * as assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { planMoves } from '../../src/core/moves/plan';
import { toWorkspaceEdit } from '../../src/vscode/workspaceEdit';
import { differences, fingerprint, resetToSample, workspacePath } from './sampleWorkspace';

const namespaceFile = 'infrastructure/kubernetes/base/namespace.yaml';
const namespaceDestination = 'infrastructure/environments/dev/k8s-manifests/base/namespace.yaml';

describe('Move plans as WorkspaceEdits', () => {
  after(async () => {
    await resetToSample();
  });

  it('leaves every file as it was when VS Code refuses the text edit of a file that stays: nothing is renamed first', async () => {
    const api = await resetToSample();
    // A script of this test only, so that no document of it is loaded: VS Code edits a loaded document even after
    // its file is gone, and opens an unloaded one from disk.
    const script = 'infrastructure/kubernetes/apply-namespace.sh';
    writeFileSync(workspacePath(script), '#!/bin/sh\nkubectl apply -f infrastructure/kubernetes/base/namespace.yaml\n');
    const snapshot = api.model!.rebuild();
    const plan = planMoves([{ from: namespaceFile, to: namespaceDestination }], snapshot.graph, snapshot.source);
    assert.deepEqual(plan.conflicts, []);
    assert.ok(plan.edits.some((edit) => edit.file === script), 'the move edits the script');
    const edit = toWorkspaceEdit(plan, api.model!, snapshot.source, { renames: true, preview: 'never' });

    // The script goes away after the plan was made: VS Code cannot open it for its edit and refuses the whole edit.
    rmSync(workspacePath(script));
    const before = fingerprint();
    // As the move service applies it: the rename participant leaves the renames of Relayout's own edit alone.
    api.model!.beginOwnEdit();
    try {
      assert.equal(await vscode.workspace.applyEdit(edit, { isRefactoring: true }), false);
    } finally {
      api.model!.endOwnEdit();
    }
    assert.deepEqual(differences(before, fingerprint()), []);
    assert.ok(existsSync(workspacePath(namespaceFile)));
  });
});
