import { strict as assert } from 'node:assert';
import { environmentEdits } from '../../../../src/core/phases/environment';

function renamed(text: string, from: string, to: string, references: [number, number][] = []): string {
  let result = text;
  for (const edit of [...environmentEdits(text, from, to, references)].reverse()) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

describe('phases/environment: renaming an environment in a copied overlay', () => {
  it('renames namespace, suffix, labels, literals and inline patches, by word, in both spellings', () => {
    const text =
      'namespace: shop-dev\nnameSuffix: "-dev"\nlabels:\n  - pairs:\n      environment: development\n' +
      'configMapGenerator:\n  - name: flags\n    literals:\n      - ENVIRONMENT=development\n      - DEVICE=tablet\n' +
      'patches:\n  - patch: |-\n      data:\n        ENVIRONMENT: development\n';
    assert.equal(
      renamed(text, 'dev', 'staging'),
      'namespace: shop-staging\nnameSuffix: "-staging"\nlabels:\n  - pairs:\n      environment: staging\n' +
        'configMapGenerator:\n  - name: flags\n    literals:\n      - ENVIRONMENT=staging\n      - DEVICE=tablet\n' +
        'patches:\n  - patch: |-\n      data:\n        ENVIRONMENT: staging\n',
    );
    assert.deepEqual(
      environmentEdits(text, 'dev', 'staging').map((edit) => edit.oldText),
      ['dev', 'dev', 'development', 'development', 'development'],
      'one edit per name, not per value',
    );
  });

  it('gives .local hosts the new name in front and renames dev. hosts', () => {
    const text = 'spec:\n  rules:\n    - host: shop.local\n    - host: dev.shop.example.com\n  cors: "http://localhost:5173, https://shop.local"\n';
    assert.equal(
      renamed(text, 'dev', 'staging'),
      'spec:\n  rules:\n    - host: staging.shop.local\n    - host: staging.shop.example.com\n  cors: "http://localhost:5173, https://staging.shop.local"\n',
    );
  });

  it('leaves keys, comments, image tags and references alone', () => {
    const text = '# dev overlay\ndev: true\nimages:\n  - name: web\n    newTag: dev\nresources:\n  - ../dev-shared\n';
    const reference = text.indexOf('../dev-shared');
    assert.equal(renamed(text, 'dev', 'staging', [[reference, reference + '../dev-shared'.length]]), text);
  });

  it('keeps quoting, comments and CRLF line endings byte for byte outside the edited values', () => {
    const text = "namespace: 'shop-prod' # the cluster's\r\nlabels:\r\n  - pairs: {environment: production}\r\n";
    assert.equal(renamed(text, 'prod', 'staging'), "namespace: 'shop-staging' # the cluster's\r\nlabels:\r\n  - pairs: {environment: staging}\r\n");
  });
});
