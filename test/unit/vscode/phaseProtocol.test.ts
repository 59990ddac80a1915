import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFromWebview } from '../../../src/vscode/phases/protocol';

describe('Phase panel protocol', () => {
  it('accepts the webview messages with their fields, and nothing else', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'runStep', step: 'scripts', extra: 1 }), { type: 'runStep', step: 'scripts' });
    assert.deepEqual(parseFromWebview({ type: 'runPhase', phase: 'phase-2' }), { type: 'runPhase', phase: 'phase-2' });
    assert.deepEqual(parseFromWebview({ type: 'openReport', path: '.relayout/reports/impact.md' }), {
      type: 'openReport',
      path: '.relayout/reports/impact.md',
    });
    for (const type of ['runNext', 'rollBack', 'verify', 'showProblems'] as const) assert.deepEqual(parseFromWebview({ type }), { type });
    assert.equal(parseFromWebview({ type: 'runStep' }), undefined, 'a step id is required');
    assert.equal(parseFromWebview({ type: 'runStep', step: 3 }), undefined);
    assert.equal(parseFromWebview({ type: 'openReport' }), undefined);
    assert.equal(parseFromWebview({ type: 'fold', phase: 'phase-1' }), undefined, 'folding stays in the webview');
    assert.equal(parseFromWebview('runNext'), undefined);
    assert.equal(parseFromWebview(null), undefined);
  });

  it('media/phases.js sends only messages the extension accepts', () => {
    // The code, without the header comment that documents the protocol.
    const script = readFileSync(join(__dirname, '..', '..', '..', 'media', 'phases.js'), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n');
    const sent = new Set([...script.matchAll(/\{ type: '(\w+)'/g)].map((match) => match[1]!));
    const actions = [...script.matchAll(/data-action="(\w+)"/g)].map((match) => match[1]!);
    const panel = readFileSync(join(__dirname, '..', '..', '..', 'src', 'vscode', 'phases', 'progressPanel.ts'), 'utf8');
    for (const action of panel.matchAll(/data-action="(\w+)"/g)) actions.push(action[1]!);
    sent.delete('fold');
    sent.delete('model');
    for (const type of [...sent, ...actions]) {
      assert.ok(parseFromWebview({ type, step: 's', phase: 'p', path: 'x.md' }), `${type} is a FromWebview message`);
    }
    assert.deepEqual([...sent].sort(), ['openReport', 'ready', 'runPhase', 'runStep', 'showProblems'].sort());
    assert.deepEqual(actions.sort(), ['rollBack', 'runNext', 'showProblems', 'verify']);
  });
});
