/**
 * A Resolver that answers from fixed results (by normalized CSI), records what it was
 * asked, and can finish out of order — for in-process runs of `mimi resolve`.
 */
import type { ClientConfig, ResolveResult, Resolver } from '@mimi/stub-resolver';

export interface FakeResolver extends Resolver {
  readonly config: ClientConfig;
  readonly asked: string[];
  closed: boolean;
}

export function fakeResolver(
  config: ClientConfig,
  results: readonly ResolveResult[],
  options: { reverse?: boolean; trace?: ResolveResult['trace'] } = {},
): FakeResolver {
  const byCsi = new Map(results.map((result) => [result.csi, result]));
  const answer = (csi: string): ResolveResult => {
    const result = byCsi.get(csi);
    if (result === undefined) throw new Error(`fake resolver has no result for ${csi}`);
    return result;
  };
  const fake: FakeResolver = {
    config,
    asked: [],
    closed: false,
    apex: 'mimi.arpa.',
    async resolve(csi, opts = {}) {
      fake.asked.push(csi);
      const result = answer(csi);
      return opts.trace === true ? { ...result, trace: options.trace ?? [] } : result;
    },
    async resolveMany(csis, opts = {}) {
      fake.asked.push(...csis);
      const out = csis.map(answer);
      // Report completion in reverse when asked, to prove the CLI restores input order.
      const order = csis.map((_, i) => i);
      if (options.reverse === true) order.reverse();
      for (const [done, index] of order.entries()) {
        opts.onProgress?.(done + 1, csis.length, out[index]!, index);
      }
      return out;
    },
    async findDelegation() {
      throw new Error('not used');
    },
    async fetchCsipKeys() {
      return [];
    },
    async close() {
      fake.closed = true;
    },
  };
  return fake;
}
