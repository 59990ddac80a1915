import { strict as assert } from 'node:assert';
import { excludeGlobFor, excludeInsertion } from '../../../src/vscode/planExclude';

function insert(text: string, glob: string): string {
  const insertion = excludeInsertion(text, glob);
  assert.ok(insertion, 'an insertion is found');
  return text.slice(0, insertion.offset) + insertion.text + text.slice(insertion.offset);
}

describe('Exclude from Plan: the plan text edit', () => {
  it('names a file or folder root-relative with glob characters escaped, folders with a trailing slash', () => {
    assert.equal(excludeGlobFor('infrastructure/helm/notes.txt', 'infrastructure', false), 'helm/notes.txt');
    assert.equal(excludeGlobFor('infrastructure/tmp', 'infrastructure', true), 'tmp/');
    assert.equal(excludeGlobFor('infra/a*{b}[c]?.txt', 'infra', false), 'a\\*\\{b\\}\\[c\\]\\?.txt');
    assert.equal(excludeGlobFor('docs/x.md', '', false), 'docs/x.md');
    assert.equal(excludeGlobFor('docs/x.md', 'infrastructure', false), undefined);
  });

  it('adds an exclude list after the root line when the plan has none, keeping everything else', () => {
    const plan = '# header\nversion: 1\nroot: infrastructure  # the folder\nrules: []\n';
    assert.equal(
      insert(plan, 'helm/notes.txt'),
      '# header\nversion: 1\nroot: infrastructure  # the folder\nexclude:\n  - "helm/notes.txt"\nrules: []\n',
    );
  });

  it('appends to a block list with its indentation, after a trailing comment, with CRLF kept', () => {
    const plan = 'version: 1\r\nexclude:\r\n    - "**/.DS_Store"  # macOS\r\nrules: []\r\n';
    assert.equal(
      insert(plan, 'tmp/'),
      'version: 1\r\nexclude:\r\n    - "**/.DS_Store"  # macOS\r\n    - "tmp/"\r\nrules: []\r\n',
    );
  });

  it('appends to a flow list, empty or not, and fills an empty exclude key', () => {
    assert.equal(insert('exclude: ["a"]\n', 'b'), 'exclude: ["a", "b"]\n');
    assert.equal(insert('exclude: []\n', 'b'), 'exclude: ["b"]\n');
    assert.equal(insert('exclude:\nrules: []\n', 'b'), 'exclude:\n  - "b"\nrules: []\n');
  });

  it('adds the list at the end of a plan without root, and refuses a plan that is not a mapping', () => {
    assert.equal(insert('version: 1', 'b'), 'version: 1\nexclude:\n  - "b"\n');
    assert.equal(excludeInsertion('- a\n', 'b'), undefined);
    assert.equal(excludeInsertion('exclude: everything\n', 'b'), undefined);
  });
});
