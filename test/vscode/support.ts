import * as assert from 'node:assert/strict';
import { isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { RelayoutApi } from '../../src/vscode/extension';
import type { PlanStatus } from '../../src/vscode/planStatus';

export const extensionId = 'relayout.relayout';

export function relayoutExtension(): vscode.Extension<RelayoutApi> {
  const extension = vscode.extensions.getExtension<RelayoutApi>(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed in this host`);
  return extension;
}

export async function relayoutApi(): Promise<RelayoutApi> {
  return relayoutExtension().activate();
}

/**
 * The workspace folder the tests may write into. Every runner opens a throwaway copy of the sample; refusing a folder
 * inside the repository's sample/ keeps a misconfigured run from editing the committed one.
 */
export function scratchWorkspace(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need an open workspace folder');
  const fromSamples = relative(join(relayoutExtension().extensionPath, 'sample'), folder.uri.fsPath);
  assert.ok(
    fromSamples.startsWith('..') || isAbsolute(fromSamples),
    `refusing to modify ${folder.uri.fsPath}: it is the committed sample; open a copy of it instead`,
  );
  return folder.uri;
}

export async function waitFor<T>(
  describeWait: string | (() => string),
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const what = typeof describeWait === 'string' ? describeWait : describeWait();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the plan status (as the file watcher updates it, without a manual refresh) matches `expected`. */
export async function waitForPlanStatus(
  api: RelayoutApi,
  expected: Partial<Record<string, unknown>> & { state: PlanStatus['state'] },
): Promise<PlanStatus> {
  const matches = (status: PlanStatus) =>
    Object.entries(expected).every(([key, value]) => (status as unknown as Record<string, unknown>)[key] === value);
  const describeWait = () => `plan status ${JSON.stringify(expected)} (now ${describeStatus(api.planStatus())})`;
  return waitFor(describeWait, () => {
    const status = api.planStatus();
    return matches(status) ? status : undefined;
  });
}

function describeStatus(status: PlanStatus): string {
  const { planUri, ...rest } = status;
  return JSON.stringify({ ...rest, planFile: planUri?.fsPath });
}

export const threeRulePlan = [
  '# A plan with three move rules.',
  'root: infrastructure',
  'rules:',
  '  - from: infrastructure/kubernetes/base/components/*',
  '    to: infrastructure/platform/{1}',
  '  - from: infrastructure/kubernetes/overlays/*',
  '    to: infrastructure/environments/{1}',
  '  - from: infrastructure/tls',
  '    to: infrastructure/security/tls',
  '',
].join('\n');
