import { strict as assert } from 'node:assert';
import {
  baseSetterRole,
  commonFolder,
  ignorePatternLine,
  isSingleExpansionSegment,
  sameSequence,
  sequenceItemLine,
  siblingItems,
  templateBase,
  templatedPath,
} from '../../../../src/core/moves/dissolved';
import { LineIndex } from '../../../../src/core/text';
import type { Reference, ReviewItem } from '../../../../src/core/types';

/** A reference over the first occurrence of `text` in `content` (only the range and line matter here). */
function refAt(content: string, text: string, occurrence = 0): Reference {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = content.indexOf(text, start + 1);
  assert.ok(start >= 0, `fixture lacks ${text}`);
  const { line, column } = new LineIndex(content).position(start);
  return { from: 'f', start, end: start + text.length, line, column, text, kind: 'github.paths', base: '', baseRule: 'fixed', target: '', confidence: 'exact' };
}

function item(text: string, target: string): ReviewItem {
  return { file: 'Makefile', start: 10, end: 10 + text.length, line: 2, column: 1, text, kind: 'make.recipe.path', reason: 'variable', target };
}

describe('moves/dissolved', () => {
  it('finds the deepest folder shared by folders, the root when they share none', () => {
    assert.equal(commonFolder(['infra/scripts/setup', 'infra/scripts/setup']), 'infra/scripts/setup');
    assert.equal(commonFolder(['infra/scripts/deployment', 'infra/monitoring/signoz', 'infra/scripts']), 'infra');
    assert.equal(commonFolder(['a/b', 'c']), '');
    assert.equal(commonFolder(['infra/environments', 'infra/environments/prod']), 'infra/environments');
  });

  it('reads a templated path: the static folder after an optional leading variable, and what follows it', () => {
    assert.deepEqual(templatedPath(item('$(K8S_DIR)/overlays/$(OVERLAY)', 'k8s/overlays')), {
      item: item('$(K8S_DIR)/overlays/$(OVERLAY)', 'k8s/overlays'),
      staticOffset: 11,
      staticText: 'overlays/',
      rest: '$(OVERLAY)',
      variable: 'K8S_DIR',
    });
    assert.equal(templatedPath(item('infra/k8s/overlays/${{ matrix.env }}', 'infra/k8s/overlays'))?.variable, undefined);
    assert.equal(templatedPath(item('${DIR}/a/$x', 'd/a'))?.variable, 'DIR');
    // No static folder before the expansion, a glob, or no expansion at all: not a templated path.
    assert.equal(templatedPath(item('$MIGRATIONS/${svc}-job.yaml', 'm')), undefined);
    assert.equal(templatedPath(item('infra/*/x/$y', 'infra')), undefined);
    assert.equal(templatedPath(item('infra/k8s/', 'infra/k8s')), undefined);
  });

  it('tells one whole expansion segment from a longer rest', () => {
    for (const rest of ['$(OVERLAY)', '${ENV}', '$ENV', '${{ matrix.overlay }}', '$(params.service)/']) assert.ok(isSingleExpansionSegment(rest), rest);
    for (const rest of ['$(OVERLAY)/patches', '${name}.json', '$a$b']) assert.ok(!isSingleExpansionSegment(rest), rest);
  });

  it('finds the base a templated path was resolved against among candidates', () => {
    const template = templatedPath(item('$(K8S_DIR)/../environments/$(OVERLAY)', 'infra/environments'))!;
    assert.equal(templateBase(template, ['infra/tls', 'infra/k8s']), 'infra/tls');
    assert.equal(templateBase(template, ['other/x']), undefined);
  });

  it('tells what a base-naming reference sets: the variable it assigns, or the working directory', () => {
    const text = 'K8S_DIR := infra/k8s\nexport CERTS="infra/tls"\n\tcd infra/tls && ./gen.sh\n      working-directory: infra/helm\n';
    assert.equal(baseSetterRole(text, refAt(text, 'infra/k8s')), 'K8S_DIR');
    assert.equal(baseSetterRole(text, refAt(text, 'infra/tls')), 'CERTS');
    assert.equal(baseSetterRole(text, refAt(text, 'infra/tls', 1)), 'cwd');
    assert.equal(baseSetterRole(text, refAt(text, 'infra/helm')), 'cwd');
  });

  it('reads the block sequence item line of a glob with its quote, negation and line break, and nothing else', () => {
    const text = "paths:\r\n  - 'a/**'   # trigger\r\n  - !b/*.sh\r\n  - \"c/**\"\nflow: ['d/**']\nkey: e/**\n";
    const quoted = sequenceItemLine(text, refAt(text, 'a/**'))!;
    assert.deepEqual(
      { ...quoted },
      { contentEnd: text.indexOf('\r\n  - !'), lead: '  - ', quote: "'", negation: '', anchor: '', lineBreak: '\r\n', lineStart: 8, lineEnd: text.indexOf('  - !') },
    );
    assert.equal(siblingItems(quoted, ['x/**', 'y.sh']), "\r\n  - 'x/**'\r\n  - 'y.sh'");
    assert.equal(sequenceItemLine(text, refAt(text, 'b/*.sh'))?.negation, '!');
    assert.equal(sequenceItemLine(text, refAt(text, 'c/**'))?.quote, '"');
    assert.equal(sequenceItemLine(text, refAt(text, 'd/**')), undefined);
    assert.equal(sequenceItemLine(text, refAt(text, 'e/**')), undefined);
  });

  it('reads the line of an anchored ignore pattern with its indentation and !, and nothing else', () => {
    const text = 'ignore: |\n  /*\n  !/deploy/apps/\r\n  /tmp/ # not a comment in gitignore\n';
    const negated = ignorePatternLine(text, refAt(text, 'deploy/apps/'))!;
    assert.deepEqual(
      { ...negated },
      { contentEnd: text.indexOf('\r\n'), lead: '  ', quote: '', negation: '!', anchor: '/', lineBreak: '\r\n', lineStart: 15, lineEnd: text.indexOf('  /tmp') },
    );
    assert.equal(siblingItems(negated, ['x/', 'y.yaml']), '\r\n  !/x/\r\n  !/y.yaml');
    assert.equal(ignorePatternLine(text, refAt(text, 'tmp/')), undefined);
    assert.equal(ignorePatternLine(text, refAt(text, 'ignore')), undefined);
  });

  it('groups item lines of one sequence, not of two sequences at the same indentation', () => {
    const text = "on:\n  push:\n    paths:\n      - 'a/**'\n      # note\n      - 'b/**'\n  pull_request:\n    paths:\n      - 'c/**'\n";
    const [a, b, c] = ['a/**', 'b/**', 'c/**'].map((glob) => sequenceItemLine(text, refAt(text, glob))!);
    assert.ok(sameSequence(text, a, b));
    assert.ok(!sameSequence(text, b, c));
  });
});
