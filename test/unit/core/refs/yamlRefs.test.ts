import { strict as assert } from 'node:assert';
import { isRemoteUrl, isShellScript, isTemplated, RefCollector, staticPrefix } from '../../../../src/core/refs/yamlRefs';
import { mapGet, parseYaml, seqItems } from '../../../../src/core/refs/yamlSource';
import { Reference, WorkspaceView } from '../../../../src/core/types';

const workspace: WorkspaceView = { stat: (path) => (path === 'a/exists.yaml' ? 'file' : undefined) };

function collect(text: string) {
  const parsed = parseYaml('a/f.yaml', text);
  return { collector: new RefCollector('a/f.yaml', text, parsed.lines, workspace), root: parsed.documents[0].contents };
}

const rule = { kind: 'test.path', base: 'a', baseRule: 'referrer' as const, confidence: 'exact' as const };

describe('yamlRefs', () => {
  it('recognizes remote targets', () => {
    for (const remote of [
      'https://github.com/org/repo//deploy?ref=v1',
      'http://example.com/x.yaml',
      'ssh://git@github.com/org/repo.git',
      'git@github.com:org/repo.git',
      'github.com/org/repo/deploy',
      'gitlab.com/org/repo',
      'org/repo//path',
      'base?ref=main',
    ]) {
      assert.equal(isRemoteUrl(remote), true, remote);
    }
    for (const local of ['../base', './a/b.yaml', 'base', 'v1.2/app.yaml', '/ci/x.yml']) assert.equal(isRemoteUrl(local), false, local);
  });

  it('recognizes templated paths and finds static prefixes', () => {
    for (const templated of ['a/${X}', 'a/$X/b', '$(params.dir)/x', '{{path}}', 'x/${{ matrix.env }}']) assert.equal(isTemplated(templated), true, templated);
    assert.equal(isTemplated('a/b-$/c'), false);
    assert.equal(staticPrefix('infra/k8s/**/*.yaml'), 'infra/k8s');
    assert.equal(staticPrefix('./infra/*'), 'infra');
    assert.equal(staticPrefix('**.md'), '');
    assert.equal(staticPrefix('a/b.yaml'), 'a');
  });

  it('tells shell scripts from other interpreters by their #! line', () => {
    assert.equal(isShellScript('echo hi'), true);
    assert.equal(isShellScript('#!/bin/sh\necho'), true);
    assert.equal(isShellScript('#!/usr/bin/env bash\necho'), true);
    assert.equal(isShellScript('#!/usr/bin/env python3\nprint()'), false);
    assert.equal(isShellScript('#!/usr/bin/node\n'), false);
  });

  describe('RefCollector', () => {
    it('records a reference with its exact range, line and column', () => {
      const text = 'x:\n  y: "../b/c.yaml"\n';
      const { collector, root } = collect(text);
      const ref = collector.pathNode(mapGet(mapGet(root, 'x'), 'y'), rule)!;
      const expected: Reference = {
        from: 'a/f.yaml',
        start: 9,
        end: 20,
        line: 2,
        column: 7,
        text: '../b/c.yaml',
        kind: 'test.path',
        base: 'a',
        baseRule: 'referrer',
        target: 'b/c.yaml',
        confidence: 'exact',
      };
      assert.deepEqual(ref, expected);
      assert.deepEqual(collector.extraction.refs, [expected]);
    });

    it('skips absolute, home, drive, root and remote paths unless the format makes / the root', () => {
      const text = 'l: [/etc/x, ~/x, "C:/x", https://a.b/c, /ci/x.yml, .]\n';
      const { collector, root } = collect(text);
      const items = seqItems(mapGet(root, 'l'));
      for (const item of items.slice(0, 5)) collector.pathNode(item, rule);
      assert.equal(collector.pathNode(items[5], { ...rule, base: '' }), undefined);
      assert.deepEqual(collector.extraction.refs, []);
      const ref = collector.pathNode(items[4], { ...rule, base: '', rootAbsolute: true })!;
      assert.deepEqual([ref.text, ref.target], ['/ci/x.yml', 'ci/x.yml']);
    });

    it('keeps guessed paths only when they exist, and marks globs', () => {
      const text = 'l: [exists.yaml, missing.yaml, "k8s/*/x.yaml"]\n';
      const { collector, root } = collect(text);
      const [exists, missing, glob] = seqItems(mapGet(root, 'l'));
      assert.equal(collector.pathNode(exists, { ...rule, mustExist: true })?.target, 'a/exists.yaml');
      assert.equal(collector.pathNode(missing, { ...rule, mustExist: true }), undefined);
      const globRef = collector.pathNode(glob, { ...rule, glob: true })!;
      assert.deepEqual([globRef.text, globRef.target, globRef.glob], ['k8s/*/x.yaml', 'a/k8s', true]);
    });

    it('reviews a path written with escapes instead of splicing it', () => {
      const text = 'p: "dir\\u002Fx.yaml/y"\n';
      const { collector, root } = collect(text);
      assert.equal(collector.pathNode(mapGet(root, 'p'), rule), undefined);
      assert.deepEqual(collector.extraction.review.map((item) => [item.start, item.end, item.text, item.kind]), [[4, 21, 'dir\\u002Fx.yaml/y', 'test.path']]);
    });

    it('merges another extraction, dropping findings over ranges already recorded', () => {
      const text = 'p: a/b.yaml\n';
      const { collector, root } = collect(text);
      const mine = collector.pathNode(mapGet(root, 'p'), rule)!;
      const overlapping: Reference = { ...mine, kind: 'shell.path', confidence: 'probable' };
      const elsewhere: Reference = { ...mine, start: 0, end: 1, text: 'p', kind: 'shell.path' };
      const problem = { file: 'a/f.yaml', line: 1, column: 1, message: 'm', severity: 'warning' as const };
      collector.merge({ refs: [overlapping, elsewhere], review: [], problems: [problem] });
      assert.deepEqual(collector.extraction.refs, [mine, elsewhere]);
      assert.deepEqual(collector.extraction.problems, [problem]);
    });
  });
});
