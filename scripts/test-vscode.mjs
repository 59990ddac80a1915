// `npm run test:vscode`: runs test/vscode in a real VS Code (code-server's workbench in headless Chromium, the
// extension in its Node extension host) on a throwaway copy of the sample, and serves the UI bridge the tests use
// to drive the page. Prints one line per test and ends with exactly `N passed, N failed`.
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

const timeoutMs = Number(process.env.RELAYOUT_TEST_TIMEOUT_MS || 300_000);
const screenshotsDir = join(repoRoot, 'test-results');
const started = Date.now();

let server;
let browser;
let bridge;
let scratchDir;
let stopping = false;

async function stopEverything() {
  if (stopping) return;
  stopping = true;
  bridge?.close();
  await browser?.close().catch(() => {});
  if (server) {
    stopProcessGroup(server.process);
    const exited = await Promise.race([server.exited.then(() => true), delay(5_000).then(() => false)]);
    if (!exited) stopProcessGroup(server.process, 'SIGKILL');
  }
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Whatever ends this process, the server it started must not outlive it.
process.on('exit', () => stopProcessGroup(server?.process, 'SIGKILL'));
let interruptedBy;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interruptedBy = signal;
    log(`${signal}: stopping the host`);
    void stopEverything().finally(() => {
      if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  });
}

/** Serves the Playwright actions that test/vscode/uiBridge.ts asks for. */
function startUiBridge(page, port) {
  const find = ({ selector, hasText }) => page.locator(selector, hasText ? { hasText } : {}).first();
  const actions = {
    click: (request) => find(request).click({ timeout: request.timeoutMs }),
    waitFor: (request) => find(request).waitFor({ state: request.state ?? 'visible', timeout: request.timeoutMs }),
    text: (request) => find(request).innerText({ timeout: request.timeoutMs }),
    press: ({ key }) => page.keyboard.press(key),
    screenshot: ({ name }) => screenshot(page, name),
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
        const action = request.url === '/ui' ? actions[command.action] : undefined;
        if (!action) return reply(404, { ok: false, error: `unknown UI action ${request.url} ${command.action}` });
        const value = await action({ timeoutMs: 10_000, ...command });
        reply(200, { ok: true, value: value ?? undefined });
      } catch (error) {
        reply(500, { ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  return new Promise((resolve) => httpServer.listen(port, '127.0.0.1', () => resolve(httpServer)));
}

async function screenshot(page, name) {
  const path = join(screenshotsDir, `${String(name).replace(/[^\w.-]+/g, '-').slice(0, 120)}.png`);
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path });
  return path;
}

/**
 * Prints each result line as the extension host appends it, with a screenshot of the workbench soon after each
 * failure; resolves with the final counts.
 */
async function followResults(page, resultsFile, hostExited) {
  const counts = { passed: 0, failed: 0, pending: 0, ended: false };
  const failures = [];
  let consumed = 0;
  const deadline = started + timeoutMs;
  let hostGone = false;
  hostExited.then(() => (hostGone = true));
  while (!counts.ended) {
    const text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.slice(consumed).split('\n').filter(Boolean)) {
      const result = JSON.parse(line);
      if (result.event === 'pass') {
        counts.passed++;
        console.log(`  ✓ ${result.title} (${result.durationMs} ms)`);
      } else if (result.event === 'fail') {
        counts.failed++;
        const shot = await screenshot(page, `failed-${result.title}`).catch(() => undefined);
        failures.push({ ...result, shot });
        console.log(`  ✗ ${result.title}`);
      } else if (result.event === 'pending') {
        counts.pending++;
        console.log(`  - ${result.title} (skipped)`);
      } else if (result.event === 'end') {
        counts.ended = true;
      }
    }
    consumed = complete.length;
    if (counts.ended) break;
    if (hostGone) return { ...counts, failures, problem: 'code-server exited before the tests finished' };
    if (Date.now() > deadline) return { ...counts, failures, problem: `timed out after ${timeoutMs / 1000} s` };
    await delay(200);
  }
  return { ...counts, failures };
}

async function main() {
  ensureHostInstalled();
  log('building the extension and the extension tests');
  buildExtension();
  await compileVsCodeTests();

  scratchDir = mkdtempSync(join(tmpdir(), 'relayout-vscode-test-'));
  const source = sampleWorkspace();
  const workspace = join(scratchDir, 'workspace', basename(source));
  copyWorkspace(source, workspace);
  const resultsFile = join(scratchDir, 'results.jsonl');
  const serverLog = join(scratchDir, 'code-server.log');
  const consoleLog = join(scratchDir, 'workbench-console.log');

  const bridgePort = await freePort();
  const port = await freePort();
  log(`starting code-server on 127.0.0.1:${port} (scratch folder ${scratchDir})`);
  server = await startCodeServer({
    port,
    userDataDir: join(scratchDir, 'user-data'),
    extensionsDir: join(scratchDir, 'extensions'),
    env: { RELAYOUT_TEST_RESULTS: resultsFile, RELAYOUT_UI_BRIDGE: `http://127.0.0.1:${bridgePort}` },
    onOutput: (text) => appendFileSync(serverLog, text),
  });

  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs,
    // Playwright would otherwise exit on these signals itself, before the server is stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (message) => appendFileSync(consoleLog, `[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => appendFileSync(consoleLog, `[pageerror] ${error.stack ?? error.message}\n`));
  bridge = await startUiBridge(page, bridgePort);

  await page.goto(workbenchUrl({ port, folder: workspace, extensionTestsPath: join(compiledTestsDir, 'index') }));
  const outcome = await followResults(page, resultsFile, server.exited);

  for (const failure of outcome.failures) {
    console.log(`\n✗ ${failure.title}\n${failure.error.replace(/^/gm, '    ')}`);
    if (failure.shot) console.log(`    screenshot: ${failure.shot}`);
  }
  let problem = outcome.problem;
  if (!problem && outcome.passed + outcome.failed === 0) problem = 'no test ran';
  if (problem) {
    const shot = await screenshot(page, 'run-did-not-complete').catch(() => 'none');
    console.log(`\nThe run did not complete: ${problem}. Workbench screenshot: ${shot}`);
    console.log(`Logs kept in ${scratchDir} (code-server.log, workbench-console.log)`);
  }
  await stopEverything();
  const failedOrBroken = outcome.failed > 0 || Boolean(problem);
  if (!failedOrBroken) rmSync(scratchDir, { recursive: true, force: true });
  else if (!problem) console.log(`\nLogs kept in ${scratchDir}`);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (outcome.pending > 0) console.log(`${outcome.pending} skipped`);
  console.log(`took ${seconds} s`);
  console.log(`${outcome.passed} passed, ${outcome.failed + (problem ? 1 : 0)} failed`);
  process.exitCode = failedOrBroken ? 1 : 0;
}

main().catch(async (error) => {
  if (interruptedBy) return;
  console.error(error instanceof Error ? error.message : error);
  await stopEverything();
  if (scratchDir) console.error(`Logs kept in ${scratchDir}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
