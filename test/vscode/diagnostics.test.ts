import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { MemoryFileSource } from '../../src/core/inventory/source';
import { ReferenceIndex } from '../../src/core/refs/index';
import { workspacePath } from './sampleWorkspace';
import { restoreFile, sampleText, scratchUri } from './scratch';
import { waitFor } from './support';

const base = 'infrastructure/kubernetes/base';
const baseKustomization = `${base}/kustomization.yaml`;

/** Relayout's diagnostics of one file, once `accept` holds for them. */
async function relayoutDiagnostics(
  path: string,
  describeWait: string,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  const uri = scratchUri(path);
  return waitFor(describeWait, () => {
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Relayout');
    return accept(diagnostics) ? diagnostics : undefined;
  });
}

async function textAt(path: string, range: vscode.Range): Promise<string> {
  return (await vscode.workspace.openTextDocument(scratchUri(path))).getText(range);
}

async function relayoutQuickFixes(path: string, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    scratchUri(path),
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((action) => action.title.startsWith('Point to '));
}

describe('Diagnostics for references that do not resolve', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it("reports the sample's one broken reference, the stale Markdown link in docs/monitoring.md, and nothing else", async () => {
    const [diagnostic] = await relayoutDiagnostics('docs/monitoring.md', 'the broken link diagnostic', (found) => found.length === 1);
    assert.equal(diagnostic!.message, 'infrastructure/signoz/alerts/alert-rules.yaml does not exist');
    assert.equal(diagnostic!.code, 'markdown.link');
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic!.range.start.line, 40);
    assert.equal(await textAt('docs/monitoring.md', diagnostic!.range), '../infrastructure/signoz/alerts/alert-rules.yaml');
    assert.deepEqual(await relayoutQuickFixes('docs/monitoring.md', diagnostic!.range), [], 'nothing to point it at');

    const everyReferenceDiagnostic = vscode.languages
      .getDiagnostics()
      .flatMap(([uri, diagnostics]) =>
        diagnostics.filter((entry) => entry.source === 'Relayout' && typeof entry.code === 'string').map(() => vscode.workspace.asRelativePath(uri)),
      );
    assert.deepEqual(everyReferenceDiagnostic, ['docs/monitoring.md']);
  });

  it('reports a kustomization entry broken on purpose, at the entry, and clears it once the entry is fixed', async () => {
    const original = sampleText(baseKustomization);
    assert.ok(original.includes('  - configmap.yaml\n'));
    try {
      writeFileSync(workspacePath(baseKustomization), original.replace('  - configmap.yaml\n', '  - config-map.yaml\n'));
      const [diagnostic] = await relayoutDiagnostics(baseKustomization, 'the broken entry diagnostic', (found) => found.length === 1);
      assert.equal(diagnostic!.message, `${base}/config-map.yaml does not exist`);
      assert.equal(diagnostic!.code, 'kustomize.resources');
      assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(await textAt(baseKustomization, diagnostic!.range), 'config-map.yaml');
      assert.equal(diagnostic!.range.start.line, original.split('\n').indexOf('  - configmap.yaml'));
      assert.deepEqual(await relayoutQuickFixes(baseKustomization, diagnostic!.range), [], 'no file is named config-map.yaml');
    } finally {
      await restoreFile(baseKustomization, original);
    }
    await relayoutDiagnostics(baseKustomization, 'the diagnostic to clear', (found) => found.length === 0);
  });

  it("reports invalid YAML in a kustomization as the index reads it, at the parser's line and column", async () => {
    const cert = `${base}/components/cert-manager/kustomization.yaml`;
    const original = readFileSync(workspacePath(cert), 'utf8');
    const broken = original.replace('resources: [', 'resources: [[');
    assert.notEqual(broken, original);
    const [problem, ...others] = ReferenceIndex.build(new MemoryFileSource({ [cert]: broken })).problemsFor(cert);
    assert.deepEqual(others, []);
    try {
      writeFileSync(workspacePath(cert), broken);
      const [diagnostic, ...more] = await relayoutDiagnostics(cert, 'the invalid YAML diagnostic', (found) => found.length > 0);
      assert.deepEqual(more, []);
      assert.match(diagnostic!.message, /^Invalid YAML: /);
      assert.equal(diagnostic!.message, problem!.message);
      assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([diagnostic!.range.start.line, diagnostic!.range.start.character], [problem!.line - 1, problem!.column - 1]);
    } finally {
      await restoreFile(cert, original);
    }
    await relayoutDiagnostics(cert, 'the diagnostic to clear', (found) => found.length === 0);
  });

  it('after a move outside the editor, repoints the entry with a quick fix whose edit is exactly the entry, in the BOM file', async () => {
    const databases = `${base}/components/databases`;
    const kustomization = `${databases}/kustomization.yaml`;
    const original = readFileSync(workspacePath(kustomization), 'utf8');
    assert.equal(original.charCodeAt(0), 0xfeff, 'the databases kustomization starts with a BOM');
    const entryLine = original.split('\n').findIndex((line) => line.endsWith('- auth-db.yaml') || line.endsWith('- auth-db.yaml\r'));
    assert.ok(entryLine > 0);
    const from = workspacePath(`${databases}/auth-db.yaml`);
    const to = workspacePath(`${databases}/postgres/auth-db.yaml`);
    mkdirSync(workspacePath(`${databases}/postgres`));
    renameSync(from, to);
    try {
      const [diagnostic] = await relayoutDiagnostics(kustomization, 'the entry to break', (found) => found.length === 1);
      assert.equal(diagnostic!.message, `${databases}/auth-db.yaml does not exist`);
      assert.equal(diagnostic!.range.start.line, entryLine);
      assert.equal(await textAt(kustomization, diagnostic!.range), 'auth-db.yaml');

      const [fix, ...others] = await waitFor('the quick fix', async () => {
        const fixes = await relayoutQuickFixes(kustomization, diagnostic!.range);
        return fixes.length > 0 ? fixes : undefined;
      });
      assert.deepEqual(others, []);
      assert.equal(fix!.title, `Point to ${databases}/postgres/auth-db.yaml (where it is now)`);
      assert.equal(fix!.kind?.value, vscode.CodeActionKind.QuickFix.value);
      const entries = fix!.edit!.entries();
      assert.equal(entries.length, 1);
      const [uri, edits] = entries[0]!;
      assert.equal(uri.toString(), scratchUri(kustomization).toString());
      assert.equal(edits.length, 1);
      assert.ok(edits[0]!.range.isEqual(diagnostic!.range), 'the edit replaces exactly the entry');
      assert.equal(edits[0]!.newText, 'postgres/auth-db.yaml');

      assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
      const document = await vscode.workspace.openTextDocument(scratchUri(kustomization));
      assert.equal(document.getText(), original.slice(1).replace('- auth-db.yaml', '- postgres/auth-db.yaml'));
      await document.save();
      assert.equal(readFileSync(workspacePath(kustomization), 'utf8'), original.replace('- auth-db.yaml', '- postgres/auth-db.yaml'));
      await relayoutDiagnostics(kustomization, 'the diagnostic to clear after the fix', (found) => found.length === 0);
    } finally {
      renameSync(to, from);
      rmdirSync(workspacePath(`${databases}/postgres`));
      await restoreFile(kustomization, original);
    }
    await relayoutDiagnostics(kustomization, 'the kustomization to be clean again', (found) => found.length === 0);
  });
});
