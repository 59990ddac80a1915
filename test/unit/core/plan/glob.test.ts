import { strict as assert } from 'node:assert';
import { compileGlob, globEscape, matchGlob, type Glob } from '../../../../src/core/plan/glob';

function glob(source: string): Glob {
  const result = compileGlob(source);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.glob;
}

function failure(source: string): { message: string; offset: number } {
  const result = compileGlob(source);
  assert.ok(!result.ok, `${source} compiled`);
  return result;
}

describe('compileGlob / matchGlob', () => {
  it('matches `*` inside one segment, dotfiles included, and captures it', () => {
    const g = glob('tls/*.sh');
    assert.deepEqual(matchGlob(g, 'tls/generate.sh'), ['generate']);
    assert.deepEqual(matchGlob(g, 'tls/.hidden.sh'), ['.hidden']);
    assert.equal(matchGlob(g, 'tls/ca/generate.sh'), undefined);
    assert.equal(matchGlob(g, 'tls/generate.shx'), undefined);
  });

  it('matches `**` across zero or more segments at the start, middle and end', () => {
    assert.deepEqual(matchGlob(glob('**/*.sh'), 'a/b/c.sh'), ['a/b', 'c']);
    assert.deepEqual(matchGlob(glob('**/*.sh'), 'c.sh'), ['', 'c']);
    assert.deepEqual(matchGlob(glob('a/**/k.yaml'), 'a/k.yaml'), ['']);
    assert.deepEqual(matchGlob(glob('a/**/k.yaml'), 'a/x/y/k.yaml'), ['x/y']);
    assert.deepEqual(matchGlob(glob('ci-cd/**'), 'ci-cd/tekton/tasks/a.yaml'), ['tekton/tasks/a.yaml']);
    assert.equal(matchGlob(glob('ci-cd/**'), 'ci-cdx/a.yaml'), undefined);
  });

  it('captures alternations and `?`, numbered left to right', () => {
    const g = glob('overlays/{dev,prod}/patch-?.yaml');
    assert.deepEqual(g.captures, ['alternation', 'question']);
    assert.deepEqual(g.alternatives[0], ['dev', 'prod']);
    assert.deepEqual(matchGlob(g, 'overlays/prod/patch-1.yaml'), ['prod', '1']);
    assert.equal(matchGlob(g, 'overlays/staging/patch-1.yaml'), undefined);
  });

  it('treats a whole-segment `*` as non-empty and escaped characters as literal', () => {
    assert.equal(matchGlob(glob('a/*/b'), 'a//b'), undefined);
    assert.deepEqual(matchGlob(glob('a/\\*.yaml'), 'a/*.yaml'), []);
    assert.equal(matchGlob(glob('a/\\*.yaml'), 'a/x.yaml'), undefined);
    assert.deepEqual(matchGlob(glob('a.b/c+d(e).yaml'), 'a.b/c+d(e).yaml'), []);
    assert.equal(matchGlob(glob('a.b/c.yaml'), 'aXb/c.yaml'), undefined);
  });

  it('knows the literal text every match starts with', () => {
    assert.equal(glob('kubernetes/base/*.yaml').prefix, 'kubernetes/base/');
    assert.equal(glob('ci-cd/**').prefix, 'ci-cd');
    assert.deepEqual(matchGlob(glob('ci-cd/**'), 'ci-cd'), ['']);
    assert.equal(glob('**/*.sh').prefix, '');
    assert.equal(glob('a\\*b/{x,y}').prefix, 'a*b/');
  });

  it('marks a trailing `/` as a folder glob', () => {
    const g = glob('kubernetes/base/components/*/');
    assert.equal(g.folder, true);
    assert.deepEqual(matchGlob(g, 'kubernetes/base/components/hpa'), ['hpa']);
    assert.equal(glob('a/b.yaml').folder, false);
  });

  it('explains malformed globs with the offset of the fault', () => {
    assert.deepEqual(failure('a/b**'), { ok: false, message: '`**` must be a whole path segment, as in `a/**/b`', offset: 3 });
    assert.match(failure('a/**/**').message, /two `\*\*` in a row/);
    assert.match(failure('a/{b,c').message, /no closing `\}`/);
    assert.match(failure('a/b}').message, /no opening `\{`/);
    assert.match(failure('a/{b}').message, /at least two alternatives/);
    assert.match(failure('a/{*,b}').message, /plain names/);
    assert.match(failure('a//b').message, /empty path segment/);
    assert.match(failure('a\\').message, /lone `\\`/);
    assert.match(failure('').message, /empty/);
  });

  it('escapes a literal so that it matches only itself', () => {
    const literal = 'odd*{name}?.yaml';
    assert.deepEqual(matchGlob(glob(globEscape(literal)), literal), []);
  });
});
