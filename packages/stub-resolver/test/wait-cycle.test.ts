/**
 * Regression: two concurrent resolutions whose zones depend on each other (zone A's only
 * NS host lies in zone B and B's in A, no glue — RFC 1034 §4.2.2) joined each other's
 * coalesced work and waited forever. Alone, a resolution meets its own key and fails
 * `unreachable: cycle`; concurrently they must fail the same way, not hang.
 */
import { dsLine } from '@mimi/dnssec';
import { describe, expect, it } from 'vitest';
import { InFlight } from '../src/cache/in-flight.js';
import { WaitGraph } from '../src/cache/wait-graph.js';
import { reasonCode } from '../src/index.js';
import { shared, type WalkContext } from '../src/walk-context.js';
import { buildNetwork, zoneKeyOf } from './helpers/network.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 2));

/** Settle within `ms`, or say it hung. */
function within<T>(ms: number, promise: Promise<T>): Promise<T | 'hung'> {
  return Promise.race([promise, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms))]);
}

describe('WaitGraph', () => {
  it('finds direct and transitive waits, and forgets ended ones', () => {
    const graph = new WaitGraph();
    const ab = graph.wait('a', 'b');
    const bc = graph.wait('b', 'c');
    expect(graph.reaches('a', 'c')).toBe(true);
    expect(graph.reaches('c', 'a')).toBe(false);
    expect(graph.reaches('a', 'a')).toBe(true);
    bc();
    bc(); // ending twice changes nothing
    expect(graph.reaches('a', 'c')).toBe(false);
    expect(graph.reaches('a', 'b')).toBe(true);
    ab();
    expect(graph.size).toBe(0);
  });

  it('counts two waits on one edge separately', () => {
    const graph = new WaitGraph();
    const first = graph.wait('a', 'b');
    const second = graph.wait('a', 'b');
    first();
    expect(graph.reaches('a', 'b')).toBe(true);
    second();
    expect(graph.reaches('a', 'b')).toBe(false);
  });
});

describe('shared work that waits on itself through another resolution', () => {
  it('two flights that need each other fail with cycle instead of hanging', async () => {
    const flights = new InFlight<string>();
    const waits = new WaitGraph();
    const zone = (name: string, other: string, context: WalkContext): Promise<string> =>
      shared(flights, `zone:${name}`, context, async (inner) => {
        await tick();
        await zone(other, name, inner);
        return name;
      });
    const top: WalkContext = { chain: [], waits };
    const settled = await within(1000, Promise.allSettled([zone('a', 'b', top), zone('b', 'a', top)]));
    expect(settled).not.toBe('hung');
    const outcomes = settled as PromiseSettledResult<string>[];
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        code: 'unreachable',
        details: { reasonCode: 'cycle' },
      });
    }
    expect(waits.size).toBe(0);
    expect(flights.size).toBe(0);
  });

  it('still coalesces work that does not close a cycle', async () => {
    const flights = new InFlight<string>();
    const waits = new WaitGraph();
    let runs = 0;
    const leaf = (context: WalkContext) =>
      shared(flights, 'zone:leaf', context, async () => {
        runs++;
        await tick();
        return 'leaf';
      });
    const branch = (name: string, context: WalkContext) =>
      shared(flights, `lookup:${name}`, context, (inner) => leaf(inner));
    const top: WalkContext = { chain: [], waits };
    expect(await Promise.all([branch('x', top), branch('y', top)])).toEqual(['leaf', 'leaf']);
    expect(runs).toBe(1);
  });
});

describe('resolver: zones whose servers live in each other', () => {
  it('concurrent resolutions into both zones end unreachable (cycle), not hung', async () => {
    const child1 = '1.4.4.e164.mimi.arpa.';
    const child2 = '2.4.4.e164.mimi.arpa.';
    const network = await buildNetwork({
      telOverlay: [
        `${child1} 3600 IN NS ns.${child2}`,
        dsLine(zoneKeyOf(child1), 3600),
        `${child2} 3600 IN NS ns.${child1}`,
        dsLine(zoneKeyOf(child2), 3600),
      ],
    });
    network.transport.delay = tick;
    const resolver = network.resolver({ timeoutMs: 500 });
    const results = await within(
      4000,
      Promise.all([resolver.resolve('+441234567890'), resolver.resolve('+442034567890')]),
    );
    expect(results).not.toBe('hung');
    for (const result of results as Awaited<ReturnType<typeof resolver.resolve>>[]) {
      expect(result.status).toBe('unreachable');
      expect(reasonCode(result)).toBe('cycle');
      expect(result.mappings).toEqual([]);
    }
  });
});
