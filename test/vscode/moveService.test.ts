import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { commandIds } from '../../src/vscode/commands';
import type { MoveOutcome } from '../../src/vscode/moveService';
import {
  differences,
  fingerprint,
  readLines,
  resetToSample,
  withPreview,
  workspacePath,
} from './sampleWorkspace';
import { waitFor } from './support';

const namespaceFile = 'infrastructure/kubernetes/base/namespace.yaml';
const namespaceDestination = 'infrastructure/environments/dev/k8s-manifests/base/namespace.yaml';
const tektonFolder = 'infrastructure/ci-cd/tekton';

function uriOf(path: string): vscode.Uri {
  return vscode.Uri.file(workspacePath(path));
}

/**
 * Undo as a user does it after a move: Ctrl+Z in an editor of a file the move touched. The move is one undo group,
 * so VS Code undoes every rename, reference edit and created file at once; Save All then writes the restored text.
 */
async function undoFromEditor(path: string, expected: Map<string, string>): Promise<void> {
  await vscode.window.showTextDocument(uriOf(path));
  await vscode.commands.executeCommand('undo');
  await waitFor('one undo to restore the workspace', async () => {
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    return differences(expected, fingerprint()).length === 0 ? true : undefined;
  });
}

describe('Move service and the Move to Proposed Location command', () => {
  beforeEach(async () => {
    await resetToSample();
  });

  after(async () => {
    await resetToSample();
  });

  it('moves a file to its proposed place and rewrites its references in kustomizations, scripts and docs', async () => {
    await withPreview('never', async () => {
      const outcome = (await vscode.commands.executeCommand(commandIds.moveToProposed, uriOf(namespaceFile))) as MoveOutcome;
      assert.equal(outcome.status, 'applied');
    });
    assert.equal(existsSync(workspacePath(namespaceFile)), false);
    assert.ok(existsSync(workspacePath(namespaceDestination)));
    // kustomize's load restrictor: the base now names a kustomization created beside the moved file.
    assert.equal(readLines('infrastructure/kubernetes/base/kustomization.yaml')[7], '  - "../../environments/dev/k8s-manifests/base"');
    assert.equal(
      readFileSync(workspacePath('infrastructure/environments/dev/k8s-manifests/base/kustomization.yaml'), 'utf8'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- namespace.yaml\n',
    );
    assert.equal(
      readLines('infrastructure/kubernetes/setup-dockerhub-secrets.sh')[10],
      'kubectl apply -f "$(dirname "$0")/../environments/dev/k8s-manifests/base/namespace.yaml"',
    );
    assert.equal(
      readLines('infrastructure/kubernetes/kubernetes_restart.sh')[11],
      'kubectl apply -f infrastructure/environments/dev/k8s-manifests/base/namespace.yaml',
    );
    assert.equal(readLines('docs/deployment.md')[16], '   kubectl apply -f infrastructure/environments/dev/k8s-manifests/base/namespace.yaml');
    assert.deepEqual(
      vscode.workspace.textDocuments.filter((document) => document.isDirty).map((document) => document.uri.fsPath),
      [],
      'a refactoring saves the files it edits',
    );
  });

  it('moves a folder whole and rewrites the Flux path, the script and the doc links that name it', async () => {
    await withPreview('never', async () => {
      const outcome = (await vscode.commands.executeCommand(commandIds.moveToProposed, uriOf(tektonFolder))) as MoveOutcome;
      assert.equal(outcome.status, 'applied');
      assert.equal(outcome.plan.renames.length, 12);
    });
    assert.equal(existsSync(workspacePath(tektonFolder)), false);
    assert.ok(existsSync(workspacePath('infrastructure/cicd/tekton/tasks/kaniko-build.yaml')));
    assert.equal(readLines('infrastructure/ci-cd/flux/kustomization.yaml')[31], '  path: "./infrastructure/cicd/tekton"');
    assert.equal(readLines('infrastructure/ci-cd/deploy-ci-cd.sh')[14], 'kubectl kustomize "$SCRIPT_DIR/../cicd/tekton" > /dev/null');
    assert.equal(
      readLines('docs/architecture.md')[21],
      '- CI/CD: [the pipeline](../infrastructure/cicd/tekton/pipelines/ci-pipeline.yaml) and',
    );
    // A Tekton git-resolver path inside the moved folder follows its own folder.
    assert.equal(
      readLines('infrastructure/cicd/tekton/pipelines/ci-pipeline.yaml')[61],
      '            value: infrastructure/cicd/tekton/tasks/kaniko-build.yaml',
    );
  });

  it('moves every selected Explorer item (uri, uris[]) in one batch', async () => {
    const auth = 'infrastructure/kubernetes/base/components/microservices/auth-service.yaml';
    const tenant = 'infrastructure/kubernetes/base/components/microservices/tenant-service.yaml';
    await withPreview('never', async () => {
      const outcome = (await vscode.commands.executeCommand(commandIds.moveToProposed, uriOf(auth), [
        uriOf(auth),
        uriOf(tenant),
      ])) as MoveOutcome;
      assert.equal(outcome.status, 'applied');
      assert.deepEqual(outcome.plan.moves.map((move) => move.to), [
        'infrastructure/services/microservices/auth/k8s-manifests/auth-service.yaml',
        'infrastructure/services/microservices/tenant/k8s-manifests/tenant-service.yaml',
      ]);
    });
    assert.ok(existsSync(workspacePath('infrastructure/services/microservices/auth/k8s-manifests/auth-service.yaml')));
    assert.ok(existsSync(workspacePath('infrastructure/services/microservices/tenant/k8s-manifests/tenant-service.yaml')));
  });

  it('undoes a file move and every reference edit in one step, byte for byte', async () => {
    const before = fingerprint();
    await withPreview('never', async () => {
      const outcome = (await vscode.commands.executeCommand(commandIds.moveToProposed, uriOf(namespaceFile))) as MoveOutcome;
      assert.equal(outcome.status, 'applied');
    });
    const moved = differences(before, fingerprint());
    assert.deepEqual(moved.sort(), [
      'added: infrastructure/environments/dev/k8s-manifests/base/kustomization.yaml',
      `added: ${namespaceDestination}`,
      'changed: .github/workflows/infrastructure.yml',
      'changed: docs/deployment.md',
      'changed: infrastructure/ci-cd/flux/git-repository.yaml',
      'changed: infrastructure/kubernetes/base/kustomization.yaml',
      'changed: infrastructure/kubernetes/kubernetes_restart.sh',
      'changed: infrastructure/kubernetes/setup-dockerhub-secrets.sh',
      `missing: ${namespaceFile}`,
    ]);
    await undoFromEditor(namespaceDestination, before);
  });

  it('undoes a folder move in one step, byte for byte', async () => {
    const before = fingerprint();
    await withPreview('never', async () => {
      const outcome = (await vscode.commands.executeCommand(commandIds.moveToProposed, uriOf(tektonFolder))) as MoveOutcome;
      assert.equal(outcome.status, 'applied');
    });
    assert.notDeepEqual(differences(before, fingerprint()), []);
    await undoFromEditor('infrastructure/ci-cd/flux/kustomization.yaml', before);
  });

  it('refuses a move with a conflict before anything changes, and says why', async () => {
    const api = await resetToSample();
    const before = fingerprint();
    const outcome = await api.moveService!.move([
      { from: namespaceFile, to: 'infrastructure/kubernetes/base/configmap.yaml' },
    ]);
    assert.equal(outcome.status, 'refused');
    assert.ok(outcome.status === 'refused' && outcome.reasons.some((reason) => reason.includes('configmap.yaml')));
    assert.deepEqual(differences(before, fingerprint()), []);
  });
});
