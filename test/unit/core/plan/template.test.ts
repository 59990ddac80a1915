import { strict as assert } from 'node:assert';
import { compileGlob, type Glob } from '../../../../src/core/plan/glob';
import { destinationGlob, highestCapture, isLiteral, parseTemplate, renderTemplate, type Template } from '../../../../src/core/plan/template';

function template(source: string): Template {
  const result = parseTemplate(source);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.template;
}

function glob(source: string): Glob {
  const result = compileGlob(source);
  assert.ok(result.ok);
  return result.glob;
}

describe('parseTemplate / renderTemplate', () => {
  it('inserts captures, braced captures and a literal dollar', () => {
    const t = template('services/$1/k8s-${2}0/$$x');
    assert.equal(renderTemplate(t, 'a/b.yaml', ['auth', 'v']), 'services/auth/k8s-v0/$x');
    assert.equal(highestCapture(t)?.index, 2);
    assert.equal(isLiteral(t), false);
    assert.equal(isLiteral(template('cicd/README.md')), true);
  });

  it('inserts the name, stem and extension of the matched entry', () => {
    const t = template('values/${stem}/${name}-${basename}${ext}');
    assert.equal(renderTemplate(t, 'helm/signoz-values.dev.yaml', []), 'values/signoz-values.dev/signoz-values.dev.yaml-signoz-values.dev.yaml.yaml');
    assert.equal(renderTemplate(template('x/${stem}${ext}'), 'a/Makefile', []), 'x/Makefile');
  });

  it('keeps the matched name inside a folder when `to` ends with `/`', () => {
    const t = template('scripts/$1/');
    assert.equal(t.into, true);
    assert.equal(renderTemplate(t, 'tls/generate.sh', ['setup']), 'scripts/setup/generate.sh');
  });

  it('explains what is wrong with a malformed template, and where', () => {
    const star = parseTemplate('cicd/*/');
    assert.ok(!star.ok);
    assert.equal(star.offset, 5);
    assert.match(star.message, /template, not a glob/);
    const unknown = parseTemplate('a/${nam}');
    assert.ok(!unknown.ok);
    assert.equal(unknown.unknownVariable, 'nam');
    assert.equal(unknown.offset, 2);
    const lone = parseTemplate('a/$x');
    assert.ok(!lone.ok);
    assert.match(lone.message, /lone `\$`/);
    const open = parseTemplate('a/${1');
    assert.ok(!open.ok);
    assert.match(open.message, /no closing `\}`/);
  });
});

describe('destinationGlob', () => {
  it('turns each capture into the wildcard it came from', () => {
    assert.equal(destinationGlob(template('services/$1/k8s-manifests/'), glob('components/*-service.yaml')), 'services/*/k8s-manifests/*-service.yaml');
    assert.equal(destinationGlob(template('cicd/$1'), glob('ci-cd/**')), 'cicd/**');
    assert.equal(destinationGlob(template('environments/$1'), glob('overlays/{dev,prod}/')), 'environments/{dev,prod}');
  });

  it('keeps the name pattern of `from` where the name is kept, and escapes literals', () => {
    assert.equal(destinationGlob(template('scripts/setup/'), glob('kubernetes/setup-dockerhub-secrets.sh')), 'scripts/setup/setup-dockerhub-secrets.sh');
    assert.equal(destinationGlob(template('out/${name}'), glob('a/{x,y}.yaml')), 'out/{x,y}.yaml');
    assert.equal(destinationGlob(template('odd{dir}/${stem}.txt'), glob('a/*.md')), 'odd\\{dir\\}/*.txt');
    assert.equal(destinationGlob(template('flat/'), glob('deep/**')), 'flat/*');
  });
});
