// Helpers for tests that change the scratch copy of the sample and must leave it as they found it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceModel, WorkspaceSnapshot } from '../../src/vscode/workspaceModel';
import { relayoutApi, relayoutExtension, scratchWorkspace, waitFor } from './support';

/** The scratch workspace's absolute path of a workspace-relative path. */
export function scratchPath(path: string): string {
  return join(scratchWorkspace().fsPath, ...path.split('/'));
}

export function scratchUri(path: string): vscode.Uri {
  return vscode.Uri.joinPath(scratchWorkspace(), ...path.split('/'));
}

/** The committed sample's text of a file (the scratch copy started as this). */
export function sampleText(path: string): string {
  return readFileSync(join(relayoutExtension().extensionPath, 'sample', 'bakery-ia', ...path.split('/')), 'utf8');
}

export async function workspaceModel(): Promise<WorkspaceModel> {
  const model = (await relayoutApi()).model;
  if (!model) throw new Error('the extension has no workspace model');
  return model;
}

/**
 * Puts the sample's relayout.yaml back when an earlier test removed it, and waits until the model has compiled it.
 * Resolves with a function that removes it again when it was missing.
 */
export async function withSamplePlan(): Promise<{ snapshot: WorkspaceSnapshot; restore: () => void }> {
  const planPath = scratchPath('relayout.yaml');
  const wasThere = existsSync(planPath) && readFileSync(planPath, 'utf8') === sampleText('relayout.yaml');
  const previous = existsSync(planPath) ? readFileSync(planPath, 'utf8') : undefined;
  if (!wasThere) writeFileSync(planPath, sampleText('relayout.yaml'));
  const model = await workspaceModel();
  const snapshot = await waitFor('the model to compile the sample plan', () => {
    const current = model.flush();
    return current.compiled && current.compiled.moves.length > 0 ? current : undefined;
  });
  return {
    snapshot,
    restore: () => {
      if (wasThere) return;
      if (previous === undefined) rmSync(planPath, { force: true });
      else writeFileSync(planPath, previous);
    },
  };
}
