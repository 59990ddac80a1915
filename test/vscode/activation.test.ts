import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from '../../src/vscode/commands';
import { relayoutExtension, waitFor } from './support';

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

describe('Activation and contributions', () => {
  it('activates on its own when the workspace opens (it contains kustomizations and a relayout.yaml)', async () => {
    const extension = relayoutExtension();
    await waitFor('the extension to activate from its activation events', () => (extension.isActive ? true : undefined));
  });

  it('registers every command of the manifest, and the manifest lists exactly the command table', async () => {
    const manifestCommands: ManifestCommand[] = relayoutExtension().packageJSON.contributes.commands;
    const manifestIds = manifestCommands.map((entry) => entry.command).sort();
    assert.deepEqual(manifestIds, Object.values(commandIds).sort());
    for (const entry of manifestCommands) {
      assert.equal(entry.category, 'Relayout', `${entry.command} has category Relayout`);
      assert.match(entry.command, /^relayout\.[a-zA-Z]+$/);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifestIds.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'every contributed command is registered');
  });

  it('contributes the Relayout view container with the Proposed Layout view', () => {
    const contributes = relayoutExtension().packageJSON.contributes;
    assert.deepEqual(
      contributes.viewsContainers.activitybar.map((container: { id: string }) => container.id),
      ['relayout'],
    );
    assert.deepEqual(contributes.views.relayout, [
      { id: 'relayout.proposedLayout', name: 'Proposed Layout', icon: 'media/relayout.svg', contextualTitle: 'Relayout' },
    ]);
  });

  it('registers the plan file JSON Schema for relayout.yaml with the YAML language support', () => {
    const extension = relayoutExtension();
    const [validation, ...others] = extension.packageJSON.contributes.yamlValidation;
    assert.deepEqual(others, []);
    assert.equal(validation.fileMatch, 'relayout.yaml');
    const schema = JSON.parse(readFileSync(join(extension.extensionPath, validation.url), 'utf8'));
    assert.match(schema.$schema, /json-schema\.org/);
    assert.ok(schema.properties.rules, 'the schema describes the rules list');
  });
});
