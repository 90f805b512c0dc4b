/** `resolveMany` (`mimi resolve --file`): bounded concurrency, input order, progress, inputs checked first. */
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../src/resolve-many.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork } from './helpers/network.js';

describe('resolveMany', () => {
  it('resolves every CSI in input order and reports progress', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    const progress: [number, number, string][] = [];
    const csis = [CSI.ukFound, CSI.noDp, CSI.alice, CSI.ukOptedOut, CSI.ukMissing, CSI.usFound];
    const results = await network.resolver().resolveMany(csis, {
      concurrency: 3,
      onProgress: (done, total, result) => progress.push([done, total, result.csi]),
    });
    expect(results.map((r) => r.status)).toEqual([
      'found',
      'no-mapping',
      'found',
      'opted-out',
      'no-mapping',
      'found',
    ]);
    expect(progress.map(([done, total]) => [done, total])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, 6]));
    expect(new Set(progress.map(([, , csi]) => csi))).toEqual(new Set(results.map((r) => r.csi)));
  });

  it('one bad CSI throws before any lookup, naming its position', async () => {
    const network = await buildNetwork();
    await expect(
      network.resolver().resolveMany([CSI.ukFound, 'not a number', CSI.alice]),
    ).rejects.toMatchObject({
      code: 'csi-phone-format',
      details: expect.objectContaining({ index: 1 }),
    });
    expect(network.transport.requests).toEqual([]);
  });
});

describe('mapBounded', () => {
  it('never runs more than `concurrency` at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded(
      Array.from({ length: 20 }, (_, i) => i),
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        return i * 2;
      },
      { concurrency: 4 },
    );
    expect(peak).toBe(4);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it.each([0, -1, 1.5])('concurrency %s is refused', async (concurrency) => {
    await expect(mapBounded([1], async (x) => x, { concurrency })).rejects.toMatchObject({
      code: 'bad-option',
    });
  });

  it('an empty list gives an empty result', async () => {
    expect(await mapBounded([], async (x: number) => x)).toEqual([]);
  });
});
