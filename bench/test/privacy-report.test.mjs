// bench/privacy-report.mjs: pooling the runs of each mode, CPU per resolution by role,
// ratios to `direct`, and the table.
import { describe, expect, it } from 'vitest';
import {
  cpuPerResolution,
  formatSummary,
  roleSeconds,
  summarizeAll,
  summarizeMode,
} from '../privacy-report.mjs';

const CPU = { client: 2, root: 0.1, tel: 0.4, open: 0.3, relay: 0.5, 'relay-open': 0.6, issuer: 0.2 };

describe('roleSeconds', () => {
  it.each([
    ['direct', 'client', 2],
    ['direct', 'relay', null],
    ['direct', 'dp', 0.3],
    ['relay', 'relay', 0.6],
    ['relay', 'issuer', null],
    ['relay-tokens', 'relay', 0.5],
    ['relay-tokens', 'dp', 0.4],
    ['relay-tokens', 'issuer', 0.2],
  ])('%s %s → %s', (mode, role, seconds) => {
    expect(roleSeconds(CPU, mode, role)).toBe(seconds);
  });
});

describe('cpuPerResolution', () => {
  it('sums seconds over phases and divides by all their resolutions, in µs', () => {
    const out = cpuPerResolution(
      [
        { cpu: CPU, count: 1000 },
        { cpu: CPU, count: 1000 },
      ],
      'relay-tokens',
    );
    expect(out.client).toBeCloseTo(2000);
    expect(out.relay).toBeCloseTo(500);
    expect(out.dp).toBeCloseTo(400);
    expect(out.issuer).toBeCloseTo(200);
    expect(out.total).toBeCloseTo(2000 + 500 + 400 + 100 + 200);
  });

  it('is null for a role the mode does not have', () => {
    expect(cpuPerResolution([{ cpu: CPU, count: 10 }], 'direct')).toMatchObject({
      relay: null,
      issuer: null,
    });
  });
});

/** A run as measureRun returns it, with latencies `base` ms and a bulk rate. */
function run(mode, round, base, perSecond) {
  const samples = (k) => [base * k, base * k * 2];
  return {
    mode,
    round,
    cold: { samples: samples(10), cpu: CPU },
    fresh: { samples: samples(1), cpu: CPU },
    warm: { samples: [0.1, 0.2], cpu: CPU },
    bulk: { count: 1000, concurrency: 64, perSecond, sides: CPU, cpu: { clientSeconds: 1 } },
  };
}

const RUNS = [
  run('direct', 0, 2, 400),
  run('relay', 0, 4, 300),
  run('relay-tokens', 0, 6, 200),
  run('relay', 1, 4, 320),
  run('relay-tokens', 1, 6, 220),
  run('direct', 1, 2, 420),
];

describe('summarizeMode', () => {
  it('pools the samples of the mode over its rounds and keeps each round rate', () => {
    const summary = summarizeMode('relay', RUNS);
    expect(summary.rounds).toBe(2);
    expect(summary.fresh).toMatchObject({ n: 4, median: 4, max: 8 });
    expect(summary.bulk.perSecond).toEqual([300, 320]);
    expect(summary.bulk.medianPerSecond).toBe(300);
    expect(summary.bulk.bestPerSecond).toBe(320);
  });

  it('takes the bulk client CPU from the bulk measurement, the servers from the sides', () => {
    const summary = summarizeMode('relay', RUNS);
    expect(summary.bulk.cpuMicros.client).toBeCloseTo(1000);
    expect(summary.bulk.cpuMicros.relay).toBeCloseTo(600);
    expect(summary.freshCpuMicros.client).toBeCloseTo(1e6);
  });
});

describe('summarizeAll', () => {
  const summary = summarizeAll(RUNS);

  it('gives ratios to direct: 1 for direct itself', () => {
    expect(summary.ratios.direct).toEqual({
      coldMedian: 1,
      freshMedian: 1,
      warmMedian: 1,
      bulkRate: 1,
      bulkBestRate: 1,
      bulkClientCpu: 1,
      bulkTotalCpu: 1,
      freshClientCpu: 1,
    });
  });

  it('latency ratios are mode ÷ direct, rate ratios too', () => {
    expect(summary.ratios.relay.freshMedian).toBe(2);
    expect(summary.ratios['relay-tokens'].coldMedian).toBe(3);
    expect(summary.ratios['relay-tokens'].bulkRate).toBe(0.5);
  });

  it('formats a table with a column per mode and the ratios', () => {
    const table = formatSummary(summary);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/direct\s+relay\s+relay-tokens\s+relay \/ direct\s+relay-tokens \/ direct/);
    expect(table).toMatch(/new CSI median ms\s+2\s+4\s+6\s+×2\s+×3/);
    expect(table).toMatch(/bulk res\/s \(median\)\s+400\s+300\s+200\s+×0\.75\s+×0\.5/);
    expect(table).toMatch(/bulk relay CPU µs\/res\s+–\s+600\s+500/);
    expect(table).toMatch(/bulk res\/s \(best\)\s+420\s+320\s+220/);
    expect(table).not.toMatch(/new CSI dp/);
  });
});
