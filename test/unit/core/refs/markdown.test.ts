import { strict as assert } from 'node:assert';
import { extractMarkdown } from '../../../../src/core/refs/markdown';
import type { Extraction, Reference } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const DOC = 'docs/guide.md';
const workspace = workspaceOf(
  DOC,
  'docs/img/arch.png',
  'docs/my notes.md',
  'README.md',
  'infrastructure/tls/generate-certificates.sh',
  'infrastructure/kubernetes/base/kustomization.yaml',
  'infrastructure/kubernetes/overlays/dev/kustomization.yaml',
);

function extract(text: string): Extraction {
  return extractMarkdown({ path: DOC, text, kind: 'markdown' }, workspace);
}

function summary(ref: Reference): object {
  const { start, end, text, target, base, baseRule, kind, confidence } = ref;
  return { start, end, text, target, base, baseRule, kind, confidence };
}

describe('core/refs/markdown', () => {
  it('reports inline links and images without fragment, title or query, and keeps broken links', () => {
    const text = 'See [the readme](../README.md#install "Readme") and ![arch](img/arch.png?raw=1).\nGone: [old](../infrastructure/old.md).\n';
    const { refs, review } = extract(text);
    assert.deepEqual(review, []);
    assert.deepEqual(refs.map(summary), [
      { start: 17, end: 29, text: '../README.md', target: 'README.md', base: 'docs', baseRule: 'referrer', kind: 'markdown.link', confidence: 'exact' },
      { start: 60, end: 72, text: 'img/arch.png', target: 'docs/img/arch.png', base: 'docs', baseRule: 'referrer', kind: 'markdown.image', confidence: 'exact' },
      { start: 93, end: 117, text: '../infrastructure/old.md', target: 'infrastructure/old.md', base: 'docs', baseRule: 'referrer', kind: 'markdown.link', confidence: 'exact' },
    ]);
    assert.deepEqual([refs[2].line, refs[2].column], [2, 13]);
  });

  it('keeps the leading / of a root-absolute link in the range and resolves it from the root', () => {
    const text = '[base](/infrastructure/kubernetes/base/)\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map(summary), [
      { start: 7, end: 39, text: '/infrastructure/kubernetes/base/', target: 'infrastructure/kubernetes/base', base: '', baseRule: 'fixed', kind: 'markdown.link', confidence: 'exact' },
    ]);
  });

  it('reads angle-bracket destinations, escapes, percent-encoding, nested images and definitions', () => {
    const text = [
      "[notes](<my notes.md> 'title') and [again](my%20notes.md)",
      '[![badge](img/arch.png)](../README.md)',
      '',
      '[readme]: ../README.md "The readme"',
      '[arch]: <img/arch.png>',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.kind, ref.target]), [
      [9, 20, 'my notes.md', 'markdown.link', 'docs/my notes.md'],
      [43, 56, 'my%20notes.md', 'markdown.link', 'docs/my notes.md'],
      [68, 80, 'img/arch.png', 'markdown.image', 'docs/img/arch.png'],
      [83, 95, '../README.md', 'markdown.link', 'README.md'],
      [108, 120, '../README.md', 'markdown.definition', 'README.md'],
      [143, 155, 'img/arch.png', 'markdown.definition', 'docs/img/arch.png'],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('reports src and href attributes of inline HTML tags', () => {
    const text = '<p align="center"><img src="img/arch.png" width="300"> <a href=\'../README.md#top\'>top</a> <a href="https://x.y/">x</a></p>\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map(summary), [
      { start: 28, end: 40, text: 'img/arch.png', target: 'docs/img/arch.png', base: 'docs', baseRule: 'referrer', kind: 'markdown.html', confidence: 'exact' },
      { start: 64, end: 76, text: '../README.md', target: 'README.md', base: 'docs', baseRule: 'referrer', kind: 'markdown.html', confidence: 'exact' },
    ]);
  });

  it('reports another attribute of an HTML tag whose value is a path as probable, from the root or the document folder', () => {
    const text = '<walkthrough-editor-open-file filePath="./infrastructure/tls/generate-certificates.sh">x</walkthrough-editor-open-file> <x-a data-file="img/arch.png" title="a.b" class="none/such.yaml">\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map(summary), [
      { start: 40, end: 85, text: './infrastructure/tls/generate-certificates.sh', target: 'infrastructure/tls/generate-certificates.sh', base: '', baseRule: 'fixed', kind: 'markdown.htmlAttribute', confidence: 'probable' },
      { start: 136, end: 148, text: 'img/arch.png', target: 'docs/img/arch.png', base: 'docs', baseRule: 'referrer', kind: 'markdown.htmlAttribute', confidence: 'probable' },
    ]);
  });

  it('reports a table cell that holds only a path (or paths split by <br>) as probable, not a word of a sentence', () => {
    const text = [
      '| Component | Folder | Notes |',
      '| --- | :--- | --- |',
      '| TLS | infrastructure/tls/generate-certificates.sh | see infrastructure/kubernetes/base |',
      '| K8s | infrastructure/kubernetes/base <br /> infrastructure/kubernetes/overlays/dev | [img](img/arch.png) |',
      '',
      'Not a table: | infrastructure/kubernetes/base |',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target, ref.kind, ref.confidence]), [
      [3, 'infrastructure/tls/generate-certificates.sh', 'infrastructure/tls/generate-certificates.sh', 'markdown.tableCell', 'probable'],
      [4, 'infrastructure/kubernetes/base', 'infrastructure/kubernetes/base', 'markdown.tableCell', 'probable'],
      [4, 'infrastructure/kubernetes/overlays/dev', 'infrastructure/kubernetes/overlays/dev', 'markdown.tableCell', 'probable'],
      [4, 'img/arch.png', 'docs/img/arch.png', 'markdown.link', 'exact'],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('skips URLs, mail links, pure anchors, autolinks and links out of the workspace', () => {
    const text = '[a](https://example.com/README.md) [b](mailto:x@y.z) [c](#top) <https://example.com> [d](//cdn/x.png) [e](../../x.md)\n';
    assert.deepEqual(extract(text).refs, []);
  });

  it('reports resolving code-span paths as probable, trying the root then the document folder', () => {
    const text = 'Run `infrastructure/tls/generate-certificates.sh`, then ``kubectl apply -k infrastructure/kubernetes/overlays/dev``; see `img/arch.png` and `missing/x.sh`.\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map(summary), [
      { start: 5, end: 48, text: 'infrastructure/tls/generate-certificates.sh', target: 'infrastructure/tls/generate-certificates.sh', base: '', baseRule: 'fixed', kind: 'markdown.code.path', confidence: 'probable' },
      { start: 75, end: 113, text: 'infrastructure/kubernetes/overlays/dev', target: 'infrastructure/kubernetes/overlays/dev', base: '', baseRule: 'fixed', kind: 'markdown.code.path', confidence: 'probable' },
      { start: 122, end: 134, text: 'img/arch.png', target: 'docs/img/arch.png', base: 'docs', baseRule: 'referrer', kind: 'markdown.code.path', confidence: 'probable' },
    ]);
  });

  it('reports link and image text that is itself a path as probable, trying the root then the document folder', () => {
    const text =
      'Run [infrastructure/tls/generate-certificates.sh](../infrastructure/tls/generate-certificates.sh). ![ img/arch.png ](img/arch.png)\n' +
      '[`../README.md`](../README.md) and [/infrastructure/kubernetes/base/](/infrastructure/kubernetes/base/)\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map(summary), [
      { start: 5, end: 48, text: 'infrastructure/tls/generate-certificates.sh', target: 'infrastructure/tls/generate-certificates.sh', base: '', baseRule: 'fixed', kind: 'markdown.linkText', confidence: 'probable' },
      { start: 50, end: 96, text: '../infrastructure/tls/generate-certificates.sh', target: 'infrastructure/tls/generate-certificates.sh', base: 'docs', baseRule: 'referrer', kind: 'markdown.link', confidence: 'exact' },
      { start: 102, end: 114, text: 'img/arch.png', target: 'docs/img/arch.png', base: 'docs', baseRule: 'referrer', kind: 'markdown.linkText', confidence: 'probable' },
      { start: 117, end: 129, text: 'img/arch.png', target: 'docs/img/arch.png', base: 'docs', baseRule: 'referrer', kind: 'markdown.image', confidence: 'exact' },
      { start: 133, end: 145, text: '../README.md', target: 'README.md', base: 'docs', baseRule: 'referrer', kind: 'markdown.linkText', confidence: 'probable' },
      { start: 148, end: 160, text: '../README.md', target: 'README.md', base: 'docs', baseRule: 'referrer', kind: 'markdown.link', confidence: 'exact' },
      { start: 167, end: 199, text: '/infrastructure/kubernetes/base/', target: 'infrastructure/kubernetes/base', base: '', baseRule: 'fixed', kind: 'markdown.linkText', confidence: 'probable' },
      { start: 201, end: 233, text: '/infrastructure/kubernetes/base/', target: 'infrastructure/kubernetes/base', base: '', baseRule: 'fixed', kind: 'markdown.link', confidence: 'exact' },
    ]);
    assert.deepEqual([refs[4].line, refs[4].column], [2, 3]);
  });

  it('reads an emphasized word that is a path as a probable reference, and still reads links inside emphasis', () => {
    const text = 'The **infrastructure/kubernetes/base/** dir and _img/arch.png_ and **[guide](../README.md)** but not snake_img/arch.png_x or **two words**.\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.target, ref.baseRule, ref.kind, ref.confidence]), [
      [6, 37, 'infrastructure/kubernetes/base/', 'infrastructure/kubernetes/base', 'fixed', 'markdown.emphasis', 'probable'],
      [49, 61, 'img/arch.png', 'docs/img/arch.png', 'referrer', 'markdown.emphasis', 'probable'],
      [77, 89, '../README.md', 'README.md', 'referrer', 'markdown.link', 'exact'],
    ]);
  });

  it('leaves link text alone when it is prose, a URL, escaped, missing or out of the workspace', () => {
    const text = '[the readme](../README.md) [README](../README.md) [https://x.y/a.md](https://x.y/a.md) [img\\/arch.png](img/arch.png) [missing/x.md](missing/x.md) [../../x.md](../../x.md)\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.filter((ref) => ref.kind === 'markdown.linkText'), []);
    assert.equal(refs.length, 4);
  });

  it('does not read links inside code spans or non-shell fences', () => {
    const text = 'Write `[x](img/arch.png)` like this.\n\n```yaml\nlink: "[y](../README.md)"\n```\n\n~~~md\n[z](../README.md)\n~~~\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.filter((ref) => ref.kind.startsWith('markdown.link')), []);
  });

  it('scans bash fences as shell from the root and console fences only on prompt lines', () => {
    const text = [
      '```bash',
      'cd infrastructure/kubernetes && kustomize build overlays/dev',
      '```',
      '',
      '```console',
      '$ ./infrastructure/tls/generate-certificates.sh',
      'infrastructure/tls/generate-certificates.sh: done',
      '```',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.kind, ref.base, ref.baseRule, ref.line, ref.column]), [
      ['infrastructure/kubernetes', 'markdown.shell.path', '', 'fixed', 2, 4],
      ['overlays/dev', 'markdown.shell.path', 'infrastructure/kubernetes', 'fixed', 2, 49],
      ['./infrastructure/tls/generate-certificates.sh', 'markdown.shell.path', '', 'fixed', 6, 3],
    ]);
  });

  it('scans an untagged fence as shell when it starts with a command, and only its prompt lines when it has them', () => {
    const text = [
      '```',
      'argocd app create base \\',
      '    --path infrastructure/kubernetes/base \\',
      '    --repo https://github.com/org/repo',
      '```',
      '',
      '```',
      '$ cat infrastructure/tls/generate-certificates.sh',
      'infrastructure/kubernetes/overlays/dev',
      '```',
      '',
      '```',
      'Deployed infrastructure/kubernetes/overlays/dev',
      '```',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.kind, ref.line, ref.column]), [
      ['infrastructure/kubernetes/base', 'markdown.shell.path', 3, 12],
      ['infrastructure/tls/generate-certificates.sh', 'markdown.shell.path', 8, 7],
    ]);
  });

  it('scans an untagged fence as shell when a tool it does not know comes first and a known command follows', () => {
    const text = [
      '  - Run helm-docs:',
      '    ```',
      '    helm-docs --chart-search-root charts',
      '    git diff infrastructure/tls/generate-certificates.sh',
      '    ```',
      '',
      '```',
      'Deployed: infrastructure/kubernetes/overlays/dev',
      'git log',
      '```',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.kind, ref.line, ref.column]), [
      ['infrastructure/tls/generate-certificates.sh', 'markdown.shell.path', 4, 14],
    ]);
  });

  it('carries variables from one shell block of a document to the next (untagged ones that assign too), but not the working directory', () => {
    const text = [
      '```',
      'DEMO_HOME=$(mktemp -d)',
      'cd infrastructure/kubernetes',
      '```',
      '',
      '```bash',
      'cp $DEMO_HOME/base/kustomization.yaml infrastructure/kubernetes/base/kustomization.yaml',
      '```',
      '',
    ].join('\n');
    const { refs, review } = extract(text);
    assert.deepEqual(review, []);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.line, ref.column, ref.base]), [
      ['infrastructure/kubernetes', 3, 4, ''],
      ['infrastructure/kubernetes/base/kustomization.yaml', 7, 39, ''],
    ]);
  });

  it('reads GitOps paths in yaml fences as probable references, and a yaml fence of commands as shell', () => {
    const text = [
      '```yaml',
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'spec:',
      '  sourceRef: {kind: GitRepository, name: flux-system}',
      '  path: ./infrastructure/kubernetes/base',
      '```',
      '',
      '```yaml',
      'flux create kustomization tenants \\',
      '  --export > ./infrastructure/kubernetes/overlays/dev/kustomization.yaml',
      '```',
      '',
      '```yaml',
      'resources: [infrastructure/kubernetes/base]',
      '```',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.kind, ref.confidence, ref.base, ref.line, ref.column]), [
      ['./infrastructure/kubernetes/base', 'markdown.yaml.flux.path', 'probable', '', 6, 9],
      ['./infrastructure/kubernetes/overlays/dev/kustomization.yaml', 'markdown.shell.path', 'probable', '', 11, 14],
    ]);
  });

  it('reads the comments of shell fences as free text', () => {
    const text = '```sh\nmake dev  # kubectl apply -k infrastructure/kubernetes/overlays/dev\n```\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map(summary), [
      { start: 35, end: 73, text: 'infrastructure/kubernetes/overlays/dev', target: 'infrastructure/kubernetes/overlays/dev', base: '', baseRule: 'fixed', kind: 'markdown.shell.comment', confidence: 'probable' },
    ]);
  });

  it('reports one review item per tree diagram that names existing paths', () => {
    const text = [
      '```text',
      'infrastructure/',
      '├── kubernetes/',
      '│   ├── base/',
      '│   └── overlays/      # one per environment',
      '└── tls/',
      '```',
      '',
      '```',
      '├── nothing/',
      '└── here/',
      '```',
      '',
    ].join('\n');
    const { refs, review } = extract(text);
    assert.deepEqual(refs, []);
    assert.equal(review.length, 1);
    const [tree] = review;
    assert.deepEqual(
      { start: tree.start, end: tree.end, line: tree.line, kind: tree.kind, target: tree.target, reason: tree.reason },
      { start: 8, end: 107, line: 2, kind: 'markdown.tree', target: 'infrastructure', reason: 'tree diagram names moved paths; update by hand' },
    );
    assert.equal(tree.text, text.slice(8, 107));
    assert.ok(tree.text.startsWith('infrastructure/\n') && tree.text.endsWith('└── tls/'));
  });

  it('reads links in table rows, below a delimiter row that an ASCII tree line resembles', () => {
    const text = '| Dashboard | File |\n|---|:--|\n| Overview | [index.json](dashboards/index.json) |\n\n```\ninfrastructure/\n|-- kubernetes/\n`-- tls/\n```\n';
    const { refs, review } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.kind, ref.line]), [
      [57, 78, 'dashboards/index.json', 'markdown.link', 3],
    ]);
    assert.deepEqual(review.map((item) => [item.kind, item.line]), [['markdown.tree', 6]]);
  });

  it('keeps offsets with a BOM and CRLF line endings', () => {
    const text = '\uFEFF# Title\r\n\r\n[r](../README.md)\r\n\r\n[d]: img/arch.png\r\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.line, ref.column]), [
      [16, 28, '../README.md', 3, 5],
      [38, 50, 'img/arch.png', 5, 6],
    ]);
  });

  it('reads the command of an mdox-exec fence attribute as shell run from the root', () => {
    const text = 'Example:\n\n```sh mdox-exec="cat ./infrastructure/tls/generate-certificates.sh"\nold output\n```\n\n```jsonnet mdox-exec="cat README.md"\n{}\n```\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.kind, ref.base, ref.target]), [
      ['./infrastructure/tls/generate-certificates.sh', 'markdown.shell.path', '', 'infrastructure/tls/generate-certificates.sh'],
      ['README.md', 'markdown.shell.path', '', 'README.md'],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('follows a cd in a shell block into a folder that is gone, and back with the anchor', () => {
    const text = '```bash\ncd infrastructure/certs && ../tls/generate-certificates.sh && cd ../..\nkubectl apply -k infrastructure/kubernetes/overlays/dev\n```\n';
    const { refs } = extract(text);
    assert.deepEqual(
      refs.map((ref) => [ref.text, ref.kind, ref.base, ref.target]),
      [
        ['infrastructure/certs', 'markdown.shell.path', '', 'infrastructure/certs'],
        ['../tls/generate-certificates.sh', 'markdown.shell.path', 'infrastructure/certs', 'infrastructure/tls/generate-certificates.sh'],
        ['../..', 'markdown.shell.anchor', 'infrastructure/certs', ''],
        ['infrastructure/kubernetes/overlays/dev', 'markdown.shell.path', '', 'infrastructure/kubernetes/overlays/dev'],
      ],
    );
  });

  it('reports a file a shell block writes into an existing folder as an output reference', () => {
    const text = '```sh\nflux create secret git auth --export > ./infrastructure/kubernetes/base/auth.yaml\nkubectl get all > missing/x.yaml\n```\n';
    const { refs } = extract(text);
    const start = text.indexOf('./infrastructure');
    assert.deepEqual(refs.map((ref) => ({ ...summary(ref), output: ref.output })), [
      { start, end: start + 42, text: './infrastructure/kubernetes/base/auth.yaml', target: 'infrastructure/kubernetes/base/auth.yaml', base: '', baseRule: 'fixed', kind: 'markdown.shell.output', confidence: 'probable', output: true },
    ]);
    assert.deepEqual([refs[0].line, refs[0].column], [2, 40]);
  });

  it('carries the files a shell block writes to the next blocks, which name them as output-resolving paths', () => {
    const text = '```sh\nflux create secret git auth --export > ./infrastructure/kubernetes/base/auth.yaml\n```\n\nPrint the key:\n\n```sh\nyq eval .stringData ./infrastructure/kubernetes/base/auth.yaml\n```\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.line, ref.column, ref.text, ref.kind, ref.target, ref.output]), [
      [2, 40, './infrastructure/kubernetes/base/auth.yaml', 'markdown.shell.output', 'infrastructure/kubernetes/base/auth.yaml', true],
      [8, 21, './infrastructure/kubernetes/base/auth.yaml', 'markdown.shell.path', 'infrastructure/kubernetes/base/auth.yaml', true],
    ]);
  });
});
