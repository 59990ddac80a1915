import { strict as assert } from 'node:assert';
import { extractPlainText, PLAIN_TEXT_SIZE_LIMIT } from '../../../../src/core/refs/plainText';
import type { Reference } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const workspace = workspaceOf(
  'config/crd/bases/kubecc.io_agents.yaml',
  'config/default/kustomization.yaml',
  'controllers/suite_test.go',
  'controllers/testdata/agent.yaml',
  'testdata/agent.yaml',
  'guestbook/guestbook-ui-svc.yaml',
  'plugins/kasane/Kasanefile',
  'docs/setup.md',
  'magefile.go',
);

function scan(path: string, text: string): Reference[] {
  return extractPlainText({ path, text, kind: 'other' }, workspace).refs;
}

/** The fields a test pins down, in a stable order. */
function summary(ref: Reference): object {
  const { start, end, line, column, text, target, base, baseRule, kind, confidence } = ref;
  return { start, end, line, column, text, target, base, baseRule, kind, confidence };
}

describe('core/refs/plainText', () => {
  it('resolves a quoted string in source code from the file folder', () => {
    const text = 'package controllers\n\nvar crdPaths = []string{filepath.Join("..", "config"), "../config/crd/bases"}\n';
    assert.deepEqual(scan('controllers/suite_test.go', text).map(summary), [
      {
        start: 77, end: 96, line: 3, column: 57, text: '../config/crd/bases', target: 'config/crd/bases',
        base: 'controllers', baseRule: 'referrer', kind: 'text.path', confidence: 'probable',
      },
    ]);
  });

  it('splits a word at = and :, and falls back to the repository root', () => {
    const text = 'args := []string{"paths=./...", "output:crd:artifacts:config=config/crd/bases", "--kustomize=config/default"}\n';
    assert.deepEqual(scan('build/magefile.go', text).map(summary), [
      {
        start: 61, end: 77, line: 1, column: 62, text: 'config/crd/bases', target: 'config/crd/bases',
        base: '', baseRule: 'fixed', kind: 'text.path', confidence: 'probable',
      },
      {
        start: 93, end: 107, line: 1, column: 94, text: 'config/default', target: 'config/default',
        base: '', baseRule: 'fixed', kind: 'text.path', confidence: 'probable',
      },
    ]);
  });

  it('prefers the file folder when a path resolves from both the folder and the root', () => {
    const refs = scan('controllers/suite_test.go', 'load("testdata/agent.yaml")\n');
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.target, ref.base, ref.baseRule]), [
      [6, 25, 'controllers/testdata/agent.yaml', 'controllers', 'referrer'],
    ]);
  });

  it('resolves a bare file name from the file folder only', () => {
    assert.deepEqual(scan('controllers/reconcile.go', 'write("magefile.go")\n'), []);
    assert.deepEqual(scan('magefile.go', 'write("magefile.go")\n').map((ref) => ref.target), ['magefile.go']);
  });

  it('reads a list item of an unknown config and drops the full stop that ends a sentence', () => {
    const text = 'resources:\r\n  - ../../guestbook/guestbook-ui-svc.yaml\r\nSee docs/setup.md.\r\n';
    assert.deepEqual(scan('plugins/kasane/Kasanefile', text).map((ref) => [ref.start, ref.end, ref.line, ref.text, ref.target]), [
      [16, 53, 2, '../../guestbook/guestbook-ui-svc.yaml', 'guestbook/guestbook-ui-svc.yaml'],
      [59, 72, 3, 'docs/setup.md', 'docs/setup.md'],
    ]);
  });

  it('never takes URLs, module paths, absolute or home paths, globs without a folder, variables or depths for references', () => {
    const text = [
      'https://github.com/org/repo/config/default',
      'url=oci://ghcr.io/config/default',
      'git@github.com:config/default',
      '"github.com/kubecc-io/kubecc/config/default"',
      '"sigs.k8s.io/config/default"',
      '/config/default ~/config/default',
      '*.yaml ./*.md ${ROOT}/config/default config/default#top',
      '".." "../.." "." "./"',
      'port-forward config/{{ template "name" . }} config/${NAME}',
      'config/missing.yaml docs/setup',
      '',
    ].join('\n');
    assert.deepEqual(scan('magefile.go', text), []);
  });

  it('reads a path inside a flow mapping without its braces', () => {
    const refs = scan('magefile.go', 'crds: {config/crd/bases}\n');
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text]), [[7, 23, 'config/crd/bases']]);
  });

  it('reads a glob as a glob reference to the folder before its wildcard', () => {
    const text = 'config/crd/bases/*-agents.yaml linguist-generated=true\nconfig/*/kustomization.yaml\n';
    const refs = scan('.gitattributes', text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.target, ref.glob]), [
      [0, 30, 'config/crd/bases/*-agents.yaml', 'config/crd/bases', true],
      [55, 82, 'config/*/kustomization.yaml', 'config', true],
    ]);
  });

  it('skips a file above the size limit', () => {
    const text = 'config/default\n' + ' '.repeat(PLAIN_TEXT_SIZE_LIMIT);
    assert.deepEqual(scan('notes.txt', text), []);
    assert.equal(scan('notes.txt', 'config/default\n').length, 1);
  });
});
