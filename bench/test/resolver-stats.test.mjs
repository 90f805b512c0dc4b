// bench/resolver-stats.mjs: percentiles, rates and the target, both sides of each edge.
import { describe, expect, it } from 'vitest';
import {
  countStatuses,
  firstNotFound,
  formatTable,
  judge,
  percentile,
  perSecond,
  round,
  summarize,
  TARGET_RATIO,
  VERIFIES_PER_RESOLUTION,
} from '../resolver-stats.mjs';

describe('percentile (nearest rank)', () => {
  const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
  it.each([
    [ten, 50, 5],
    [ten, 95, 10],
    [ten, 90, 9],
    [ten, 10, 1],
    [ten, 100, 10],
    [ten, 0.1, 1],
    [[42], 50, 42],
    [[42], 95, 42],
    [[3, 1], 50, 1],
    [[3, 1], 51, 3],
  ])('%j at p%s is %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it.each([
    [[], 50, /no values/],
    [[1], 0, /percentile 0 is not in/],
    [[1], 100.5, /percentile 100.5 is not in/],
    [[1], Number.NaN, /percentile NaN is not in/],
  ])('refuses %j at p%s', (values, p, message) => {
    expect(() => percentile(values, p)).toThrow(message);
  });
});

describe('summarize', () => {
  it('gives n, min, median, p95 and max of measured values', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(summarize(values)).toEqual({ n: 20, min: 1, median: 10, p95: 19, max: 20 });
  });
});

describe('perSecond', () => {
  it.each([
    [10_000, 5_000, 2_000],
    [1, 1, 1_000],
    [0, 10, 0],
  ])('%s events in %s ms is %s/s', (count, ms, expected) => {
    expect(perSecond(count, ms)).toBe(expected);
  });

  it.each([0, -1, Number.NaN])('refuses an elapsed time of %s ms', (ms) => {
    expect(() => perSecond(1, ms)).toThrow(/elapsed time .* is not positive/);
  });
});

describe('judge: resolutions/s against 0.70 × (verifies/s ÷ 3)', () => {
  it('uses the issue’s constants', () => {
    expect(VERIFIES_PER_RESOLUTION).toBe(3);
    expect(TARGET_RATIO).toBe(0.7);
  });

  it.each([
    // verifies/s 6000 → ceiling 2000/s → the target is 1400/s.
    [1400, 6000, 0.7, true],
    [1399, 6000, 0.6995, false],
    [2000, 6000, 1, true],
    [0, 6000, 0, false],
    [2100, 6000, 1.05, true],
  ])('%s/s with %s verifies/s: ratio %s, met %s', (rate, verifies, ratio, met) => {
    const verdict = judge(rate, verifies);
    expect(verdict.ceiling).toBe(2000);
    expect(verdict.ratio).toBeCloseTo(ratio, 10);
    expect(verdict.met).toBe(met);
  });
});

describe('result checks', () => {
  const found = (csi) => ({ csi, status: 'found' });
  it('counts statuses', () => {
    const results = [found('+1'), { csi: '+2', status: 'bogus' }, found('+3')];
    expect(countStatuses(results)).toEqual({ found: 2, bogus: 1 });
    expect(countStatuses([])).toEqual({});
  });

  it('finds the first result that is not found, holes included', () => {
    expect(firstNotFound([found('+1'), found('+2')])).toBeUndefined();
    const results = [found('+1'), { csi: '+2', status: 'no-mapping' }, { csi: '+3', status: 'bogus' }];
    expect(firstNotFound(results)).toEqual({ index: 1, result: results[1] });
    // biome-ignore lint/suspicious/noSparseArray: a missing result is what is tested
    expect(firstNotFound([found('+1'), , found('+3')])?.index).toBe(1);
  });
});

describe('formatTable', () => {
  it('pads text left-aligned and numbers right-aligned under a rule', () => {
    const text = formatTable([
      ['run', 'rate'],
      ['warm', 1234],
      ['cold-start', 5],
    ]);
    expect(text.split('\n')).toEqual([
      'run         rate',
      '----------  ----',
      'warm        1234',
      'cold-start     5',
    ]);
  });
});

describe('round', () => {
  it.each([
    [1.2345, 2, 1.23],
    [1.235, 0, 1],
    [1499.5, 0, 1500],
    [0.0456, 3, 0.046],
  ])('round(%s, %s) is %s', (value, digits, expected) => {
    expect(round(value, digits)).toBe(expected);
  });
});
