import { strict as assert } from 'node:assert';
import { toSarif } from '../../../../src/core/verify/sarif';
import type { VerifyReport } from '../../../../src/core/verify/verify';

const report: VerifyReport = {
  passed: false,
  baselineCreatedAt: '2026-01-01T00:00:00.000Z',
  references: {
    passed: false,
    introduced: [{ from: 'docs/read me.md', line: 12, column: 7, kind: 'markdown.link', text: '../base/x.yaml', target: 'base/x.yaml' }],
    preExisting: [{ from: 'a.md', line: 1, column: 1, kind: 'markdown.link', text: 'gone.md', target: 'gone.md' }],
    fixed: [],
    lost: [{ from: 'run.sh', line: 4, column: 9, kind: 'shell.path', text: 'old/x.sh', target: 'new/x.sh' }],
  },
  renders: {
    status: 'compared',
    passed: false,
    roots: [
      { dir: 'base', file: 'base/kustomization.yaml', status: 'same', objectCount: 2 },
      {
        dir: 'envs/dev',
        file: 'envs/dev/kustomization.yaml',
        baselineDir: 'overlays/dev',
        status: 'changed',
        objectCount: 2,
        diff: {
          added: [],
          removed: [{ apiVersion: 'v1', kind: 'Service', namespace: 'dev', name: 'web' }],
          modified: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'dev', name: 'web', fields: ['spec.replicas'] }],
        },
      },
      { dir: 'old', file: 'old/kustomization.yaml', status: 'still-failing', error: 'boom' },
      { dir: 'prod', file: 'prod/Kustomization', status: 'failed', error: 'accumulating resources: missing' },
    ],
  },
  warnings: [],
};

describe('verify/sarif', () => {
  it('writes a SARIF 2.1.0 log with one located result per new problem', () => {
    const log = toSarif(report);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'relayout');
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, run.tool.driver.rules[r.ruleIndex].id, r.level]),
      [
        ['RL001', 'RL001', 'error'],
        ['RL005', 'RL005', 'error'],
        ['RL002', 'RL002', 'error'],
        ['RL003', 'RL003', 'error'],
      ],
    );
    const [broken, stale, changed, failed] = run.results;
    assert.deepEqual(stale.locations[0].physicalLocation.region, { startLine: 4, startColumn: 9 });
    assert.match(stale.message.text, /'old\/x\.sh' no longer reaches new\/x\.sh/);
    assert.deepEqual(broken.locations[0].physicalLocation, {
      artifactLocation: { uri: 'docs/read%20me.md', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 7 },
    });
    assert.match(broken.message.text, /'\.\.\/base\/x\.yaml'.*base\/x\.yaml/);
    assert.equal(changed.locations[0].physicalLocation.artifactLocation.uri, 'envs/dev/kustomization.yaml');
    assert.match(changed.message.text, /envs\/dev \(was overlays\/dev\).*removed Service dev\/web; modified Deployment dev\/web \(spec\.replicas\)/);
    assert.match(failed.message.text, /accumulating resources: missing/);
    assert.ok(run.results.every((r) => Object.keys(r.partialFingerprints).length === 1));
    assert.ok(run.originalUriBaseIds['%SRCROOT%']);
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(log)));
  });

  it('has no results when nothing regressed', () => {
    const clean: VerifyReport = {
      ...report,
      references: { ...report.references, introduced: [], lost: [] },
      renders: { status: 'skipped', reason: 'x' },
    };
    assert.deepEqual(toSarif(clean).runs[0].results, []);
  });
});
