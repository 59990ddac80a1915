import { strict as assert } from 'node:assert';
import { extractMakefile } from '../../../../src/core/refs/makefile';
import type { Extraction, Reference } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const MAKEFILE = 'infrastructure/Makefile';
const workspace = workspaceOf(
  MAKEFILE,
  'infrastructure/kubernetes/overlays/dev/kustomization.yaml',
  'infrastructure/kubernetes/overlays/prod/kustomization.yaml',
  'infrastructure/scripts/deploy.sh',
  'docs/index.md',
  'tools/versions.mk',
);

function extract(text: string, path = MAKEFILE): Extraction {
  return extractMakefile({ path, text, kind: 'makefile' }, workspace);
}

function summary(ref: Reference): object {
  const { start, end, text, target, base, baseRule, kind, confidence } = ref;
  return { start, end, text, target, base, baseRule, kind, confidence };
}

describe('core/refs/makefile', () => {
  it('reports a path variable at its assignment and expands it in recipes without reporting each use', () => {
    const text = 'OVERLAY := kubernetes/overlays/dev\n\ndeploy:\n\tkubectl apply -k $(OVERLAY)\n\tkustomize build ${OVERLAY}/../prod\n';
    const { refs, review } = extract(text);
    assert.deepEqual(review, []);
    assert.deepEqual(refs.map(summary), [
      { start: 11, end: 34, text: 'kubernetes/overlays/dev', target: 'infrastructure/kubernetes/overlays/dev', base: 'infrastructure', baseRule: 'referrer', kind: 'make.variable', confidence: 'probable' },
      { start: 101, end: 108, text: '../prod', target: 'infrastructure/kubernetes/overlays/prod', base: 'infrastructure/kubernetes/overlays/dev', baseRule: 'fixed', kind: 'make.recipe.path', confidence: 'probable' },
    ]);
    assert.deepEqual([refs[1].line, refs[1].column], [5, 29]);
  });

  it('reads a quoted variable value as the path the quotes enclose', () => {
    const text = 'DEV_URL="kubernetes/overlays/dev"\nREMOTE_URL="github.com/org/repo/kubernetes/overlays/dev?ref=$(VERSION)"\n\nbuild:\n\techo ${DEV_URL}/../prod\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.text, ref.target, ref.kind]), [
      [9, 'kubernetes/overlays/dev', 'infrastructure/kubernetes/overlays/dev', 'make.variable'],
      [text.indexOf('../prod'), '../prod', 'infrastructure/kubernetes/overlays/prod', 'make.recipe.path'],
    ]);
  });

  it('runs recipes in the Makefile folder, one shell per line, with continuations and @/- prefixes', () => {
    const text = 'all:\n\t@cd kubernetes && ls overlays/dev\n\t-ls overlays/prod scripts/deploy.sh \\\n\t  kubernetes/overlays/prod\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.baseRule, ref.kind, ref.line]), [
      ['kubernetes', 'infrastructure', 'referrer', 'make.recipe.path', 2],
      ['overlays/dev', 'infrastructure/kubernetes', 'fixed', 'make.recipe.path', 2],
      ['scripts/deploy.sh', 'infrastructure', 'referrer', 'make.recipe.path', 3],
      ['kubernetes/overlays/prod', 'infrastructure', 'referrer', 'make.recipe.path', 4],
    ]);
  });

  it('runs all recipe lines of a rule in one shell under .ONESHELL', () => {
    const text = '.ONESHELL:\nall: ; cd kubernetes\n\tls overlays/dev\nother:\n\tls overlays/prod\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.line]), [
      ['kubernetes', 'infrastructure', 2],
      ['overlays/dev', 'infrastructure/kubernetes', 3],
    ]);
  });

  it('anchors $(CURDIR), MAKEFILE_LIST folders and $(shell git rev-parse --show-toplevel)', () => {
    const text = [
      'HERE := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))',
      'ROOT := $(shell git rev-parse --show-toplevel)',
      'DOCS = $(ROOT)/docs/index.md',
      'render: ; kustomize build $(CURDIR)/kubernetes/overlays/prod && bash $(HERE)/scripts/deploy.sh',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.baseRule, ref.kind, ref.confidence]), [
      ['docs/index.md', '', 'fixed', 'make.variable', 'exact'],
      ['kubernetes/overlays/prod', 'infrastructure', 'referrer', 'make.recipe.path', 'exact'],
      ['scripts/deploy.sh', 'infrastructure', 'referrer', 'make.recipe.path', 'exact'],
    ]);
    assert.equal(refs[0].start, text.indexOf('docs/index.md'));
  });

  it('anchors a variable set to $(shell pwd) at the Makefile folder, as make runs recipes there', () => {
    const text = 'CURRENT_DIR=$(shell pwd)\nHERE := $(shell pwd -P)\ngen: ; kustomize build ${CURRENT_DIR}/kubernetes/overlays/prod && bash $(HERE)/scripts/deploy.sh\n';
    const { refs, review } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.target, ref.kind, ref.confidence]), [
      ['kubernetes/overlays/prod', 'infrastructure/kubernetes/overlays/prod', 'make.recipe.path', 'exact'],
      ['scripts/deploy.sh', 'infrastructure/scripts/deploy.sh', 'make.recipe.path', 'exact'],
    ]);
    assert.deepEqual(review, []);
  });

  it('reads paths in # comments outside recipes, from the Makefile folder, as probable', () => {
    const text = '# generates ./kubernetes/overlays/dev/ (see scripts/deploy.sh, not gone/away)\nIMG ?= app # built from scripts/deploy.sh\nall:\n\techo\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target, ref.kind, ref.confidence]), [
      [1, './kubernetes/overlays/dev/', 'infrastructure/kubernetes/overlays/dev', 'make.comment', 'probable'],
      [1, 'scripts/deploy.sh', 'infrastructure/scripts/deploy.sh', 'make.comment', 'probable'],
      [2, 'scripts/deploy.sh', 'infrastructure/scripts/deploy.sh', 'make.comment', 'probable'],
    ]);
  });

  it('reports rule targets that name a file or folder of the tree, not phony or pattern targets', () => {
    const text = 'kubernetes/overlays/dev scripts/deploy.sh: scripts/lib.sh\n\tmkdir -p kubernetes/overlays/dev\nbuild %.yaml bin/tool: ; echo\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target, ref.kind]), [
      [1, 'kubernetes/overlays/dev', 'infrastructure/kubernetes/overlays/dev', 'make.target'],
      [1, 'scripts/deploy.sh', 'infrastructure/scripts/deploy.sh', 'make.target'],
      [2, 'kubernetes/overlays/dev', 'infrastructure/kubernetes/overlays/dev', 'make.recipe.path'],
    ]);
  });

  it('reads the commands of $(shell …) calls in assignments and rule lines as shell from the Makefile folder', () => {
    const text = "VERSION = $(shell grep '^v:' scripts/deploy.sh | cut -f2)\nall: $(shell find kubernetes/overlays | grep yaml)\n\techo\n";
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target]), [
      [1, 'scripts/deploy.sh', 'infrastructure/scripts/deploy.sh'],
      [2, 'kubernetes/overlays', 'infrastructure/kubernetes/overlays'],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('reports prerequisites and includes that name files, not phony targets or special targets', () => {
    const text = '.PHONY: deploy scripts/deploy.sh\ninclude ../tools/versions.mk\ndeploy: build scripts/deploy.sh kubernetes/overlays/dev/kustomization.yaml # docs/index.md\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map(summary), [
      { start: 41, end: 61, text: '../tools/versions.mk', target: 'tools/versions.mk', base: 'infrastructure', baseRule: 'referrer', kind: 'make.include', confidence: 'probable' },
      { start: 76, end: 93, text: 'scripts/deploy.sh', target: 'infrastructure/scripts/deploy.sh', base: 'infrastructure', baseRule: 'referrer', kind: 'make.prerequisite', confidence: 'probable' },
      { start: 94, end: 136, text: 'kubernetes/overlays/dev/kustomization.yaml', target: 'infrastructure/kubernetes/overlays/dev/kustomization.yaml', base: 'infrastructure', baseRule: 'referrer', kind: 'make.prerequisite', confidence: 'probable' },
      // Not a prerequisite: a comment, read as a recipe's comment would be (found from the root).
      { start: 139, end: 152, text: 'docs/index.md', target: 'docs/index.md', base: '', baseRule: 'fixed', kind: 'make.comment', confidence: 'probable' },
    ]);
  });

  it('falls back to the root for a path that is not below the Makefile folder', () => {
    const { refs } = extract('SITE := docs/index.md\n');
    assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.baseRule, ref.target]), [['docs/index.md', '', 'fixed', 'docs/index.md']]);
  });

  it('resolves recipe paths of a make file below the root from the root too, as the root Makefile includes it', () => {
    const { refs } = extract('docs:\n\thelm-tool inject -i docs/index.md -o kubernetes/overlays/dev/kustomization.yaml\n', 'infrastructure/make/docs.mk');
    assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.baseRule, ref.target, ref.kind]), [
      ['docs/index.md', '', 'fixed', 'docs/index.md', 'make.recipe.path'],
    ]);
  });

  it('skips a variable set to recipe prefixes only ($(Q)./script.sh with Q = @) at the start of a recipe line', () => {
    const text = 'VECHO = @\nQ ?=\nMSG = hello\n\nlint:\n\t$(VECHO)./scripts/deploy.sh\n\t@$(Q)scripts/deploy.sh\n\t$(MSG)./scripts/deploy.sh\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target]), [
      [6, './scripts/deploy.sh', 'infrastructure/scripts/deploy.sh'],
      [7, 'scripts/deploy.sh', 'infrastructure/scripts/deploy.sh'],
    ]);
  });

  it('does not review a recipe path built from a make automatic variable ($@, $(<D)): the rule line names it', () => {
    const text = 'bin/app: main.go\n\tcd kubernetes/overlays/dev && go build -o ../../$@ && cp ../../$(<D)/x ../../$(OUT)\n';
    const { review } = extract(text);
    assert.deepEqual(review.map((item) => [item.text, item.target]), [['../../$(OUT)', 'infrastructure/kubernetes']]);
  });

  it('reads the command of a $(shell …) call inside a recipe line as shell', () => {
    const text = 'meta: bin/app\n\tjq -n --arg sha "$(shell ./scripts/deploy.sh $<)" > $@\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.target, ref.kind]), [['./scripts/deploy.sh', 'infrastructure/scripts/deploy.sh', 'make.recipe.path']]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('reads a pattern rule prerequisite (out/%.yaml: dir/%.yaml) as a glob reference to its static folder', () => {
    const text = 'out/%.yaml: kubernetes/overlays/%.yaml nowhere/%.txt\n\tcp $< $@\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.target, ref.kind, ref.glob]), [['kubernetes/overlays/%.yaml', 'infrastructure/kubernetes/overlays', 'make.prerequisite', true]]);
  });

  it('reads the written-out pattern of $(patsubst …) as a glob reference to its static folder', () => {
    const text = 'OUT := $(patsubst kubernetes/overlays/%,build/%,$(SOURCES))\nX := $(patsubst $(DIR)/%,b/%,$(S))\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.target, ref.kind, ref.glob]), [['kubernetes/overlays/%', 'infrastructure/kubernetes/overlays', 'make.patsubst', true]]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('resolves $(ROOT_DIR)/$(DIR)/x in DIR when DIR is written relative to the folder ROOT_DIR names', () => {
    const text = 'ROOT_DIR := $(shell dirname $(realpath $(firstword $(MAKEFILE_LIST))))\nK8S_DIR := kubernetes\n\ndocs:\n' +
      '\tcat $(ROOT_DIR)/$(K8S_DIR)/overlays/dev/kustomization.yaml $(ROOT_DIR)/$(K8S_DIR)\n\tcat $(ROOT_DIR)/$(OTHER)/x.yaml\n' +
      'DEV ?= $(ROOT_DIR)/$(K8S_DIR)/overlays/dev\n';
    const { refs, review } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.target]), [
      ['kubernetes', 'infrastructure', 'infrastructure/kubernetes'],
      ['overlays/dev/kustomization.yaml', 'infrastructure/kubernetes', 'infrastructure/kubernetes/overlays/dev/kustomization.yaml'],
      ['overlays/dev', 'infrastructure/kubernetes', 'infrastructure/kubernetes/overlays/dev'],
    ]);
    assert.deepEqual(review.map((item) => item.text), ['$(ROOT_DIR)/$(OTHER)/x.yaml']);
  });

  it('reads a written-out $(wildcard …) as a glob reference to its static folder; sends built ones and unknown variables to review', () => {
    const text =
      'OVERLAYS := $(wildcard kubernetes/overlays/*/)\nMISSING := $(wildcard nowhere/*.yaml)\nCHART = $(ROOT)/x\nDEV = $(CURDIR)/kubernetes/$(ENV)\n' +
      'BUILT := $(wildcard $(CURDIR)/kubernetes/*.yaml)\nTOOL := $(wildcard $(OPM))\n';
    const { refs, review } = extract(text);
    assert.deepEqual(refs.map((ref) => ({ ...summary(ref), glob: ref.glob })), [
      {
        start: 23, end: 45, text: 'kubernetes/overlays/*/', target: 'infrastructure/kubernetes/overlays', base: 'infrastructure',
        baseRule: 'referrer', kind: 'make.wildcard', confidence: 'probable', glob: true,
      },
    ]);
    assert.deepEqual(review.map(({ start, end, text: reviewed, target, kind, line }) => ({ start, end, text: reviewed, target, kind, line })), [
      { start: 109, end: 136, text: '$(CURDIR)/kubernetes/$(ENV)', target: 'infrastructure', kind: 'make.variable', line: 4 },
      { start: 157, end: 184, text: '$(CURDIR)/kubernetes/*.yaml', target: 'infrastructure', kind: 'make.wildcard', line: 5 },
    ]);
  });

  it('skips define bodies and keeps offsets with CRLF line endings', () => {
    const text = 'define HELP\r\nscripts/deploy.sh\r\nendef\r\nOVERLAY = kubernetes/overlays/dev\r\nx:\r\n\tls $(OVERLAY)/../prod\r\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.line, ref.column]), [
      [49, 72, 'kubernetes/overlays/dev', 4, 11],
      [93, 100, '../prod', 6, 16],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('marks a variable that names a folder as the base of later paths, and follows a recipe cd into a missing folder', () => {
    const text = 'K8S := kubernetes\nLIST := kubernetes scripts\n\nprod:\n\tkubectl apply -k $(K8S)/overlays/prod\ncerts:\n\tcd gone && cat ../scripts/deploy.sh\n';
    const { refs, review } = extract(text);
    assert.deepEqual(review, []);
    assert.deepEqual(
      refs.map((ref) => [ref.text, ref.kind, ref.base, ref.target, ref.namesBase ?? false]),
      [
        ['kubernetes', 'make.variable', 'infrastructure', 'infrastructure/kubernetes', true],
        ['kubernetes', 'make.variable', 'infrastructure', 'infrastructure/kubernetes', false],
        ['scripts', 'make.variable', 'infrastructure', 'infrastructure/scripts', false],
        ['overlays/prod', 'make.recipe.path', 'infrastructure/kubernetes', 'infrastructure/kubernetes/overlays/prod', false],
        ['gone', 'make.recipe.path', 'infrastructure', 'infrastructure/gone', true],
        ['../scripts/deploy.sh', 'make.recipe.path', 'infrastructure/gone', 'infrastructure/scripts/deploy.sh', false],
      ],
    );
  });

  it('reports a file a recipe writes into an existing folder as an output reference, resolved in the Makefile folder', () => {
    const text = 'render:\n\tkustomize build kubernetes/overlays/prod | tee kubernetes/overlays/prod/rendered.yaml\n\tkustomize build kubernetes/overlays/dev > $@.yaml\n';
    const { refs } = extract(text);
    const start = text.indexOf('kubernetes/overlays/prod/rendered.yaml');
    assert.deepEqual(refs.filter((ref) => ref.output).map(summary), [
      { start, end: start + 38, text: 'kubernetes/overlays/prod/rendered.yaml', target: 'infrastructure/kubernetes/overlays/prod/rendered.yaml', base: 'infrastructure', baseRule: 'referrer', kind: 'make.recipe.output', confidence: 'probable' },
    ]);
    assert.deepEqual(refs.filter((ref) => !ref.output).map((ref) => ref.text), ['kubernetes/overlays/prod', 'kubernetes/overlays/dev']);
  });
});
