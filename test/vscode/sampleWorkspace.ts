// Helpers for tests that move files in the scratch copy of the sample: fingerprints of the whole workspace, and a
// reset to the committed sample so that one test's moves (or a failed undo) never leak into the next test.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { RelayoutApi } from '../../src/vscode/extension';
import { relayoutApi, relayoutExtension, scratchWorkspace, waitFor } from './support';

/** Settings folders written by the tests' own configuration changes are not part of the sample. */
const notSample = new Set(['.vscode']);

export function committedSample(): string {
  return join(relayoutExtension().extensionPath, 'sample', 'bakery-ia');
}

export function workspacePath(relative: string): string {
  return join(scratchWorkspace().fsPath, ...relative.split('/'));
}

export function readLines(relative: string): string[] {
  return readFileSync(workspacePath(relative), 'utf8').split('\n');
}

function listFiles(root: string, below = ''): string[] {
  const entries = readdirSync(join(root, below), { withFileTypes: true });
  return entries.flatMap((entry) => {
    const path = below ? `${below}/${entry.name}` : entry.name;
    if (below === '' && notSample.has(entry.name)) return [];
    return entry.isDirectory() ? listFiles(root, path) : [path];
  });
}

/** Every file of the workspace (relative path → SHA-256 of its bytes). */
export function fingerprint(root = scratchWorkspace().fsPath): Map<string, string> {
  return new Map(
    listFiles(root)
      .sort()
      .map((path) => [path, createHash('sha256').update(readFileSync(join(root, path))).digest('hex')]),
  );
}

/** What differs between two fingerprints, as readable lines (empty when identical). */
export function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [path, hash] of before) {
    if (!after.has(path)) lines.push(`missing: ${path}`);
    else if (after.get(path) !== hash) lines.push(`changed: ${path}`);
  }
  for (const path of after.keys()) if (!before.has(path)) lines.push(`added: ${path}`);
  return lines;
}

/**
 * Puts the scratch workspace back to the committed sample (plan included), reverting unsaved editors first, and
 * waits for the extension's model to have the sample plan compiled again. Also shows the Explorer and clears the
 * notifications, as the suites that run after these expect the workbench.
 */
export async function resetToSample(): Promise<RelayoutApi> {
  const api = await relayoutApi();
  for (const document of vscode.workspace.textDocuments.filter((candidate) => candidate.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // The workbench as the other suites expect it: the Explorer showing, no leftover notification.
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('workbench.view.explorer');
  const sample = committedSample();
  const workspace = scratchWorkspace().fsPath;
  const wanted = fingerprint(sample);
  const present = fingerprint(workspace);
  for (const [path, hash] of wanted) {
    if (present.get(path) === hash) continue;
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    copyFileSync(join(sample, path), join(workspace, path));
  }
  for (const path of present.keys()) if (!wanted.has(path)) rmSync(join(workspace, path));
  removeEmptyFolders(workspace, '');
  assert.deepEqual(differences(wanted, fingerprint()), []);
  await api.refreshPlanStatus();
  const model = api.model;
  assert.ok(model, 'the extension has a workspace model');
  model.rebuild();
  const rules = parse(readFileSync(join(sample, 'relayout.yaml'), 'utf8')).rules.length;
  await waitFor('the sample plan to be compiled', () => (model.snapshot().plan?.rules.length === rules ? true : undefined));
  return api;
}

function removeEmptyFolders(root: string, below: string): boolean {
  const entries = readdirSync(join(root, below), { withFileTypes: true });
  let empty = true;
  for (const entry of entries) {
    const path = below ? `${below}/${entry.name}` : entry.name;
    if (below === '' && notSample.has(entry.name)) empty = false;
    else if (!entry.isDirectory() || !removeEmptyFolders(root, path)) empty = false;
  }
  if (empty && below !== '') rmSync(join(root, below), { recursive: true });
  return empty;
}

/** Sets `relayout.preview` in the user settings (not the workspace: the tests fingerprint it); undefined unsets it. */
export async function setPreview(mode: 'always' | 'probable' | 'never' | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('relayout').update('preview', mode, vscode.ConfigurationTarget.Global);
}

/** Runs `body` with `relayout.preview` set, and unsets it afterwards. */
export async function withPreview<T>(mode: 'always' | 'probable' | 'never', body: () => Promise<T>): Promise<T> {
  await setPreview(mode);
  try {
    return await body();
  } finally {
    await setPreview(undefined);
  }
}
