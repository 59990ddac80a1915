import { strict as assert } from 'node:assert';
import { isMap } from 'yaml';
import {
  blockScalarBody,
  commentLines,
  mapEntries,
  mapGet,
  mapPath,
  oneOrMany,
  parseYaml,
  scalarText,
  seqItems,
  stringValue,
  walkNodes,
} from '../../../../src/core/refs/yamlSource';

describe('yamlSource', () => {
  describe('parseYaml', () => {
    it('parses every document of a stream', () => {
      const parsed = parseYaml('a.yaml', 'a: 1\n---\nb: 2\n');
      assert.equal(parsed.documents.length, 2);
      assert.deepEqual(parsed.problems, []);
      assert.equal(stringValue(mapGet(parsed.documents[1].contents, 'b')), '2');
    });

    it('reports a syntax error with file, 1-based line and column and a sentence', () => {
      const text = 'resources:\n  - a.yaml\n bad: [x\n';
      const parsed = parseYaml('k/kustomization.yaml', text);
      assert.ok(parsed.problems.length >= 1);
      const first = parsed.problems[0];
      assert.equal(first.file, 'k/kustomization.yaml');
      assert.equal(first.severity, 'error');
      assert.equal(first.line, 3);
      assert.equal(first.column, 1);
      assert.equal(first.message, 'Invalid YAML: All mapping items must start at the same column.');
      assert.match(first.message, /^Invalid YAML: .+\.$/);
      assert.doesNotMatch(first.message, /\n/);
    });

    it('reports a duplicate key as an error', () => {
      const parsed = parseYaml('x.yaml', 'a: 1\na: 2\n');
      assert.equal(parsed.problems.length, 1);
      assert.equal(parsed.problems[0].line, 2);
      assert.equal(parsed.problems[0].column, 1);
    });

    it('yields no documents and no problems for an empty file', () => {
      const parsed = parseYaml('e.yaml', '');
      assert.deepEqual(parsed.documents, []);
      assert.deepEqual(parsed.problems, []);
    });
  });

  describe('scalarText', () => {
    it('covers a plain scalar without its trailing comment', () => {
      const text = 'a: some/path.yaml   # note\n';
      const node = mapGet(parseYaml('f', text).documents[0].contents, 'a');
      assert.deepEqual(scalarText(node, text), { start: 3, end: 17, source: 'some/path.yaml', value: 'some/path.yaml' });
    });

    it('covers the inside of single and double quotes', () => {
      const text = "a: 'x/y'\nb: \"z/w\" # c\n";
      const root = parseYaml('f', text).documents[0].contents;
      assert.deepEqual(scalarText(mapGet(root, 'a'), text), { start: 4, end: 7, source: 'x/y', value: 'x/y' });
      assert.deepEqual(scalarText(mapGet(root, 'b'), text), { start: 13, end: 16, source: 'z/w', value: 'z/w' });
    });

    it('keeps offsets into the string as read with a BOM and CRLF line endings', () => {
      const text = '\uFEFFa: one\r\nb: "two/x"\r\nc:\r\n  - three\r\n';
      const root = parseYaml('f', text).documents[0].contents;
      const one = scalarText(mapGet(root, 'a'), text)!;
      assert.deepEqual([one.start, one.end, text.slice(one.start, one.end)], [4, 7, 'one']);
      const two = scalarText(mapGet(root, 'b'), text)!;
      assert.deepEqual([two.start, two.end, two.source], [13, 18, 'two/x']);
      const three = scalarText(seqItems(mapGet(root, 'c'))[0], text)!;
      assert.deepEqual([three.start, three.end, three.source], [29, 34, 'three']);
    });

    it('shows escapes as a difference between source and value', () => {
      const text = 'a: "x\\ty"\n';
      const scalar = scalarText(mapGet(parseYaml('f', text).documents[0].contents, 'a'), text)!;
      assert.equal(scalar.source, 'x\\ty');
      assert.equal(scalar.value, 'x\ty');
    });

    it('gives no range for block scalars, collections and null', () => {
      const text = 'a: |\n  x\nb: [c]\nd:\n';
      const root = parseYaml('f', text).documents[0].contents;
      assert.equal(scalarText(mapGet(root, 'a'), text), undefined);
      assert.equal(scalarText(mapGet(root, 'b'), text), undefined);
      assert.equal(scalarText(mapGet(root, 'd'), text), undefined);
    });
  });

  describe('blockScalarBody', () => {
    it('starts on the line after the header and ends with the content', () => {
      const text = 'script: |-\r\n  echo a\r\n  echo b\r\nnext: 1\r\n';
      const body = blockScalarBody(mapGet(parseYaml('f', text).documents[0].contents, 'script'), text)!;
      assert.equal(body.start, 12);
      assert.equal(text.slice(body.start, body.end), '  echo a\r\n  echo b\r\n');
    });
  });

  describe('navigation', () => {
    it('follows keys, lists entries and wraps single values', () => {
      const text = 'a:\n  b:\n    c: [x, y]\n  d: one\n';
      const root = parseYaml('f', text).documents[0].contents;
      assert.deepEqual(seqItems(mapPath(root, 'a', 'b', 'c')).map(stringValue), ['x', 'y']);
      assert.deepEqual(mapEntries(mapGet(root, 'a')).map((entry) => entry.key), ['b', 'd']);
      assert.deepEqual(oneOrMany(mapPath(root, 'a', 'd')).map(stringValue), ['one']);
      assert.deepEqual(oneOrMany(mapPath(root, 'a', 'missing')), []);
      assert.equal(mapGet(mapPath(root, 'a', 'd'), 'x'), undefined);
    });

    it('walks every node with the keys leading to it', () => {
      const text = 'a:\n  - b: 1\n  - c\n';
      const seen: string[] = [];
      walkNodes(parseYaml('f', text).documents[0].contents, (node, keys) => {
        if (!isMap(node)) seen.push(`${keys.join('.')}=${stringValue(node) ?? '[]'}`);
      });
      assert.deepEqual(seen, ['a=[]', 'a.b=1', 'a=c']);
    });
  });

  describe('commentLines', () => {
    it('finds full-line comments but not # lines inside block scalars', () => {
      const text = '\uFEFF# top\r\na:\r\n  # - old.yaml\r\n  - x\r\nb: |\r\n  # not a comment\r\nc: 1 # trailing\r\n';
      const comments = commentLines(text, parseYaml('f', text).documents);
      assert.deepEqual(
        comments.map((comment) => [comment.hash, comment.body, text.slice(comment.bodyStart, comment.bodyEnd)]),
        [
          [1, ' top', ' top'],
          [14, ' - old.yaml', ' - old.yaml'],
        ],
      );
    });
  });
});
