// `npm start [-- FOLDER]`: builds the extension and serves VS Code on 127.0.0.1 (port 8080 or the next free one)
// with Relayout loaded as the extension under development. It opens a scratch copy of the sample in
// .vscode-test/workspace, made fresh at each start, so moves tried in the demo never touch the committed sample;
// pass a folder to open that folder itself instead. Ctrl+C stops the server and everything it started.
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  buildExtension,
  copyWorkspace,
  ensureHostInstalled,
  freePort,
  log,
  repoRoot,
  sampleWorkspace,
  startCodeServer,
  stopProcessGroup,
  workbenchUrl,
} from './vscode-host.mjs';

const requestedFolder = process.argv[2];
const stateDir = join(repoRoot, '.vscode-test', 'start');

function folderToOpen() {
  if (requestedFolder) {
    const folder = resolve(requestedFolder);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`not a folder: ${folder}`);
    return folder;
  }
  const source = sampleWorkspace();
  const scratch = join(repoRoot, '.vscode-test', 'workspace', basename(source));
  copyWorkspace(source, scratch);
  log(`opening a fresh copy of ${source} in ${scratch}`);
  return scratch;
}

async function main() {
  await ensureHostInstalled();
  buildExtension();
  const folder = folderToOpen();
  const port = await freePort(Number(process.env.PORT || 8080));
  const server = await startCodeServer({
    port,
    userDataDir: join(stateDir, 'user-data'),
    extensionsDir: join(stateDir, 'extensions'),
  });
  const stop = (signal) => {
    log(`${signal}: stopping code-server`);
    stopProcessGroup(server.process);
    setTimeout(() => stopProcessGroup(server.process, 'SIGKILL'), 5_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  console.log(`\nRelayout is running in VS Code. Open this URL in a browser:\n\n  ${workbenchUrl({ port, folder })}\n`);
  console.log('After `npm run build` (or with `npm run watch`), reload the window to load the new build. Ctrl+C stops.');
  const { code, signal } = await server.exited;
  process.exitCode = signal === 'SIGTERM' || signal === 'SIGKILL' || code === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
