import { strict as assert } from 'node:assert';
import { applyEditsToText } from '../../../../src/core/moves/edits';

describe('applyEditsToText', () => {
  it('changes only the edited ranges of a tricky YAML text', () => {
    const text =
      '\uFEFF# top comment  \r\nresources:\r\n  - "../base"   # quoted\r\n  - \'./x.yaml\'\r\n' +
      'list: [a.yaml,\tb.yaml ]\r\n\tkey: value with trailing spaces   \r\nlast: ../c.yaml';
    const base = text.indexOf('../base');
    const b = text.indexOf('b.yaml');
    const c = text.indexOf('../c.yaml');
    const result = applyEditsToText(text, [
      { start: c, end: c + 9, newText: '../../c.yaml', oldText: '../c.yaml' },
      { start: base, end: base + 7, newText: '../../shared/base', oldText: '../base' },
      { start: b, end: b + 6, newText: 'sub/b.yaml' },
    ]);
    assert.equal(
      result,
      '\uFEFF# top comment  \r\nresources:\r\n  - "../../shared/base"   # quoted\r\n  - \'./x.yaml\'\r\n' +
        'list: [a.yaml,\tsub/b.yaml ]\r\n\tkey: value with trailing spaces   \r\nlast: ../../c.yaml',
    );
    assert.equal(Buffer.from(result, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf');
  });

  it('applies insertions and deletions', () => {
    assert.equal(applyEditsToText('a-b-c', [{ start: 0, end: 0, newText: '>' }, { start: 1, end: 3, newText: '' }]), '>a-c');
  });

  it('returns the text unchanged without edits', () => {
    assert.equal(applyEditsToText('same', []), 'same');
  });

  it('refuses overlapping edits and two insertions at one point', () => {
    assert.throws(() => applyEditsToText('abcdef', [{ start: 1, end: 4, newText: 'x' }, { start: 3, end: 5, newText: 'y' }]), /overlapping edits at 1-4 and 3-5/);
    assert.throws(() => applyEditsToText('abcdef', [{ start: 2, end: 2, newText: 'x' }, { start: 2, end: 2, newText: 'y' }]), /overlapping/);
  });

  it('refuses an edit whose old text is not there any more, or that lies outside the text', () => {
    assert.throws(() => applyEditsToText('abc', [{ start: 0, end: 1, newText: 'x', oldText: 'b' }]), /expected "b" but found "a"/);
    assert.throws(() => applyEditsToText('abc', [{ start: 2, end: 5, newText: 'x' }]), /outside a text of length 3/);
  });
});
