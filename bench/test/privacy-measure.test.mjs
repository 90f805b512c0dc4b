// bench/privacy-measure.mjs with a stand-in resolver: the new-CSI measurement and the
// per-side CPU meter.
import { describe, expect, it } from 'vitest';
import { measureFresh, startSidesMeter } from '../privacy-measure.mjs';

function fakeResolver(statuses = {}) {
  const resolver = {
    resolved: [],
    closed: false,
    async resolve(csi) {
      resolver.resolved.push(csi);
      return { csi, status: statuses[csi] ?? 'found', reason: statuses[csi] ? 'unreachable: x' : null };
    },
    async close() {
      resolver.closed = true;
    },
  };
  return resolver;
}

describe('measureFresh', () => {
  it('resolves the primer first, untimed, then times each CSI once on the same resolver', async () => {
    const resolver = fakeResolver();
    const { samples, cpu } = await measureFresh(() => resolver, '+1', ['+2', '+3'], { ghost: 2 ** 22 + 1 });
    expect(resolver.resolved).toEqual(['+1', '+2', '+3']);
    expect(samples).toHaveLength(2);
    expect(samples.every((ms) => ms >= 0)).toBe(true);
    expect(cpu.client).toBeGreaterThanOrEqual(0);
    expect(cpu.ghost).toBe(0);
    expect(resolver.closed).toBe(true);
  });

  it('fails on a result that is not found, naming it, and still closes the resolver', async () => {
    const resolver = fakeResolver({ '+3': 'unreachable' });
    await expect(measureFresh(() => resolver, '+1', ['+2', '+3'])).rejects.toMatchObject({
      code: 'not-found',
      message: 'fresh resolve: +3 resolved to unreachable (unreachable: x)',
    });
    expect(resolver.closed).toBe(true);
  });

  it('fails on a primer that is not found', async () => {
    await expect(measureFresh(() => fakeResolver({ '+1': 'bogus' }), '+1', ['+2'])).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('fresh primer: +1 resolved to bogus'),
    });
  });
});

describe('startSidesMeter', () => {
  it('measures this process as the client and every named pid (this one: at least the busy work)', () => {
    const meter = startSidesMeter({ self: process.pid });
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // busy: CPU time to measure
    }
    const used = meter.stop();
    expect(used.client).toBeGreaterThan(0.03);
    expect(used.self).toBeGreaterThanOrEqual(0);
    expect(Object.keys(used)).toEqual(['client', 'self']);
  });
});
