import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { isMap, isPair, isScalar, isSeq, Pair, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { parseBlockYaml } from '../../../../src/core/refs/yamlBlock';
import { mapGet, parseYaml, scalarText, stringValue } from '../../../../src/core/refs/yamlSource';

const REPOSITORY = path.resolve(__dirname, '../../../..');

/** Everything the extractors can read of a node tree, node classes, ranges and scalar types included. */
function shape(node: unknown): unknown {
  const nodeClass = node instanceof Scalar ? 'Scalar' : node instanceof YAMLMap ? 'YAMLMap' : node instanceof YAMLSeq ? 'YAMLSeq' : typeof node;
  if (isMap(node)) {
    const items = node.items.map((pair) => [isPair(pair) && pair instanceof Pair, shape(pair.key), shape(pair.value)]);
    return { nodeClass, map: node.range, tag: node.tag, anchor: node.anchor, items };
  }
  if (isSeq(node)) return { nodeClass, seq: node.range, tag: node.tag, anchor: node.anchor, items: node.items.map(shape) };
  if (isScalar(node)) {
    const value = typeof node.value === 'bigint' ? `bigint ${node.value}` : node.value;
    return { nodeClass, scalar: node.range, type: node.type, value, valueType: typeof node.value, source: node.source, tag: node.tag, format: node.format, anchor: node.anchor };
  }
  return { other: String(node) };
}

/**
 * Checks the fast reader against the `yaml` package on one text: it either declines (undefined) or gives exactly the
 * full parser's trees for a text the full parser accepts. Returns whether the fast reader took the text.
 */
function agreesWithFullParse(text: string, label: string): boolean {
  const fast = parseBlockYaml(text);
  if (fast === undefined) return false;
  const full = Array.from(parseAllDocuments(text, { keepSourceTokens: true, prettyErrors: false }));
  const errors = full.flatMap((document) => document.errors.map((error) => error.message));
  assert.deepEqual(errors, [], `${label}: the fast reader accepted text the full parser rejects:\n${text}`);
  assert.deepEqual(
    fast.map((document) => shape(document.contents)),
    full.map((document) => shape(document.contents)),
    `${label}: the fast reader's nodes differ from the full parser's for:\n${text}`,
  );
  return true;
}

function yamlFilesBelow(folder: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const absolute = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...yamlFilesBelow(absolute));
    else if (/\.ya?ml$/.test(entry.name)) files.push(absolute);
  }
  return files.sort();
}

function testFilesBelow(folder: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const absolute = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...testFilesBelow(absolute));
    else if (entry.name.endsWith('.ts')) files.push(absolute);
  }
  return files.sort();
}

/** The multi-line string fixtures of a test file: string literals, plain template literals, and `[…].join('\n')`. */
function stringFixtures(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const fixtures: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (node.text.includes('\n')) fixtures.push(node.text);
    } else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'join' &&
      ts.isArrayLiteralExpression(node.expression.expression) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]) &&
      node.expression.expression.elements.every((element) => ts.isStringLiteral(element) || ts.isNoSubstitutionTemplateLiteral(element))
    ) {
      const lines = node.expression.expression.elements.map((element) => (element as ts.StringLiteral).text);
      fixtures.push(lines.join((node.arguments[0] as ts.StringLiteral).text));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return fixtures;
}

