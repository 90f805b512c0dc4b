// bench/resolver-measure.mjs with a stand-in resolver, and the Ed25519 yardstick: a run
// that resolves anything but `found` must fail loudly, naming the CSI and why.
import { describe, expect, it } from 'vitest';
import { expectFound, measureBulk, measureCold, measureWarm } from '../resolver-measure.mjs';
import { measureVerifyRate, yardstickSamples } from '../resolver-verify-rate.mjs';

/** A resolver answering from `statuses` (csi → status; default found), recording calls. */
function fakeResolvers(statuses = {}) {
  const made = [];
  const makeResolver = () => {
    const resolver = {
      resolved: [],
      closed: false,
      async resolve(csi) {
        resolver.resolved.push(csi);
        return { csi, status: statuses[csi] ?? 'found', reason: statuses[csi] ? 'bad-signature: x' : null };
      },
      async resolveMany(csis, { concurrency, onProgress }) {
        resolver.concurrency = concurrency;
        const results = [];
        for (const csi of csis) {
          results.push(await resolver.resolve(csi));
          onProgress?.(results.length, csis.length);
        }
        return results;
      },
      async close() {
        resolver.closed = true;
      },
    };
    made.push(resolver);
    return resolver;
  };
  return { made, makeResolver };
}

describe('expectFound', () => {
  it('passes found and names the CSI, status and reason otherwise', () => {
    expect(() => expectFound({ csi: '+1', status: 'found' }, 'x')).not.toThrow();
    expect(() =>
      expectFound({ csi: '+1', status: 'bogus', reason: 'bad-signature: y' }, 'cold resolve'),
    ).toThrow('cold resolve: +1 resolved to bogus (bad-signature: y)');
  });
});

describe('measureCold', () => {
  it('uses a fresh resolver per CSI and closes each', async () => {
    const { made, makeResolver } = fakeResolvers();
    const latencies = await measureCold(makeResolver, ['+1', '+2', '+3']);
    expect(latencies).toHaveLength(3);
    expect(made.map((r) => r.resolved)).toEqual([['+1'], ['+2'], ['+3']]);
    expect(made.every((r) => r.closed)).toBe(true);
  });

  it('fails on a result that is not found, still closing the resolver', async () => {
    const { made, makeResolver } = fakeResolvers({ '+2': 'unreachable' });
    await expect(measureCold(makeResolver, ['+1', '+2'])).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('+2 resolved to unreachable'),
    });
    expect(made[1].closed).toBe(true);
  });
});

describe('measureWarm', () => {
  it('resolves each CSI twice on one resolver and times the second', async () => {
    const { made, makeResolver } = fakeResolvers();
    const latencies = await measureWarm(makeResolver, ['+1', '+2']);
    expect(latencies).toHaveLength(2);
    expect(made).toHaveLength(1);
    expect(made[0].resolved).toEqual(['+1', '+1', '+2', '+2']);
    expect(made[0].closed).toBe(true);
  });
});

describe('measureBulk', () => {
  it('primes with another CSI, then resolves the set at the concurrency asked', async () => {
    const { made, makeResolver } = fakeResolvers();
    const progress = [];
    const run = await measureBulk(makeResolver, {
      primer: '+0',
      csis: ['+1', '+2', '+3'],
      concurrency: 64,
      serverPids: [],
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(made[0].resolved).toEqual(['+0', '+1', '+2', '+3']);
    expect(made[0].concurrency).toBe(64);
    expect(made[0].closed).toBe(true);
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
    expect(run).toMatchObject({ concurrency: 64, warmup: 0, count: 3, statuses: { found: 3 } });
    expect(run.perSecond).toBeGreaterThan(0);
    expect(run.profile).toBeUndefined();
  });

  it('resolves the warm-up set after the primer and before the timed set, which alone is counted', async () => {
    const { made, makeResolver } = fakeResolvers();
    const progress = [];
    const run = await measureBulk(makeResolver, {
      primer: '+0',
      warmup: ['+8', '+9'],
      csis: ['+1', '+2', '+3'],
      concurrency: 16,
      serverPids: [],
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(made[0].resolved).toEqual(['+0', '+8', '+9', '+1', '+2', '+3']);
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
    expect(run).toMatchObject({ warmup: 2, count: 3, statuses: { found: 3 } });
  });

  it('fails before timing when a warm-up CSI is not found', async () => {
    const { made, makeResolver } = fakeResolvers({ '+9': 'unreachable' });
    await expect(
      measureBulk(makeResolver, {
        primer: '+0',
        warmup: ['+8', '+9'],
        csis: ['+1'],
        concurrency: 4,
        serverPids: [],
      }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^warm-up at concurrency 4: .*first: \+9 unreachable/),
    });
    expect(made[0].resolved).toEqual(['+0', '+8', '+9']);
    expect(made[0].closed).toBe(true);
  });

  it('fails with the status counts and the first failure', async () => {
    const { makeResolver } = fakeResolvers({ '+2': 'no-mapping', '+3': 'bogus' });
    await expect(
      measureBulk(makeResolver, { primer: '+0', csis: ['+1', '+2', '+3'], concurrency: 2, serverPids: [] }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(
        /concurrency 2: .*"found":1,"no-mapping":1,"bogus":1.*first: \+2 no-mapping/,
      ),
      details: { statuses: { found: 1, 'no-mapping': 1, bogus: 1 } },
    });
  });

  it('fails before timing when the primer is not found', async () => {
    const { made, makeResolver } = fakeResolvers({ '+0': 'bogus' });
    await expect(
      measureBulk(makeResolver, { primer: '+0', csis: ['+1'], concurrency: 1, serverPids: [] }),
    ).rejects.toThrow('bulk primer: +0 resolved to bogus');
    expect(made[0].resolved).toEqual(['+0']);
  });
});

describe('the Ed25519 yardstick', () => {
  it('counts verifications of valid samples and their CPU time', () => {
    const rate = measureVerifyRate(0.01, yardstickSamples(4));
    expect(rate.perSecond).toBeGreaterThan(0);
    expect(rate.cpuMicrosPerVerify).toBeGreaterThan(0);
  });

  it('refuses to measure a sample that does not verify', () => {
    const samples = yardstickSamples(2);
    const bad = Buffer.from(samples[1].signature);
    bad[0] ^= 1;
    samples[1] = { ...samples[1], signature: bad };
    expect(() => measureVerifyRate(0.01, samples)).toThrow(
      expect.objectContaining({ code: 'yardstick-broken' }),
    );
  });
});
