import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { commandIds } from '../../src/vscode/commands';
import type { RelayoutApi } from '../../src/vscode/extension';
import type { MoveOutcome } from '../../src/vscode/moveService';
import type { ViewNode } from '../../src/vscode/proposedLayoutView';
import { summarizeProgress } from '../../src/vscode/statusBar';
import { committedSample, resetToSample, withPreview, workspacePath } from './sampleWorkspace';
import { waitFor } from './support';

interface Row {
  label: string;
  description: string | undefined;
  icon: string | undefined;
  contextValue: string | undefined;
}

function rowOf(api: RelayoutApi, node: ViewNode): Row {
  const item = api.layoutView.getTreeItem(node);
  return {
    label: String(typeof item.label === 'object' ? item.label.label : item.label),
    description: typeof item.description === 'string' ? item.description : undefined,
    icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
    contextValue: item.contextValue,
  };
}

function rows(api: RelayoutApi, nodes: readonly ViewNode[]): Row[] {
  return nodes.map((node) => rowOf(api, node));
}

/** The node reached by following labels from the top of the view. */
function nodeAt(api: RelayoutApi, ...labels: string[]): ViewNode | undefined {
  let node: ViewNode | undefined;
  for (const label of labels) {
    node = api.layoutView.getChildren(node).find((child) => rowOf(api, child).label === label);
    if (!node) return undefined;
  }
  return node;
}

function topLevel(api: RelayoutApi): string[] {
  return rows(api, api.layoutView.getChildren()).map((row) => `${row.label} ${row.description ?? ''}`.trim());
}

