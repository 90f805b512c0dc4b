// bench/privacy-plan.mjs: which CSIs each (round, mode) measures, where they are
// published, the rotation of the modes and the roles of the processes.
import { describe, expect, it } from 'vitest';
import { MODES, planRun, ROLES, roundOrder, share } from '../privacy-plan.mjs';
import { benchCsi } from '../resolver-publish.mjs';

describe('roundOrder', () => {
  it.each([
    [0, ['direct', 'relay', 'relay-tokens']],
    [1, ['relay', 'relay-tokens', 'direct']],
    [2, ['relay-tokens', 'direct', 'relay']],
    [3, ['direct', 'relay', 'relay-tokens']],
  ])('round %i runs %j', (round, order) => {
    expect(roundOrder(round)).toEqual(order);
  });
});

describe('share', () => {
  it.each([
    [30, 2, [15, 15]],
    [31, 2, [16, 15]],
    [5, 3, [2, 2, 1]],
    [3, 3, [1, 1, 1]],
  ])('%i over %i rounds is %j, summing back', (total, rounds, parts) => {
    const got = Array.from({ length: rounds }, (_, round) => share(total, rounds, round));
    expect(got).toEqual(parts);
    expect(got.reduce((a, b) => a + b, 0)).toBe(total);
  });
});

describe('planRun', () => {
  const plan = planRun({ rounds: 2, csis: 4, cold: 3, fresh: 2, warm: 2 });

  it('has one run per round and mode, in the rotated order', () => {
    expect(plan.runs.map((run) => `${run.round}:${run.mode}`)).toEqual([
      '0:direct',
      '0:relay',
      '0:relay-tokens',
      '1:relay',
      '1:relay-tokens',
      '1:direct',
    ]);
  });

  it('gives every run CSIs of its own, none shared with another run or a primer', () => {
    const all = [plan.primers.tel, plan.primers.open];
    for (const run of plan.runs) all.push(...run.cold, ...run.fresh, ...run.warm, ...run.bulk);
    expect(new Set(all).size).toBe(all.length);
    expect(all[0]).toBe(benchCsi(0));
  });

  it('splits the per-mode totals over the rounds', () => {
    for (const mode of MODES) {
      const runs = plan.runs.filter((run) => run.mode === mode);
      expect(runs.map((run) => run.cold.length)).toEqual([2, 1]);
      expect(runs.reduce((sum, run) => sum + run.fresh.length, 0)).toBe(2);
      expect(runs.every((run) => run.bulk.length === 4)).toBe(true);
    }
  });

  it('publishes each run to the DP its mode asks, and each primer to its DP', () => {
    for (const run of plan.runs) {
      const dp = ROLES[run.mode].dp;
      const other = dp === 'tel' ? 'open' : 'tel';
      for (const csi of [...run.cold, ...run.bulk]) {
        expect(plan.publish[dp]).toContain(csi);
        expect(plan.publish[other]).not.toContain(csi);
      }
    }
    expect(plan.publish.tel[0]).toBe(plan.primers.tel);
    expect(plan.publish.open[0]).toBe(plan.primers.open);
  });
});

describe('ROLES', () => {
  it('direct passes no relay and no issuer; only relay-tokens reaches the token-checking DP', () => {
    expect(ROLES.direct).toEqual({ relay: null, dp: 'open', root: 'root', issuer: null });
    expect(ROLES.relay.relay).toBe('relay-open');
    expect(ROLES['relay-tokens']).toEqual({ relay: 'relay', dp: 'tel', root: 'root', issuer: 'issuer' });
  });
});
