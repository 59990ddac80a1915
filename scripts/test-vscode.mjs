// `npm run test:vscode`: runs test/vscode in a real VS Code (code-server's workbench in headless Chromium, the
// extension in its Node extension host) on throwaway copies of the sample, and serves the UI bridge the tests use
// to drive the page. Two sessions run side by side, each with its own server and page: a trusted workspace (every
// *.test.ts but the untrusted ones) and an untrusted one with workspace trust on (*.untrusted.test.ts). Prints one
// line per test and ends with exactly
// `N passed, N failed`; a session that does not complete (timeout, host gone, no test ran) counts as one failure.
import { createServer } from 'node:http';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  buildExtension,
  chromiumArgs,
  chromiumPath,
  compiledTestsDir,
  compileVsCodeTests,
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

const sessions = [
  { name: 'trusted', workspaceTrust: false },
  { name: 'untrusted', workspaceTrust: true },
];
const timeoutMs = Number(process.env.RELAYOUT_TEST_TIMEOUT_MS || 300_000);
const screenshotsDir = join(repoRoot, 'test-results');
const started = Date.now();
const deadline = started + timeoutMs;

const servers = new Set();
const pages = new Map();
let browser;
let bridge;
let scratchDir;
let interruptedBy;

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function stopServer(server) {
  if (!servers.delete(server)) return;
  stopProcessGroup(server.process);
  const forceKill = setTimeout(() => stopProcessGroup(server.process, 'SIGKILL'), 5_000);
  await server.exited;
  clearTimeout(forceKill);
}

async function stopEverything() {
  bridge?.close();
  bridge = undefined;
  await browser?.close().catch(() => {});
  browser = undefined;
  await Promise.all([...servers].map(stopServer));
}

// Whatever ends this process, the servers it started must not outlive it.
process.on('exit', () => servers.forEach((server) => stopProcessGroup(server.process, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interruptedBy) return;
    interruptedBy = signal;
    log(`${signal}: stopping the host`);
    void stopEverything().finally(() => {
      if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  });
}

async function screenshot(page, name) {
  const path = join(screenshotsDir, `${String(name).replace(/[^\w.-]+/g, '-').slice(0, 120)}.png`);
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path });
  return path;
}

