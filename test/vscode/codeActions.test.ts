import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import type { MoveOutcome } from '../../src/vscode/moveService';
import { resetToSample, withPreview, workspacePath } from './sampleWorkspace';
import { scratchUri } from './scratch';
import { waitFor } from './support';

const base = 'infrastructure/kubernetes/base';
const authService = `${base}/components/microservices/auth-service.yaml`;
const refactorMove = vscode.CodeActionKind.Refactor.append('move');

/** The refactor.move actions VS Code collects at a position of a file (all providers, as the light bulb asks). */
async function collectMoveActions(path: string, line: number, character: number): Promise<vscode.CodeAction[]> {
  const uri = scratchUri(path);
  await vscode.workspace.openTextDocument(uri);
  const position = new vscode.Position(line, character);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    new vscode.Range(position, position),
    refactorMove.value,
  );
  return actions.filter((action) => action.kind && refactorMove.contains(action.kind));
}

/**
 * The actions at a position once they are what `expected` describes, or what they are after a few seconds: the first
 * request on a newly opened document can come before the languages' extensions have settled.
 */
async function moveActionsAt(path: string, line: number, character: number, expected?: unknown[]): Promise<vscode.CodeAction[]> {
  let last: vscode.CodeAction[] = [];
  try {
    return await waitFor('the expected code actions', async () => {
      last = await collectMoveActions(path, line, character);
      return expected === undefined || isDeepStrictEqual(describeActions(last), expected) ? last : undefined;
      // Generous: after a reset the model re-indexes the sample, which takes seconds on a loaded 2-core machine.
    }, 10_000);
  } catch {
    return last;
  }
}

function describeActions(actions: readonly vscode.CodeAction[]): unknown[] {
  return actions.map((action) => ({
    title: action.title,
    command: action.command?.command,
    arguments: action.command?.arguments?.map((argument) => (argument instanceof vscode.Uri ? argument.toString() : argument)),
  }));
}

/** The line and column of the first occurrence of `text` in a document. */
async function positionOf(path: string, text: string): Promise<{ line: number; character: number }> {
  const document = await vscode.workspace.openTextDocument(scratchUri(path));
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `${path} contains ${text}`);
  return document.positionAt(offset);
}

describe('Code actions: move to the proposed location', () => {
  before(async () => {
    await resetToSample();
  });

  after(async () => {
    await resetToSample();
  });

  it('offers "Move to <destination>/ (proposed)" in a file the plan moves, running the move command on it', async () => {
    const actions = await moveActionsAt(authService, 0, 0);
    assert.deepEqual(describeActions(actions), [
      {
        title: 'Move to infrastructure/services/microservices/auth/k8s-manifests/ (proposed)',
        command: 'relayout.moveToProposed',
        arguments: [scratchUri(authService).toString()],
      },
    ]);
  });

  it('names the destination of a file that moves with its folder', async () => {
    const path = 'infrastructure/kubernetes/base/components/cert-manager/certificate.yaml';
    const actions = await moveActionsAt(path, 0, 0);
    assert.deepEqual(
      actions.map((action) => action.title),
      ['Move to infrastructure/platform/networking/ingress/cert-manager/ (proposed)'],
    );
  });

  it('on a kustomization entry, offers to move the referenced file; elsewhere in the file, only the file itself', async () => {
    const kustomization = `${base}/kustomization.yaml`;
    const entry = await positionOf(kustomization, 'components/microservices/auth-service.yaml');
    const onEntry = await moveActionsAt(kustomization, entry.line, entry.character + 5);
    assert.deepEqual(describeActions(onEntry), [
      {
        title: 'Move to infrastructure/environments/dev/k8s-manifests/ (proposed)',
        command: 'relayout.moveToProposed',
        arguments: [scratchUri(kustomization).toString()],
      },
      {
        title: 'Move the referenced file to its proposed location',
        command: 'relayout.moveToProposed',
        arguments: [scratchUri(authService).toString()],
      },
    ]);
    const offEntry = await moveActionsAt(kustomization, 0, 0);
    assert.deepEqual(
      offEntry.map((action) => action.title),
      ['Move to infrastructure/environments/dev/k8s-manifests/ (proposed)'],
    );
  });

  it('on a folder reference in an overlay, offers to move the referenced folder', async () => {
    const overlay = 'infrastructure/kubernetes/overlays/dev/kustomization.yaml';
    const entry = await positionOf(overlay, '../../base/components/cert-manager');
    const actions = await moveActionsAt(overlay, entry.line, entry.character + 1);
    const referenced = actions.filter((action) => action.title.startsWith('Move the referenced'));
    assert.deepEqual(describeActions(referenced), [
      {
        title: 'Move the referenced folder to its proposed location',
        command: 'relayout.moveToProposed',
        arguments: [scratchUri(`${base}/components/cert-manager`).toString()],
      },
    ]);
  });

  it('on a Markdown link to a file the plan moves, outside the plan root, offers only the referenced file', async () => {
    const doc = 'docs/deployment.md';
    const link = await positionOf(doc, '../infrastructure/kubernetes/overlays/dev/kustomization.yaml');
    const expected = [
      {
        title: 'Move the referenced file to its proposed location',
        command: 'relayout.moveToProposed',
        arguments: [scratchUri('infrastructure/kubernetes/overlays/dev/kustomization.yaml').toString()],
      },
    ];
    assert.deepEqual(describeActions(await moveActionsAt(doc, link.line, link.character + 3, expected)), expected);
    assert.deepEqual(await moveActionsAt(doc, 0, 0), []);
  });

  it('moves the file when its action is chosen: the command runs with the URI the action carries', async () => {
    // Right after the previous test's reset the provider may not offer the action yet: wait for the expected one.
    const [action] = await moveActionsAt(authService, 0, 0, [
      {
        title: 'Move to infrastructure/services/microservices/auth/k8s-manifests/ (proposed)',
        command: 'relayout.moveToProposed',
        arguments: [scratchUri(authService).toString()],
      },
    ]);
    assert.ok(action?.command);
    const outcome = await withPreview('never', () =>
      Promise.resolve(vscode.commands.executeCommand<MoveOutcome>(action.command!.command, ...(action.command!.arguments ?? []))),
    );
    assert.equal(outcome.status, 'applied');
    assert.ok(!existsSync(workspacePath(authService)));
    assert.ok(existsSync(workspacePath('infrastructure/services/microservices/auth/k8s-manifests/auth-service.yaml')));
    await resetToSample();
  });

  it('moves the referenced folder when the action on a reference is chosen', async () => {
    const overlay = 'infrastructure/kubernetes/overlays/dev/kustomization.yaml';
    const entry = await positionOf(overlay, '../../base/components/cert-manager');
    const action = (await moveActionsAt(overlay, entry.line, entry.character + 2)).find((candidate) =>
      candidate.title.startsWith('Move the referenced'),
    );
    assert.ok(action?.command);
    const outcome = await withPreview('never', () =>
      Promise.resolve(vscode.commands.executeCommand<MoveOutcome>(action.command!.command, ...(action.command!.arguments ?? []))),
    );
    assert.equal(outcome.status, 'applied');
    assert.ok(!existsSync(workspacePath(`${base}/components/cert-manager`)));
    assert.ok(existsSync(workspacePath('infrastructure/platform/networking/ingress/cert-manager/kustomization.yaml')));
    await resetToSample();
  });
});
