// The mocha runner that the workbench calls inside the extension host (`extensionTestsPath`). It streams one JSON
// line per result to the file named by RELAYOUT_TEST_RESULTS, so the harness can print progress live and can tell a
// finished run from a hung one. The harness's untrusted session (RELAYOUT_TEST_SESSION=untrusted) runs only the
// *.untrusted.test.js files; every other run runs all the others.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export type ResultRecord =
  | { event: 'pass'; title: string; durationMs: number }
  | { event: 'fail'; title: string; error: string }
  | { event: 'pending'; title: string }
  | { event: 'end'; passed: number; failed: number; pending: number };

export function run(): Promise<void> {
  const resultsFile = process.env.RELAYOUT_TEST_RESULTS;
  const record = (result: ResultRecord) => {
    if (resultsFile) appendFileSync(resultsFile, `${JSON.stringify(result)}\n`);
  };
  if (resultsFile) writeFileSync(resultsFile, '');

  // RELAYOUT_TEST_GREP runs only the tests whose full title matches it (while working on a few of them).
  const grep = process.env.RELAYOUT_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  const untrustedSession = process.env.RELAYOUT_TEST_SESSION === 'untrusted';
  const testFiles = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js') && name.endsWith('.untrusted.test.js') === untrustedSession)
    .sort();
  for (const file of testFiles) mocha.addFile(join(__dirname, file));

  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    let pending = 0;
    const runner = mocha.run(() => {
      record({ event: 'end', passed, failed, pending });
      if (failed > 0) reject(new Error(`${failed} of ${passed + failed} extension tests failed`));
      else resolve();
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => {
      passed++;
      record({ event: 'pass', title: test.fullTitle(), durationMs: test.duration ?? 0 });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, error: Error) => {
      failed++;
      record({ event: 'fail', title: test.fullTitle(), error: error.stack ?? String(error) });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => {
      pending++;
      record({ event: 'pending', title: test.fullTitle() });
    });
  });
}
