// Small helpers on top of sampleWorkspace.ts for the editor-feature tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceModel } from '../../src/vscode/workspaceModel';
import { committedSample, workspacePath } from './sampleWorkspace';
import { relayoutApi, waitFor } from './support';

export function scratchUri(path: string): vscode.Uri {
  return vscode.Uri.file(workspacePath(path));
}

/** The committed sample's text of a file (the scratch copy starts as this). */
export function sampleText(path: string): string {
  return readFileSync(join(committedSample(), ...path.split('/')), 'utf8');
}

export async function workspaceModel(): Promise<WorkspaceModel> {
  const model = (await relayoutApi()).model;
  if (!model) throw new Error('the extension has no workspace model');
  return model;
}

/**
 * Writes a file's text on disk and waits until an open document of it shows that text: VS Code reloads a document
 * whose file changed a moment later, and the next test must not read the old text from it.
 */
export async function restoreFile(path: string, text: string): Promise<void> {
  writeFileSync(workspacePath(path), text);
  const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.fsPath === workspacePath(path));
  if (!document) return;
  const shown = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  await waitFor(`the open ${path} to show the restored text`, () => (document.getText() === shown ? true : undefined));
}
