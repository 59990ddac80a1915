import { strict as assert } from 'node:assert';
import { fullLineComments, mayNamePath } from '../../../src/core/text';

describe('core/text', () => {
  it('finds full-line # comments (after blanks only), with CRLF and a BOM, not a # inside a line', () => {
    const text = '\uFEFF# head\r\nkey: "a # b"\n  # indented\n\t#tab\nx: 1 # trailing\n#';
    assert.deepEqual(
      fullLineComments(text).map(({ hash, bodyEnd, body }) => [hash, bodyEnd, body]),
      [
        [1, 7, ' head'],
        [text.indexOf('# indented'), text.indexOf('# indented') + 10, ' indented'],
        [text.indexOf('#tab'), text.indexOf('#tab') + 4, 'tab'],
        [text.length - 1, text.length, ''],
      ],
    );
  });

  it('tells a comment that may name a path from a licence line holding only a URL and a version', () => {
    assert.equal(mayNamePath(' See http://www.apache.org/licenses/LICENSE-2.0'), false);
    assert.equal(mayNamePath(' Version 2.0 (the "License")'), false);
    assert.equal(mayNamePath(' Run scripts/deploy.sh first'), true);
    assert.equal(mayNamePath(' edit values.yaml'), true);
  });
});
