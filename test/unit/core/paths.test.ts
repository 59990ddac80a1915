import { strict as assert } from 'node:assert';
import { normalize } from '../../../src/core/paths';

describe('normalize', () => {
  /** The plain segment-by-segment reading of a path, which normalize's run-copying must agree with. */
  function normalizedBySegments(path: string): string {
    const kept: string[] = [];
    for (const segment of path.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..' && kept.length > 0 && kept[kept.length - 1] !== '..') kept.pop();
      else kept.push(segment);
    }
    return kept.join('/');
  }

  it('agrees with a segment-by-segment reading on normal and unusual paths', () => {
    const segments = ['', '.', '..', 'a', '.env', '..a', 'a..', '...', 'b.yaml'];
    const paths = [''];
    for (const first of segments) {
      for (const second of segments) {
        for (const third of segments) paths.push(`${first}/${second}/${third}`, `${first}/${second}`, first, `/${first}`);
      }
    }
    for (const path of paths) assert.equal(normalize(path), normalizedBySegments(path), JSON.stringify(path));
  });
});