describe('Proposed Layout view', () => {
  beforeEach(async () => {
    await resetToSample();
  });

  after(async () => {
    await resetToSample();
  });

  it("shows the sample plan's layout folders in plan order, with counts and state icons", async () => {
    const api = await resetToSample();
    assert.deepEqual(topLevel(api), [
      'environments 0/31 moved',
      'platform 0/5 moved',
      'services 0/62 moved',
      'monitoring 0/16 moved',
      'cicd 0/17 moved',
      'security 0/37 moved',
      'scripts 0/9 moved',
      'docs',
    ]);
    const [environments] = api.layoutView.getChildren();
    const tooltip = api.layoutView.getTreeItem(environments!).tooltip;
    assert.equal(tooltip, 'infrastructure/environments/\nEnvironment-specific configurations\n0/31 moved');
    assert.deepEqual(rows(api, api.layoutView.getChildren(nodeAt(api, 'scripts'))), [
      { label: 'setup', description: '0/3 moved', icon: 'arrow-circle-right', contextValue: 'relayout.folder' },
      { label: 'deployment', description: '0/3 moved', icon: 'arrow-circle-right', contextValue: 'relayout.folder' },
      { label: 'maintenance', description: '0/2 moved', icon: 'warning', contextValue: 'relayout.folder' },
      { label: 'verification', description: '0/1 moved', icon: 'arrow-circle-right', contextValue: 'relayout.folder' },
    ]);
    assert.deepEqual(rows(api, api.layoutView.getChildren(nodeAt(api, 'scripts', 'setup'))), [
      { label: 'generate-certificates.sh', description: 'from infrastructure/tls/generate-certificates.sh', icon: 'arrow-circle-right', contextValue: 'relayout.entry.movable' },
      { label: 'generate-minio-certificates.sh', description: 'from infrastructure/tls/generate-minio-certificates.sh', icon: 'arrow-circle-right', contextValue: 'relayout.entry.movable' },
      { label: 'setup-dockerhub-secrets.sh', description: 'from infrastructure/kubernetes/setup-dockerhub-secrets.sh', icon: 'arrow-circle-right', contextValue: 'relayout.entry.movable' },
    ]);
    // A folder rule's destination carries the whole-folder move.
    assert.deepEqual(rowOf(api, nodeAt(api, 'cicd', 'tekton')!), {
      label: 'tekton',
      description: '0/12 moved · from infrastructure/ci-cd/tekton',
      icon: 'warning',
      contextValue: 'relayout.folder.movable',
    });
  });

  it('opens the file where it is now when an item is clicked', async () => {
    const api = await resetToSample();
    const item = api.layoutView.getTreeItem(nodeAt(api, 'scripts', 'setup', 'setup-dockerhub-secrets.sh')!);
    assert.ok(item.command);
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = await waitFor('the file to open', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.fsPath, workspacePath('infrastructure/kubernetes/setup-dockerhub-secrets.sh'));
  });

  it('updates by itself after a move: the file is done, the counts and the status summary follow', async () => {
    const api = await resetToSample();
    const moved = 'infrastructure/kubernetes/setup-dockerhub-secrets.sh';
    await withPreview('never', async () => {
      const outcome = await api.moveService!.move([{ from: moved, to: 'infrastructure/scripts/setup/setup-dockerhub-secrets.sh' }]);
      assert.equal(outcome.status, 'applied');
    });
    await waitFor('the tree to show the move', () => (topLevel(api).includes('scripts 1/9 moved') ? true : undefined));
    assert.deepEqual(rowOf(api, nodeAt(api, 'scripts', 'setup', 'setup-dockerhub-secrets.sh')!), {
      label: 'setup-dockerhub-secrets.sh',
      description: undefined,
      icon: 'pass-filled',
      contextValue: 'relayout.entry.done',
    });
    const { plan, progress } = api.model!.snapshot();
    assert.deepEqual(summarizeProgress(plan!, progress!), {
      phase: { id: 'phase-2', title: 'Non-Critical Components', index: 1 },
      moved: 1,
      total: 177,
    });
  });

  it('Move to Proposed Location on a tree item moves what it stands for: a whole folder, or one file', async () => {
    const api = await resetToSample();
    await withPreview('never', async () => {
      const folder = nodeAt(api, 'cicd', 'gitea')!;
      const moved = (await vscode.commands.executeCommand(commandIds.moveToProposed, folder)) as MoveOutcome;
      assert.equal(moved.status, 'applied');
      assert.deepEqual(moved.plan.moves, [{ from: 'infrastructure/ci-cd/gitea', to: 'infrastructure/cicd/gitea' }]);
      await waitFor('the tree to show gitea moved', () =>
        rowOf(api, nodeAt(api, 'cicd', 'gitea')!).description === '2/2 moved' ? true : undefined,
      );
      assert.equal(rowOf(api, nodeAt(api, 'cicd', 'gitea')!).contextValue, 'relayout.folder', 'nothing left to move there');

      const file = nodeAt(api, 'scripts', 'setup', 'generate-certificates.sh')!;
      const movedFile = (await vscode.commands.executeCommand(commandIds.moveToProposed, file)) as MoveOutcome;
      assert.deepEqual(movedFile.plan.moves, [
        { from: 'infrastructure/tls/generate-certificates.sh', to: 'infrastructure/scripts/setup/generate-certificates.sh' },
      ]);
    });
    assert.ok(existsSync(workspacePath('infrastructure/cicd/gitea/values.yaml')));
    assert.ok(existsSync(workspacePath('infrastructure/scripts/setup/generate-certificates.sh')));
  });

  it('"Show Only Pending" hides what is in place, and "Show All Items" brings it back', async () => {
    const api = await resetToSample();
    try {
      await vscode.commands.executeCommand(commandIds.showOnlyPending);
      assert.equal(topLevel(api).includes('docs'), false, 'docs has nothing to move');
      assert.equal(nodeAt(api, 'environments', 'staging'), undefined);
      assert.deepEqual(topLevel(api).slice(0, 2), ['environments 0/31 moved', 'platform 0/5 moved']);
    } finally {
      await vscode.commands.executeCommand(commandIds.showAllItems);
    }
    assert.ok(topLevel(api).includes('docs'));
  });

  it('lists files no rule covers under "Not in the plan", and Exclude from Plan adds them to the plan', async () => {
    const api = await resetToSample();
    writeFileSync(workspacePath('infrastructure/stray-notes.txt'), 'notes\n');
    const group = await waitFor('the "Not in the plan" group', () => nodeAt(api, 'Not in the plan'));
    const [stray] = api.layoutView.getChildren(group);
    assert.deepEqual(rowOf(api, stray!), {
      label: 'stray-notes.txt',
      description: 'infrastructure',
      icon: 'circle-slash',
      contextValue: 'relayout.unmatched',
    });

    assert.equal(await vscode.commands.executeCommand(commandIds.excludeFromPlan, stray), true);
    const plan = readFileSync(workspacePath('relayout.yaml'), 'utf8');
    const sample = readFileSync(`${committedSample()}/relayout.yaml`, 'utf8');
    assert.equal(plan, sample.replace('root: infrastructure\n', 'root: infrastructure\nexclude:\n  - "stray-notes.txt"\n'));
    await waitFor('the group to go away', () => (nodeAt(api, 'Not in the plan') ? undefined : true));
    assert.ok(nodeAt(api, 'environments'), 'the plan still loads');
  });

  it('shows a file whose destination is taken in the Conflicts group, with the plan conflict', async () => {
    const api = await resetToSample();
    mkdirSync(workspacePath('infrastructure/scripts/verification'), { recursive: true });
    writeFileSync(workspacePath('infrastructure/scripts/verification/verify-registry.sh'), '#!/bin/sh\n');
    const group = await waitFor('the Conflicts group', () => nodeAt(api, 'Conflicts'));
    assert.deepEqual(
      rows(api, api.layoutView.getChildren(group)).map((row) => [row.label, row.description, row.icon]),
      [
        [
          'Rule `scripts-verification` moves `infrastructure/kubernetes/verify-registry.sh` to `infrastructure/scripts/verification/verify-registry.sh`, where a file already is and stays.',
          'relayout.yaml:276',
          'error',
        ],
        ['verify-registry.sh', 'infrastructure/scripts/verification/verify-registry.sh already exists and stays', 'error'],
      ],
    );
    assert.equal(rowOf(api, nodeAt(api, 'scripts', 'verification')!).icon, 'error');
  });
});
