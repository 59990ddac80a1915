import { strict as assert } from 'node:assert';
import { defaultConcurrency, mapWithConcurrency } from '../../../../src/core/verify/pool';

describe('verify/pool', () => {
  it('never runs more than the limit at once and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([30, 5, 20, 1, 10], 2, async (delay) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running--;
      return delay * 2;
    });
    assert.deepEqual(results, [60, 10, 40, 2, 20]);
    assert.equal(peak, 2);
  });

  it('handles no items and uses at least one worker', async () => {
    assert.deepEqual(await mapWithConcurrency([], 4, async (x: number) => x), []);
    assert.deepEqual(await mapWithConcurrency([1, 2], 0, async (x) => x + 1), [2, 3]);
    assert.ok(defaultConcurrency() >= 1);
  });
});
