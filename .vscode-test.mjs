// `npm run test:desktop`: the extension tests in desktop VS Code, downloaded by @vscode/test-electron (needs
// internet). The tests run on a throwaway copy of the sample, never on the committed one. Tests that drive the UI
// through Playwright skip themselves here: only `npm run test:vscode` has a browser page to drive.
import { defineConfig } from '@vscode/test-cli';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { copyWorkspace, sampleWorkspace } from './scripts/vscode-host.mjs';

const source = sampleWorkspace();
const workspaceFolder = join(mkdtempSync(join(tmpdir(), 'relayout-desktop-test-')), basename(source));
copyWorkspace(source, workspaceFolder);

export default defineConfig({
  label: 'desktop',
  files: 'out/test/vscode/**/*.test.js',
  version: '1.100.3',
  workspaceFolder,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 30_000, color: true },
});