/** Serves the Playwright actions that test/vscode/uiBridge.ts asks for at /SESSION/ui, on that session's page. */
function startUiBridge(port) {
  const find = (page, { selector, hasText }) => page.locator(selector, hasText ? { hasText } : {}).first();
  // `webview: true`: inside a webview (nested iframes), the first frame of the page that has a match, waited for.
  const locate = async (page, request) => {
    if (!request.webview) return find(page, request);
    const until = Date.now() + request.timeoutMs;
    for (;;) {
      for (const frame of page.frames()) {
        const candidate = find(frame, request);
        if ((await candidate.count().catch(() => 0)) > 0) return candidate;
      }
      if (Date.now() > until) throw new Error(`no webview shows ${request.selector} ${request.hasText ?? ''}`.trim());
      await delay(100);
    }
  };
  const actions = {
    click: async (page, request) => (await locate(page, request)).click({ timeout: request.timeoutMs, button: request.button }),
    waitFor: async (page, request) =>
      (await locate(page, request)).waitFor({ state: request.state ?? 'visible', timeout: request.timeoutMs }),
    text: async (page, request) => (await locate(page, request)).innerText({ timeout: request.timeoutMs }),
    press: (page, { key }) => page.keyboard.press(key),
    type: (page, { text }) => page.keyboard.type(text),
    screenshot: (page, { name }) => screenshot(page, name),
  };
  const httpServer = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', async () => {
      const reply = (status, payload) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      try {
        const command = JSON.parse(body);
        const page = pages.get(/^\/([\w-]+)\/ui$/.exec(request.url ?? '')?.[1]);
        const action = page ? actions[command.action] : undefined;
        if (!action) return reply(404, { ok: false, error: `unknown UI action ${request.url} ${command.action}` });
        const value = await action(page, { timeoutMs: 10_000, ...command });
        reply(200, { ok: true, value: value ?? undefined });
      } catch (error) {
        reply(500, { ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  return new Promise((resolve) => httpServer.listen(port, '127.0.0.1', () => resolve(httpServer)));
}

/**
 * Prints each result line as the extension host appends it, with a screenshot of the workbench soon after each
 * failure; resolves with the session's counts.
 */
async function followResults(session, page, resultsFile, hostExited) {
  const outcome = { passed: 0, failed: 0, pending: 0, failures: [], problem: undefined };
  let consumed = 0;
  let hostGone = false;
  hostExited.then(() => (hostGone = true));
  for (;;) {
    const text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.slice(consumed).split('\n').filter(Boolean)) {
      const result = JSON.parse(line);
      if (result.event === 'pass') {
        outcome.passed++;
        console.log(`  ✓ [${session.name}] ${result.title} (${result.durationMs} ms)`);
      } else if (result.event === 'fail') {
        outcome.failed++;
        const shot = await screenshot(page, `failed-${result.title}`).catch(() => undefined);
        outcome.failures.push({ ...result, shot });
        console.log(`  ✗ [${session.name}] ${result.title}`);
      } else if (result.event === 'pending') {
        outcome.pending++;
        console.log(`  - [${session.name}] ${result.title} (skipped)`);
      } else if (result.event === 'end') {
        if (outcome.passed + outcome.failed === 0) outcome.problem = 'no test ran';
        return outcome;
      }
    }
    consumed = complete.length;
    if (hostGone) return { ...outcome, problem: 'code-server exited before the tests finished' };
    if (Date.now() > deadline) return { ...outcome, problem: `timed out after ${timeoutMs / 1000} s` };
    await delay(200);
  }
}

async function runSession(session, bridgePort) {
  const sessionDir = join(scratchDir, session.name);
  const source = sampleWorkspace();
  const workspace = join(sessionDir, 'workspace', basename(source));
  copyWorkspace(source, workspace);
  const resultsFile = join(sessionDir, 'results.jsonl');
  const serverLog = join(sessionDir, 'code-server.log');
  const consoleLog = join(sessionDir, 'workbench-console.log');

  const port = await freePort();
  log(`${session.name} session: workspace trust ${session.workspaceTrust ? 'on' : 'off'}, port ${port}`);
  const bridgeUrl = `http://127.0.0.1:${bridgePort}/${session.name}`;
  const server = await startCodeServer({
    port,
    userDataDir: join(sessionDir, 'user-data'),
    extensionsDir: join(sessionDir, 'extensions'),
    workspaceTrust: session.workspaceTrust,
    env: { RELAYOUT_TEST_RESULTS: resultsFile, RELAYOUT_UI_BRIDGE: bridgeUrl, RELAYOUT_TEST_SESSION: session.name },
    onOutput: (text) => appendFileSync(serverLog, text),
  });
  servers.add(server);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('console', (message) => appendFileSync(consoleLog, `[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => appendFileSync(consoleLog, `[pageerror] ${error.stack ?? error.message}\n`));
  pages.set(session.name, page);

  await page.goto(workbenchUrl({ port, folder: workspace, extensionTestsPath: join(compiledTestsDir, 'index') }));
  const outcome = await followResults(session, page, resultsFile, server.exited);
  if (outcome.problem) {
    outcome.shot = await screenshot(page, `${session.name}-did-not-complete`).catch(() => undefined);
  }
  pages.delete(session.name);
  await context.close().catch(() => {});
  await stopServer(server);
  return { ...outcome, session: session.name, logs: sessionDir };
}

async function main() {
  await ensureHostInstalled();
  log('building the extension and the extension tests');
  buildExtension();
  await compileVsCodeTests();

  scratchDir = mkdtempSync(join(tmpdir(), 'relayout-vscode-test-'));
  log(`scratch folder ${scratchDir}`);
  const bridgePort = await freePort();
  bridge = await startUiBridge(bridgePort);
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs,
    // Playwright would otherwise exit on these signals itself, before the server is stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });

  const outcomes = await Promise.all(sessions.map((session) => runSession(session, bridgePort)));
  await stopEverything();

  for (const outcome of outcomes) {
    for (const failure of outcome.failures) {
      console.log(`\n✗ [${outcome.session}] ${failure.title}\n${failure.error.replace(/^/gm, '    ')}`);
      if (failure.shot) console.log(`    screenshot: ${failure.shot}`);
    }
    if (outcome.problem) {
      console.log(`\nThe ${outcome.session} session did not complete: ${outcome.problem}.`);
      if (outcome.shot) console.log(`    screenshot: ${outcome.shot}`);
    }
  }
  const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
  const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed + (outcome.problem ? 1 : 0), 0);
  const skipped = outcomes.reduce((sum, outcome) => sum + outcome.pending, 0);
  if (failed > 0) console.log(`\nLogs kept in ${scratchDir} (per session: code-server.log, workbench-console.log)`);
  else rmSync(scratchDir, { recursive: true, force: true });

  if (skipped > 0) console.log(`${skipped} skipped`);
  console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch(async (error) => {
  if (interruptedBy) return;
  console.error(error instanceof Error ? error.message : error);
  await stopEverything();
  if (scratchDir) console.error(`Logs kept in ${scratchDir}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
