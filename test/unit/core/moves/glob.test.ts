import { strict as assert } from 'node:assert';
import { globMatcher, splitGlob } from '../../../../src/core/moves/glob';

describe('splitGlob', () => {
  it('splits at the last slash before the first wildcard', () => {
    assert.deepEqual(splitGlob('kustomize/**'), { prefix: 'kustomize', pattern: '**' });
    assert.deepEqual(splitGlob('./apps/*/overlays/{dev,prod}'), { prefix: './apps', pattern: '*/overlays/{dev,prod}' });
    assert.deepEqual(splitGlob('*.yaml'), { prefix: '', pattern: '*.yaml' });
    assert.deepEqual(splitGlob('docs/'), { prefix: 'docs', pattern: '' });
  });
});

describe('globMatcher', () => {
  it('matches single and double stars, ? and classes', () => {
    const yaml = globMatcher('**/*.yaml');
    assert.equal(yaml('a.yaml'), true);
    assert.equal(yaml('x/y/a.yaml'), true);
    assert.equal(yaml('x/y/a.json'), false);
    assert.equal(globMatcher('v?/[!b]*.md')('v1/a.md'), true);
    assert.equal(globMatcher('v?/[!b]*.md')('v1/b.md'), false);
    assert.equal(globMatcher('{dev,prod}.env')('prod.env'), true);
    assert.equal(globMatcher('{dev,prod}.env')('test.env'), false);
  });

  it('matches a file through a folder the pattern names', () => {
    assert.equal(globMatcher('*/')('chart/templates/x.yaml'), true);
    assert.equal(globMatcher('*.yaml')('chart/values.yaml'), false);
  });

  it('treats regular expression characters literally and an empty pattern as everything', () => {
    assert.equal(globMatcher('a+b(1).yaml')('a+b(1).yaml'), true);
    assert.equal(globMatcher('a+b(1).yaml')('aab1.yaml'), false);
    assert.equal(globMatcher('')('any/thing'), true);
  });
});
