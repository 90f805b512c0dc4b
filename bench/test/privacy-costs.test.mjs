// bench/privacy-costs.mjs: the per-operation timer, and each cost measurement running the
// real code (a handful of operations, so the test stays quick).
import { describe, expect, it } from 'vitest';
import { hpkeCosts, perOp, tokenCosts } from '../privacy-costs.mjs';

describe('perOp', () => {
  it('calls fn warm + n times with the index, and reports per-call CPU and wall µs over n', async () => {
    const seen = [];
    const op = await perOp(4, (i) => seen.push(i), 2);
    expect(seen).toEqual([0, 1, 0, 1, 2, 3]);
    expect(op.n).toBe(4);
    expect(op.cpuMicros).toBeGreaterThanOrEqual(0);
    expect(op.wallMicros).toBeGreaterThan(0);
  });
});

describe('tokenCosts', () => {
  it('blinds, signs, finalizes and verifies n tokens (every one accepted) and times the library', async () => {
    const costs = await tokenCosts(6, 1);
    expect(costs.clientBlind.n).toBe(6);
    expect(costs.issuerSign.n).toBe(6);
    expect(costs.clientFinalize.n).toBe(6);
    // The warm-up tokens are verified too: 5 untimed, the rest timed.
    expect(costs.dpVerify).toMatchObject({ n: 6, accepted: 11 });
    expect(costs.clientPerToken.cpuMicros).toBeCloseTo(
      costs.clientBlind.cpuMicros + costs.clientFinalize.cpuMicros,
    );
    expect(costs.libraryClientPerToken.n).toBe(1);
  });
});

describe('hpkeCosts', () => {
  it('measures the four HPKE steps of one ODoH exchange', async () => {
    const costs = await hpkeCosts(3);
    expect(Object.keys(costs)).toEqual(['clientSeal', 'targetOpen', 'targetSeal', 'clientOpen']);
    for (const op of Object.values(costs)) expect(op.n).toBe(3);
  });
});
