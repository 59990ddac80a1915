import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadPlan, PLAN_KEYS } from '../../../src/core/plan/load';
import { STEP_ACTIONS } from '../../../src/core/plan/types';

type Schema = Record<string, unknown>;

const schema = JSON.parse(readFileSync(path.resolve(__dirname, '../../../schemas/relayout.schema.json'), 'utf8')) as Schema;
const definitions = schema.definitions as Record<string, Schema>;

/**
 * A validator for exactly the draft-07 keywords the schema uses, so the test needs no new dependency. It throws on a
 * keyword it does not know, so the schema cannot grow past what this test checks.
 */
function validate(node: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  for (const [keyword, argument] of Object.entries(node)) {
    switch (keyword) {
      case '$schema':
      case '$id':
      case 'title':
      case 'description':
      case 'definitions':
      case 'examples':
      case 'defaultSnippets':
        break;
      case '$ref': {
        const name = (argument as string).replace('#/definitions/', '');
        errors.push(...validate(definitions[name], value, at));
        break;
      }
      case 'type': {
        const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
        if (actual !== argument) errors.push(`${at}: expected ${argument}, found ${actual}`);
        break;
      }
      case 'const':
        if (value !== argument) errors.push(`${at}: expected ${JSON.stringify(argument)}`);
        break;
      case 'enum':
        if (!(argument as unknown[]).includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not allowed`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(argument as string).test(value)) errors.push(`${at}: ${value} does not match`);
        break;
      case 'minLength':
        if (typeof value === 'string' && value.length < (argument as number)) errors.push(`${at}: too short`);
        break;
      case 'required':
        if (isObject(value)) for (const key of argument as string[]) if (!(key in value)) errors.push(`${at}: needs ${key}`);
        break;
      case 'properties':
        if (isObject(value)) {
          for (const [key, sub] of Object.entries(argument as Record<string, Schema>)) {
            if (key in value) errors.push(...validate(sub, value[key], `${at}.${key}`));
          }
        }
        break;
      case 'additionalProperties':
        if (argument === false && isObject(value)) {
          const known = Object.keys((node.properties ?? {}) as Schema);
          for (const key of Object.keys(value)) if (!known.includes(key)) errors.push(`${at}: unknown key ${key}`);
        }
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((item, i) => errors.push(...validate(argument as Schema, item, `${at}[${i}]`)));
        break;
      case 'allOf':
        for (const sub of argument as Schema[]) errors.push(...validate(sub, value, at));
        break;
      case 'not':
        if (validate(argument as Schema, value, at).length === 0) errors.push(`${at}: matches what is forbidden`);
        break;
      case 'if': {
        const branch = validate(argument as Schema, value, at).length === 0 ? node.then : node.else;
        if (branch) errors.push(...validate(branch as Schema, value, at));
        break;
      }
      case 'then':
      case 'else':
        break;
      default:
        throw new Error(`the test validator does not know the keyword ${keyword}`);
    }
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function propertyNames(node: Schema): string[] {
  return Object.keys(node.properties as Schema).sort();
}

const PLAN = `version: 1
title: Agreement check
proposal: docs/proposal.md
root: infrastructure
exclude: ["**/.DS_Store"]
layout:
  - path: services/microservices
    description: Application services
    expect: [README.md]
rules:
  - id: services
    from: kubernetes/base/components/*/
    to: services/microservices/$1/k8s-manifests
    exclude: [kubernetes/base/components/databases/]
    note: one folder per service
keep:
  - path: README.md
    reason: already in place
phases:
  - id: phase-1
    title: Moves
    description: Everything in one go
    steps:
      - id: move
        title: Move services
        action: move
        description: the services rule
        rules: [services]
      - id: staging
        title: Staging
        action: create-environment
        with: {from: environments/dev, name: staging}
`;

describe('relayout.schema.json', () => {
  it('lists exactly the keys the loader accepts, object by object', () => {
    assert.deepEqual(propertyNames(schema), [...PLAN_KEYS.plan].sort());
    for (const [kind, keys] of Object.entries(PLAN_KEYS)) {
      if (kind === 'plan') continue;
      assert.ok(definitions[kind], `the schema has no definition for ${kind}`);
      assert.deepEqual(propertyNames(definitions[kind]), [...keys].sort(), `keys of ${kind}`);
      assert.equal(definitions[kind].additionalProperties, false, `${kind} must reject unknown keys like the loader`);
    }
    assert.deepEqual(schema.required, ['version', 'root']);
  });

  it('offers exactly the loader’s step actions', () => {
    const action = (definitions.step.properties as Record<string, Schema>).action;
    assert.deepEqual(action.enum, [...STEP_ACTIONS]);
  });

  it('offers snippets that are valid plan entries once their placeholders are filled', () => {
    const fill = (value: unknown): unknown =>
      typeof value === 'string'
        ? value.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\\\$/g, '$')
        : Array.isArray(value)
          ? value.map(fill)
          : isObject(value)
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]))
            : value;
    for (const [name, node] of Object.entries(definitions)) {
      for (const snippet of (node.defaultSnippets ?? []) as { label: string; body: unknown }[]) {
        assert.deepEqual(validate(node, fill(snippet.body)), [], `${name}: ${snippet.label}`);
      }
    }
  });

  it('describes every property, for hover and completion', () => {
    const missing: string[] = [];
    const visit = (node: Schema, at: string): void => {
      for (const [key, sub] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) {
        if (typeof sub.description !== 'string' || sub.description.length < 10) missing.push(`${at}.${key}`);
      }
    };
    visit(schema, '$');
    for (const [name, node] of Object.entries(definitions)) visit(node, name);
    assert.deepEqual(missing, []);
  });

  it('accepts the plan the loader accepts', () => {
    const loaded = loadPlan(PLAN, 'relayout.yaml');
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(validate(schema, parse(PLAN)), []);
  });

  const invalid: [string, string, string][] = [
    ['an unknown key', 'title: Agreement check', 'titel: Agreement check'],
    ['an unknown action', 'action: move', 'action: relocate'],
    ['a path climbing out', 'root: infrastructure', 'root: ../infrastructure'],
    ['an absolute path', 'proposal: docs/proposal.md', 'proposal: /docs/proposal.md'],
    ['a missing required key', '    to: services/microservices/$1/k8s-manifests\n', ''],
    ['options on a step that takes none', '        rules: [services]\n', '        rules: [services]\n        with: {from: a, name: b}\n'],
    ['rules on a step that is not a move', '        with: {from', '        rules: [services]\n        with: {from'],
    ['a create-environment step without options', '        with: {from: environments/dev, name: staging}\n', ''],
    ['a glob in `to`', 'to: services/microservices/$1/k8s-manifests', 'to: services/microservices/*/k8s-manifests'],
    ['a bad id', 'id: phase-1', 'id: phase 1'],
    ['a wrong version', 'version: 1', 'version: 2'],
  ];
  for (const [what, find, replace] of invalid) {
    it(`rejects ${what}, like the loader`, () => {
      const text = PLAN.replace(find, replace);
      assert.notEqual(text, PLAN);
      assert.ok(loadPlan(text, 'relayout.yaml').problems.some((p) => p.severity === 'error'), 'the loader accepted it');
      assert.notDeepEqual(validate(schema, parse(text)), [], 'the schema accepted it');
    });
  }
});
