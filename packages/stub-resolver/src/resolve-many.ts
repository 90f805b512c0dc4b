/**
 * Bulk resolution with bounded concurrency (`mimi resolve --file`): at most
 * `concurrency` CSIs in flight, results in input order, progress after each one.
 * Shared zones are walked once thanks to the caches and in-flight coalescing, so a
 * contact list costs little more than its distinct CSIs' final queries.
 */
import { DEFAULT_CONCURRENCY } from './constants.js';
import { ResolverError, throwIfAborted } from './errors.js';

export interface BoundedOptions<R> {
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Called after each item settles: how many are done, of how many, and its result. */
  readonly onProgress?: (done: number, total: number, result: R, index: number) => void;
}

/** Run `work` over `items`, at most `concurrency` at once; the first failure rejects. */
export async function mapBounded<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  options: BoundedOptions<R> = {},
): Promise<R[]> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ResolverError('bad-option', `concurrency must be a positive integer, got ${concurrency}`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const runner = async (): Promise<void> => {
    while (!failed && next < items.length) {
      throwIfAborted(options.signal);
      const index = next++;
      try {
        const result = await work(items[index]!, index);
        results[index] = result;
        done++;
        options.onProgress?.(done, items.length, result, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, runner));
  return results;
}
