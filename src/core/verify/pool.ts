import { availableParallelism } from 'node:os';

/** How many child processes to run at once by default: one per core. */
export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism());
}

/** Runs `task` over `items` with at most `limit` running at once; results keep the order of `items`. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
