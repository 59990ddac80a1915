import { strict as assert } from 'node:assert';
import { mappedPath, MoveMap } from '../../../../src/core/moves/mapping';

describe('mappedPath and MoveMap', () => {
  const moves = [
    { from: 'apps', to: 'platform/apps' },
    { from: 'apps/web/secret.yaml', to: 'secrets/web.yaml' },
    { from: 'README.md', to: 'docs/README.md' },
  ];

  it('carries everything below a moved folder, lets the deepest move win and leaves the rest alone', () => {
    const map = new MoveMap(moves);
    const expected: [string, string][] = [
      ['apps', 'platform/apps'],
      ['apps/web/deploy.yaml', 'platform/apps/web/deploy.yaml'],
      ['apps/web/secret.yaml', 'secrets/web.yaml'],
      ['README.md', 'docs/README.md'],
      ['appsettings.json', 'appsettings.json'],
      ['', ''],
    ];
    for (const [path, after] of expected) {
      assert.equal(map.map(path), after, path);
      assert.equal(mappedPath(path, moves), after, path);
    }
    assert.equal(map.moves('apps/x'), true);
    assert.equal(map.moves('appsx'), false);
  });
});
