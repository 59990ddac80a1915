import { strict as assert } from 'node:assert';
import { formatProblem, loadPlan } from '../../../../src/core/plan/load';
import type { Problem } from '../../../../src/core/types';

const VALID = `version: 1
title: Demo restructure
root: infrastructure/
exclude:
  - "**/.DS_Store"
layout:
  - path: .
    description: The infrastructure root
    expect: [README.md]
  - path: cicd
    description: CI/CD pipeline components
  - path: environments/dev
rules:
  - id: cicd
    from: ci-cd/*/
    to: cicd/$1
    note: each pipeline folder moves whole
  - from: "tls/*.sh"
    to: scripts/setup/
    exclude: [tls/old-*.sh]
keep:
  - path: README.md
    reason: already where the proposal wants it
phases:
  - id: phase-1
    title: Preparation
    steps:
      - id: inventory
        title: Inventory Analysis
        action: inventory
        description: Count every file
  - id: phase-2
    title: Moves
    steps:
      - id: move-cicd
        title: CI/CD
        action: move
        rules: [cicd, rule-2]
      - id: staging
        title: Create Environment Structure
        action: create-environment
        with: {from: environments/dev, name: staging}
`;

function errors(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** Loads `text` and returns its only error, failing when there is not exactly one. */
function onlyError(text: string): Problem {
  const { plan, problems } = loadPlan(text, 'relayout.yaml');
  const found = errors(problems);
  assert.equal(found.length, 1, `expected one error, got: ${problems.map(formatProblem).join(' | ')}`);
  assert.equal(plan, undefined, 'a plan with errors must not be returned');
  return found[0];
}

describe('loadPlan', () => {
  it('reads a complete plan into plain data', () => {
    const { plan, problems } = loadPlan(VALID, 'relayout.yaml');
    assert.deepEqual(problems, []);
    assert.ok(plan);
    assert.equal(plan.root, 'infrastructure');
    assert.equal(plan.title, 'Demo restructure');
    assert.deepEqual(plan.exclude, ['**/.DS_Store']);
    assert.deepEqual(
      plan.layout.map((l) => [l.path, l.description, l.expect]),
      [
        ['.', 'The infrastructure root', ['README.md']],
        ['cicd', 'CI/CD pipeline components', []],
        ['environments/dev', undefined, []],
      ],
    );
    assert.deepEqual(
      plan.rules.map((r) => [r.id, r.from, r.to, r.exclude, r.position.line]),
      [
        ['cicd', 'ci-cd/*/', 'cicd/$1', [], 14],
        ['rule-2', 'tls/*.sh', 'scripts/setup/', ['tls/old-*.sh'], 18],
      ],
    );
    assert.deepEqual(plan.keep.map((k) => [k.path, k.reason]), [['README.md', 'already where the proposal wants it']]);
    assert.deepEqual(
      plan.phases.map((p) => [p.id, p.steps.map((s) => [s.id, s.action, s.rules])]),
      [
        ['phase-1', [['inventory', 'inventory', []]]],
        ['phase-2', [['move-cicd', 'move', ['cicd', 'rule-2']], ['staging', 'create-environment', []]]],
      ],
    );
    assert.deepEqual(plan.phases[1].steps[1].createEnvironment, { from: 'environments/dev', name: 'staging' });
  });

  it('names an unknown key with its position and the key that was probably meant', () => {
    const error = onlyError(VALID.replace('    description: CI/CD pipeline components', '    descripton: CI/CD pipeline components'));
    assert.equal(error.line, 11);
    assert.equal(error.column, 5);
    assert.match(error.message, /Unknown key `descripton` in a layout folder\. Did you mean `description`\?/);
  });

  it('rejects an unknown action and suggests the closest one', () => {
    const error = onlyError(VALID.replace('action: inventory', 'action: inventroy'));
    assert.equal(error.line, 30);
    assert.match(error.message, /`inventroy` is not a step action.*Did you mean `inventory`\?/);
  });

  it('points at a capture that the from glob does not have', () => {
    const error = onlyError(VALID.replace('to: cicd/$1', 'to: cicd/$1/$2'));
    assert.equal(error.line, 16);
    assert.equal(error.column, 17, 'the column of `$2`');
    assert.match(error.message, /`to` uses \$2 but `from` \(`ci-cd\/\*\/`\) has only 1 wildcard/);
  });

  it('explains that `to` is a template when it is written as a glob', () => {
    const error = onlyError(VALID.replace('to: cicd/$1', 'to: cicd/*/'));
    assert.match(error.message, /`to` is a template, not a glob: write \$1/);
  });

  it('suggests the variable meant by an unknown ${…}', () => {
    const error = onlyError(VALID.replace('to: cicd/$1', 'to: cicd/${nmae}'));
    assert.match(error.message, /`\$\{nmae\}` is not a template variable.*Did you mean `name`\?/);
  });

  it('reports two rules whose literal destinations are the same', () => {
    const text = VALID.replace(
      'keep:',
      `  - id: one\n    from: a.yaml\n    to: merged/file.yaml\n  - id: two\n    from: b.yaml\n    to: ./merged//file.yaml\nkeep:`,
    );
    const { problems } = loadPlan(text, 'relayout.yaml');
    const found = errors(problems);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /Rules `one` \(line 21\) and `two` both send files to `merged\/file.yaml`/);
  });

  it('warns when a wildcard rule sends everything it matches to one literal path', () => {
    const text = VALID.replace('keep:', `  - id: one\n    from: "x/*.yaml"\n    to: merged.yaml\nkeep:`);
    const { plan, problems } = loadPlan(text, 'relayout.yaml');
    assert.ok(plan);
    assert.deepEqual(problems.map((p) => [p.severity, p.line, p.message]), [
      ['warning', 23, 'Every file `x/*.yaml` matches goes to the one path `merged.yaml`; if it matches more than one, they collide. End `to` with `/` to keep their names.'],
      ['warning', 21, 'Rule `one` is not applied by any move step, so no phase will carry it out.'],
    ]);
  });

  it('reads `./` as the root folder of the layout', () => {
    const { plan } = loadPlan(VALID.replace('  - path: .\n', '  - path: ./\n'), 'relayout.yaml');
    assert.equal(plan?.layout[0].path, '.');
  });

  it('refuses paths that leave the workspace', () => {
    assert.match(onlyError(VALID.replace('root: infrastructure/', 'root: ../elsewhere')).message, /climbs out with `\.\.`/);
    assert.match(onlyError(VALID.replace('root: infrastructure/', 'root: /srv/infra')).message, /`root` must be a relative path/);
    assert.match(onlyError(VALID.replace('to: cicd/$1', 'to: ../cicd/$1')).message, /`to` must stay inside the workspace/);
    assert.match(onlyError(VALID.replace('from: ci-cd/*/', 'from: ci-cd/../x/')).message, /`from` must stay inside/);
    assert.match(
      onlyError(VALID.replace('{from: environments/dev, name: staging}', '{from: /environments/dev, name: staging}')).message,
      /`from` must be a relative path/,
    );
  });

  it('reports duplicate ids of rules, phases and steps', () => {
    assert.match(
      onlyError(VALID.replace('keep:', '  - id: cicd\n    from: x.yaml\n    to: y.yaml\nkeep:')).message,
      /Two rules have the id `cicd` \(the other is on line 14\)/,
    );
    assert.match(onlyError(VALID.replace('id: phase-2', 'id: phase-1')).message, /Two phases have the id `phase-1`/);
    assert.match(onlyError(VALID.replace('id: staging', 'id: inventory')).message, /Two steps have the id `inventory`/);
  });

  it('reports a step that applies an unknown rule', () => {
    const error = onlyError(VALID.replace('rules: [cicd, rule-2]', 'rules: [cicdd, rule-2]'));
    assert.equal(error.line, 38);
    assert.match(error.message, /applies rule `cicdd`, but no rule has that id\. Did you mean `cicd`\?/);
  });

  it('says what type was expected and what was found', () => {
    const layoutError = onlyError(VALID.replace(/layout:\n(  .*\n)+/, 'layout: environments\n'));
    assert.match(layoutError.message, /`layout` must be a list of folders, found the text `environments`/);
    assert.match(onlyError(VALID.replace('title: Demo restructure', 'title: [a, b]')).message, /`title` must be text, found a list/);
    assert.match(onlyError(VALID.replace('version: 1', 'version: 2')).message, /plan `version: 1`/);
    assert.match(onlyError(VALID.replace('  - path: cicd\n', '  - cicd\n  - path: cicd\n')).message, /Expected a layout folder \(a mapping/);
  });

  it('reports what a step cannot have for its action', () => {
    assert.match(
      onlyError(VALID.replace('        action: inventory\n', '        action: inventory\n        rules: [cicd]\n')).message,
      /Only `move` steps apply rules/,
    );
    assert.match(
      onlyError(VALID.replace('        action: inventory\n', '        action: inventory\n        with: {from: a, name: b}\n')).message,
      /Only create-environment steps take options/,
    );
    assert.match(
      onlyError(VALID.replace('        with: {from: environments/dev, name: staging}\n', '')).message,
      /needs `with: \{from:/,
    );
    assert.match(
      onlyError(VALID.replace('name: staging}', 'name: dev}')).message,
      /same name as the one it copies/,
    );
  });

  it('reports missing required keys and invalid globs', () => {
    assert.match(onlyError(VALID.replace('    to: scripts/setup/\n', '')).message, /A rule needs `to`/);
    assert.match(onlyError(VALID.replace('from: ci-cd/*/', 'from: ci-cd/a**/')).message, /`\*\*` must be a whole path segment/);
    assert.match(onlyError(VALID.replace('"**/.DS_Store"', '"**/{a.yaml"')).message, /a `\{` has no closing `\}`/);
  });

  it('reports YAML syntax errors with their position', () => {
    const { plan, problems } = loadPlan('version: 1\nroot: [infrastructure\nlayout: []\n', 'plans/relayout.yaml');
    assert.equal(plan, undefined);
    assert.ok(problems.length > 0);
    assert.equal(problems[0].file, 'plans/relayout.yaml');
    assert.equal(problems[0].severity, 'error');
    assert.ok(problems[0].line >= 2);
  });

  it('positions problems in a file with a BOM and CRLF line endings', () => {
    const error = onlyError('\uFEFFversion: 1\r\nroot: infra\r\nrules:\r\n  - from: a/*\r\n    to: b/$2\r\n');
    assert.deepEqual([error.line, error.column], [5, 11]);
  });

  it('reports an empty plan file', () => {
    assert.match(onlyError('# nothing yet\n').message, /The plan file is empty/);
  });

  it('keeps the plan but warns about rules no step applies and move steps without rules', () => {
    const text = VALID.replace('        rules: [cicd, rule-2]\n', '');
    const { plan, problems } = loadPlan(text, 'relayout.yaml');
    assert.ok(plan);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.line, p.message]),
      [
        ['warning', 35, 'This move step names no rules (`rules: [...]`), so it moves nothing.'],
        ['warning', 14, 'Rule `cicd` is not applied by any move step, so no phase will carry it out.'],
        ['warning', 18, 'Rule `rule-2` is not applied by any move step, so no phase will carry it out.'],
      ],
    );
  });

  it('formats a problem as file:line:column', () => {
    assert.equal(
      formatProblem({ file: 'relayout.yaml', line: 3, column: 7, severity: 'error', message: 'Bad.' }),
      'relayout.yaml:3:7: error: Bad.',
    );
  });
});
