import { strict as assert } from 'node:assert';
import { canonicalObjects, diffObjects, digestObjects, formatObjectId, isEmptyDiff, mapStrings, objectId } from '../../../../src/core/verify/objects';

const deployment = (replicas: number, order: 'ab' | 'ba' = 'ab'): string =>
  order === 'ab'
    ? `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: ${replicas}\n`
    : `spec:\n  replicas: ${replicas}\nmetadata:\n  namespace: shop\n  name: web\nkind: Deployment\napiVersion: apps/v1\n`;
const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n';

describe('verify/objects', () => {
  it('canonicalizes key order and document order away', () => {
    const a = canonicalObjects(`${deployment(1)}---\n${service}`);
    const b = canonicalObjects(`${service}---\n${deployment(1, 'ba')}\n---\n`);
    assert.deepEqual(a, b);
    assert.equal(a.length, 2);
    assert.equal(digestObjects(a), digestObjects([...b].reverse()));
  });

  it('keeps duplicates: a render is a multiset', () => {
    assert.equal(canonicalObjects(`${service}---\n${service}`).length, 2);
    assert.notEqual(digestObjects(canonicalObjects(service)), digestObjects(canonicalObjects(`${service}---\n${service}`)));
  });

  it('throws on invalid YAML', () => {
    assert.throws(() => canonicalObjects('a: [unclosed\n'));
  });

  it('names objects by kind, namespace and name', () => {
    const [object] = canonicalObjects(service);
    assert.deepEqual(objectId(object), { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' });
    assert.equal(formatObjectId(objectId(object)), 'Service shop/web');
    assert.equal(formatObjectId({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'shop' }), 'Namespace shop');
  });

  it('reports added, removed and modified objects with the differing fields', () => {
    const before = canonicalObjects(`${deployment(1)}---\n${service}`);
    const after = canonicalObjects(`${deployment(3)}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n`);
    const diff = diffObjects(before, after);
    assert.deepEqual(diff.added.map(formatObjectId), ['ConfigMap extra']);
    assert.deepEqual(diff.removed.map(formatObjectId), ['Service shop/web']);
    assert.deepEqual(
      diff.modified.map((object) => [formatObjectId(object), object.fields]),
      [['Deployment shop/web', ['spec.replicas']]],
    );
    assert.equal(isEmptyDiff(diff), false);
    assert.equal(isEmptyDiff(diffObjects(before, [...before].reverse())), true);
  });

  it('maps every string value of an object, and no key', () => {
    const [object] = canonicalObjects('kind: ConfigMap\ndata:\n  a/b: a/b\n  list: [a/b, 3]\n');
    assert.equal(mapStrings(object, (text) => text.replace('a/b', 'c/d')), '{"data":{"a/b":"c/d","list":["c/d",3]},"kind":"ConfigMap"}');
  });
});
