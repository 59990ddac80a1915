// The VS Code used by `npm run test:vscode` and `npm start`: VS Code's server build from the npm package
// `code-server`, installed pinned into a git-ignored cache (never a dependency: its install scripts refuse root and
// download binaries), shown in headless Chromium through playwright-core. The recipe is /work/shared/TEST-HOST.md.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import fg from 'fast-glob';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const hostDir = join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const installedMarker = join(hostDir, 'install-complete');
const codeServerPackage = join(hostDir, 'node_modules', 'code-server');
const codeServerEntry = join(codeServerPackage, 'out', 'node', 'entry.js');
const bundledVsCode = join(codeServerPackage, 'lib', 'vscode');

export function log(message) {
  process.stderr.write(`[relayout-host] ${message}\n`);
}

function run(command, args, cwd, extraEnv = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd} (status ${result.status}):\n${output}`);
  }
  log(`  ${command} ${args.join(' ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function commandPath(name) {
  const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function chromiumPath() {
  return process.env.CHROME_PATH || '/usr/bin/chromium';
}

/** Installs Debian's chromium and ripgrep when missing; only root can, so anyone else gets told what to run. */
export function ensureSystemPackages() {
  const missing = [];
  if (!existsSync(chromiumPath())) missing.push('chromium');
  if (!commandPath('rg')) missing.push('ripgrep');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing ${missing.join(' and ')}. Install with \`sudo apt-get install -y ${missing.join(' ')}\`` +
        (missing.includes('chromium') ? ' or set CHROME_PATH to a Chromium or Chrome binary.' : '.'),
    );
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  run('apt-get', ['update'], repoRoot);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], repoRoot, { DEBIAN_FRONTEND: 'noninteractive' });
  if (!existsSync(chromiumPath())) throw new Error(`apt-get installed chromium but ${chromiumPath()} does not exist`);
}

const installLock = `${hostDir}.lock`;
const staleLockMs = 10 * 60_000;

/**
 * Installs code-server into the cache once; a marker written last says a previous install completed. A lock folder
 * keeps a second run (`npm start` beside `npm test`) from installing over the first; it waits for the marker instead.
 */
export async function ensureHostInstalled() {
  ensureSystemPackages();
  let toldWaiting = false;
  while (!existsSync(installedMarker)) {
    mkdirSync(dirname(installLock), { recursive: true });
    try {
      mkdirSync(installLock);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - statSync(installLock).mtimeMs > staleLockMs) rmSync(installLock, { recursive: true, force: true });
      else {
        if (!toldWaiting) log(`waiting for another run to finish installing code-server (${installLock})`);
        toldWaiting = true;
        await new Promise((wait) => setTimeout(wait, 2_000));
      }
      continue;
    }
    try {
      installHost();
    } finally {
      rmSync(installLock, { recursive: true, force: true });
    }
  }
}

function installHost() {
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${hostDir} (once, about 75 s)`);
  rmSync(hostDir, { recursive: true, force: true });
  mkdirSync(hostDir, { recursive: true });
  writeFileSync(join(hostDir, 'package.json'), JSON.stringify({ name: 'relayout-vscode-host', private: true }, null, 2));
  const npmInstall = ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save'];
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund'], hostDir);
  run('npm', ['rebuild', 'argon2'], hostDir);
  run('npm', npmInstall, bundledVsCode);
  run('npm', ['rebuild', 'node-pty', '@vscode/spdlog', 'native-watchdog'], bundledVsCode, { npm_config_yes: 'true' });
  const asarLink = join(bundledVsCode, 'node_modules.asar');
  rmSync(asarLink, { force: true });
  run('ln', ['-sfn', 'node_modules', asarLink], bundledVsCode);
  const ripgrepBin = join(bundledVsCode, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(ripgrepBin, { recursive: true });
  cpSync(commandPath('rg'), join(ripgrepBin, 'rg'));
  run('npm', npmInstall, join(bundledVsCode, 'extensions'));
  if (!existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
  writeFileSync(installedMarker, `code-server ${CODE_SERVER_VERSION} installed ${new Date().toISOString()}\n`);
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Bundles dist/extension.js the same way `npm run build` does. */
export function buildExtension() {
  run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--only=extension'], repoRoot);
}

export const compiledTestsDir = join(repoRoot, 'out', 'test', 'vscode');

/** Bundles test/vscode/index.ts and every *.test.ts into out/test/vscode; vscode and mocha stay external. */
export async function compileVsCodeTests() {
  const entryPoints = await fg(['test/vscode/index.ts', 'test/vscode/**/*.test.ts'], { cwd: repoRoot, absolute: true });
  rmSync(compiledTestsDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: join(repoRoot, 'test', 'vscode'),
    outdir: compiledTestsDir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

function portIsFree(port) {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });
}

/** The first free loopback port from `preferred` on, or any free port when none is preferred. */
export async function freePort(preferred) {
  if (preferred === undefined) {
    return new Promise((resolvePort, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address();
        probe.close(() => resolvePort(port));
      });
    });
  }
  for (let port = preferred; port < preferred + 100; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port between ${preferred} and ${preferred + 99}`);
}

/**
 * Starts code-server in its own process group so that stopping it also stops the extension host and file watcher
 * it spawns. Resolves once it answers HTTP.
 */
export async function startCodeServer({ port, userDataDir, extensionsDir, workspaceTrust = false, env = {}, onOutput }) {
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
  ];
  const server = spawn(process.execPath, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const output = [];
  const collect = (chunk) => {
    const text = chunk.toString();
    output.push(text);
    onOutput?.(text);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  const exited = new Promise((resolveExit) => server.once('exit', (code, signal) => resolveExit({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await Promise.race([
      fetch(`${url}/healthz`).then((response) => (response.ok ? 'up' : 'starting'), () => 'starting'),
      exited.then(() => 'exited'),
    ]);
    if (status === 'up') break;
    if (status === 'exited') {
      throw new Error(`code-server exited before answering on ${url}:\n${output.join('').slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      stopProcessGroup(server);
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${output.join('').slice(-4000)}`);
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  return { process: server, url, exited, output };
}

/** Stops a process started with `detached: true` and everything it spawned, by its own process group id. */
export function stopProcessGroup(child, signal = 'SIGTERM') {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** The workbench URL that opens `folder` with this repository loaded as the extension under development. */
export function workbenchUrl({ port, folder, extensionTestsPath }) {
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(repoRoot)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The folder the tests and `npm start` open: the bundled sample, or RELAYOUT_WORKSPACE_SOURCE. */
export function sampleWorkspace() {
  const source = resolve(process.env.RELAYOUT_WORKSPACE_SOURCE || join(repoRoot, 'sample', 'bakery-ia'));
  if (!existsSync(source)) {
    throw new Error(`The workspace to open does not exist: ${source} (set RELAYOUT_WORKSPACE_SOURCE to another folder)`);
  }
  return source;
}

/** Copies a folder so that nothing a test or a demo does can change the committed original. */
export function copyWorkspace(source, destination) {
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(dirname(destination), { recursive: true });
  cpSync(source, destination, { recursive: true, verbatimSymlinks: true });
}