/** Texts derived from `text` by one edit at `line`: each a construct the fast reader must read exactly or decline. */
function lineVariants(text: string, line: number): string[] {
  const lines = text.split('\n');
  const original = lines[line];
  const indent = /^ */.exec(original)![0].length;
  const pad = (count: number) => ' '.repeat(Math.max(0, count));
  const withLine = (replacement: string[]) => [...lines.slice(0, line), ...replacement, ...lines.slice(line + 1)].join('\n');
  const keyValue = /^(\s*(?:- )?)([^\s:#][^:#]*):(?: (.*))?$/.exec(original);
  const variants = [
    withLine([`${original} # trailing comment`]),
    withLine([`${original}   #`]),
    withLine([`${original}#not a comment`]),
    withLine([`${original}  `]),
    withLine([original, '']),
    withLine([original, '', '']),
    withLine([original, '# comment at column 0']),
    withLine([original, `${pad(indent - 1)}# comment before the column`]),
    withLine([original, `${pad(indent)}# comment at the column`]),
    withLine([original, `${pad(indent + 1)}# comment past the column`]),
    withLine([original, `${pad(indent + 4)}# deep comment`, '', `${pad(indent)}# and another`]),
    withLine([original, `${pad(indent + 2)}continued plain scalar`]),
    withLine([`${pad(indent + 1)}${original.trimStart()}`]),
    withLine([original.slice(Math.min(1, indent))]),
    withLine([original, original]),
    withLine([original.replace(':', '')]),
    withLine([original.replace(': ', ':')]),
    withLine([original, '---']),
    withLine([original, '--- # second document']),
    withLine([original, '...']),
    withLine([original, '---', '---']),
    withLine(['---', original]),
    withLine([original.replace(/- /, '-   ')]),
    withLine([original.replace(/- /, '- - ')]),
  ];
  if (keyValue) {
    const [, lead, key, value = ''] = keyValue;
    const bare = value.replace(/\s+#.*$/, '');
    variants.push(
      withLine([`${lead}${key}: "${bare}"`]),
      withLine([`${lead}${key}: '${bare}'`]),
      withLine([`${lead}${key}: 'it''s ${bare}'`]),
      withLine([`${lead}${key}: "a\\tb ${bare}"`]),
      withLine([`${lead}${key}: "${bare}" trailing`]),
      withLine([`${lead}"${key}": ${bare}`]),
      withLine([`${lead}'${key}': ${bare}`]),
      withLine([`${lead}${key} : ${bare}`]),
      withLine([`${lead}? ${key}`, `${pad(indent)}: ${bare}`]),
      withLine([`${lead}${key}: [${bare}, other]`]),
      withLine([`${lead}${key}: {a: ${bare}}`]),
      withLine([`${lead}${key}: []`]),
      withLine([`${lead}${key}: &anchor ${bare}`]),
      withLine([`${lead}${key}: *anchor`]),
      withLine([`${lead}${key}: !!str ${bare}`]),
      withLine([`${lead}${key}: |`, `${pad(indent + 2)}${bare}`]),
      withLine([`${lead}${key}: >-`, `${pad(indent + 2)}${bare}`]),
      withLine([`${lead}${key}:`]),
      withLine([`${lead}${key}:  `]),
      withLine([`${lead}${key}: # empty with a comment`]),
      withLine([`${lead}${key}: 0x1F`]),
      withLine([`${lead}${key}: 0o17`]),
      withLine([`${lead}${key}: 1.50`]),
      withLine([`${lead}${key}: 1e3`]),
      withLine([`${lead}${key}: .inf`]),
      withLine([`${lead}${key}: 123456789012345678901234567890`]),
      withLine([`${lead}${key}: ~`]),
      withLine([`${lead}${key}: True`]),
      withLine([`${lead}${key}: yes`]),
      withLine([`${lead}${key}: a: b`]),
      withLine([`${lead}${key}: a:b`]),
      withLine([`${lead}${key}: value:`]),
      withLine([`${lead}${key}: @reserved`]),
      withLine([`${lead}${key}: %directive`]),
      withLine([`${lead}${key}: - item`]),
      withLine([`${lead}${key}: -item`]),
      withLine([`${lead}${key}: "unterminated`]),
      withLine([`${lead}${key}: "multi`, `${pad(indent + 2)}line"`]),
      withLine([`${lead}${key}: ${bare} #`, `${pad(indent + 2)}# more`]),
      withLine([`${lead}${key}:`, `${pad(indent)}- item`]),
      withLine([`${lead}${key}:`, `${pad(indent + 2)}- item`, `${pad(indent + 2)}# trailing`]),
      withLine([`${lead}${key}:`, `${pad(indent + 2)}nested: ${bare}`, `${pad(indent + 4)}# deeper`, `${pad(indent + 1)}# between`]),
      withLine([`${lead}${key}:`, `${pad(indent + 2)}- a: 1`, `${pad(indent + 4)}b: 2`, `${pad(indent + 3)}# c`]),
      withLine([`${lead}80: ${bare}`]),
      withLine([`${lead}true: ${bare}`]),
      withLine([`${lead}null: ${bare}`]),
      withLine([`${lead}<<: ${bare}`]),
    );
  }
  return variants;
}

/** Whole-text variants: line endings, a BOM, tabs, and documents joined into streams. */
function textVariants(text: string): string[] {
  return [
    text.replace(/\n/g, '\r\n'),
    '\uFEFF' + text,
    text.replace(/\n  /g, '\n\t'),
    `---\n${text}`,
    `# leading comment\n---\n${text}`,
    `${text}\n---\n${text}`,
    `${text}---\n`,
    `${text}\n# trailing comment\n`,
    `${text}\n  # trailing indented comment\n\n`,
    `%YAML 1.2\n---\n${text}`,
    text.replace(/\n/g, '\n  ').trimEnd(),
  ];
}

describe('parseBlockYaml', () => {
  it('reads block maps and sequences with the yaml package nodes, values and exact ranges', () => {
    const text = [
      'apiVersion: kustomize.config.k8s.io/v1beta1 # the config',
      'resources:',
      '  - base',
      "  - 'quoted ''one'''",
      '  - "double"  # why',
      '  # - ../legacy',
      'replicas:',
      '- name: web',
      '  count: 0x1F',
      'empty:',
      '',
    ].join('\n');
    const documents = parseBlockYaml(text);
    assert.ok(documents);
    const root = documents[0].contents;
    assert.deepEqual(scalarText(mapGet(root, 'apiVersion'), text), {
      start: 12,
      end: 43,
      source: 'kustomize.config.k8s.io/v1beta1',
      value: 'kustomize.config.k8s.io/v1beta1',
    });
    assert.deepEqual(
      (mapGet(root, 'resources') as { items: unknown[] }).items.map((item) => scalarText(item, text)?.value),
      ['base', "quoted 'one'", 'double'],
    );
    assert.equal(stringValue(mapGet((mapGet(root, 'replicas') as { items: unknown[] }).items[0], 'count')), '31');
    assert.equal(stringValue(mapGet(root, 'empty')), undefined);
    assert.ok(agreesWithFullParse(text, 'inline'));
  });

  it('declines what it does not read exactly, leaving it to the full parser', () => {
    for (const text of [
      'a: [1, 2]\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  text\n',
      'a: plain\n  continued\n',
      'a: "esc\\"aped"\n',
      'a:\r\n  - b\r\n',
      '\uFEFFa: 1\n',
      'a:\n\t- b\n',
      'a: 1\na: 2\n',
      '? a\n: 1\n',
      '"a": 1\n',
      'a: 1\n---\n',
      '# only a comment\n',
      '',
      'just a scalar\n',
      'a: 1\n  b: 2\n',
      '--- a: 1\n',
    ]) {
      assert.equal(parseBlockYaml(text), undefined, JSON.stringify(text));
    }
  });

  it('agrees with the yaml package on odd characters, markers and numbers', () => {
    const cases = [
      '--- a: 1\n',
      '---a: 1\n',
      'a: b\x07c\n',
      'a: b\u2028c\n',
      'a: b\x85c\n',
      'a: \uFEFFb\n',
      'a\u00a0: b\n',
      'a: b\x00c\n',
      'a: b\n\f\nc: d\n',
      'a#b: c\n',
      'a: b #c: d\n',
      'a: 1\n ...\n',
      'a: b\n  \n',
      '- a: 1\n  - b\n',
      'a: 09\n',
      'a: 0b101\n',
      'a: 1_000\n',
      'a: +.5\n',
      'a: -0\n',
      'a: 1.\n',
      'x: 12345678901234567890\n',
    ];
    const read = cases.filter((text) => agreesWithFullParse(text, JSON.stringify(text)));
    assert.ok(read.length > 10, `${read.length} of ${cases.length} read by the fast reader`);
  });

  it('agrees with the yaml package on every YAML file of the bakery-ia sample, and on variants of each', function () {
    this.timeout(120_000);
    const files = yamlFilesBelow(path.join(REPOSITORY, 'sample/bakery-ia'));
    assert.ok(files.length > 50);
    let fast = 0;
    let variantsRead = 0;
    let variantsDeclined = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const label = path.relative(REPOSITORY, file);
      if (!agreesWithFullParse(text, label)) continue;
      fast++;
      const lines = text.split('\n');
      const step = Math.max(1, Math.floor(lines.length / 3));
      const variants = textVariants(text);
      for (let line = 0; line < lines.length; line += step) variants.push(...lineVariants(text, line));
      for (const variant of variants) {
        if (agreesWithFullParse(variant, `${label} (variant)`)) variantsRead++;
        else variantsDeclined++;
      }
    }
    // Much of the sample is plain block YAML; the variants both stay in the subset and leave it.
    assert.ok(fast > 40, `${fast} of ${files.length} files read by the fast reader`);
    assert.ok(variantsRead > 1000 && variantsDeclined > 1000, `${variantsRead} variants read, ${variantsDeclined} declined`);
  });

  it('agrees with the yaml package on every multi-line string fixture of the unit tests', function () {
    this.timeout(120_000);
    let fast = 0;
    for (const file of testFilesBelow(path.join(REPOSITORY, 'test/unit'))) {
      for (const fixture of stringFixtures(file)) {
        if (agreesWithFullParse(fixture, path.relative(REPOSITORY, file))) fast++;
      }
    }
    assert.ok(fast > 150, `${fast} fixtures read by the fast reader`);
  });

  it('is what parseYaml returns for plain block text, with no problems', () => {
    const text = 'resources:\n  - a.yaml\n';
    const parsed = parseYaml('kustomization.yaml', text);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.documents.map((document) => shape(document.contents)),
      parseBlockYaml(text)!.map((document) => shape(document.contents)),
    );
  });
});
