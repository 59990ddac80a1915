// Small helpers on top of sampleWorkspace.ts for the editor-feature tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceModel } from '../../src/vscode/workspaceModel';
import { committedSample, workspacePath } from './sampleWorkspace';
import { relayoutApi } from './support';

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
