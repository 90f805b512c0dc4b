import { describe, expect, it } from 'vitest';
import {
  checkTargets,
  contentionWarnings,
  formatFailures,
  formatSamples,
  formatTable,
  formatTargets,
  summarize,
} from '../lib/report.mjs';

const result = (server, transport, qps, extra = {}) => ({
  server,
  transport,
  stats: {
    tool: transport === 'doh' ? 'h2load' : 'dnsperf',
    qps,
    completed: qps * 10,
    lost: 0,
    avgLatency: 0.002,
    latency: { p99: 0.01 },
    serverCpu: 0.985,
    clientCpu: 0.5,
    ...extra,
  },
  warmup: { qps: qps / 2 },
});

describe('report', () => {
  const results = [
    result('ours', 'udp', 30_000),
    result('ours', 'doh', 9_000),
    result('bind', 'udp', 28_000),
    result('bind', 'doh', 10_000),
    result('nsd', 'udp', 65_000),
    { server: 'knot', transport: 'udp', error: 'knot (udp) did not answer within 60 s' },
  ];

  it('puts every measured run beside BIND and NSD on the same transport', () => {
    const rows = summarize(results);
    expect(rows.map((r) => [r.server, r.transport])).toEqual([
      ['ours', 'udp'],
      ['ours', 'doh'],
      ['bind', 'udp'],
      ['bind', 'doh'],
      ['nsd', 'udp'],
    ]);
    expect(rows[0]).toMatchObject({ vsBind: 30_000 / 28_000, vsNsd: 30_000 / 65_000, avgMs: 2, p99Ms: 10 });
    expect(rows[1]).toMatchObject({ vsBind: 0.9, vsNsd: undefined, vsFloor: undefined });
  });

  it('puts DoH runs beside the node:http2 floor when it ran', () => {
    const rows = summarize([...results, result('floor', 'doh', 12_000)]);
    expect(rows.find((r) => r.server === 'ours' && r.transport === 'doh')).toMatchObject({ vsFloor: 0.75 });
    expect(rows.find((r) => r.server === 'ours' && r.transport === 'udp')?.vsFloor).toBeUndefined();
    expect(formatTable(rows).split('\n')[2]).toMatch(/–$/);
    expect(formatTable(rows).split('\n')[3]).toMatch(/0\.75×$/);
  });

  it('checks the three targets, met and missed', () => {
    const checks = checkTargets(summarize(results));
    expect(checks.map((c) => [c.transport, c.versus, c.met])).toEqual([
      ['udp', 'bind', true],
      ['udp', 'nsd', false],
      ['doh', 'bind', false],
    ]);
    expect(formatTargets(checks)).toBe(
      'Do53/UDP ≥ 1.0× BIND: 1.07× met\nDo53/UDP ≥ 0.5× NSD: 0.46× missed\nDoH ≥ 1.0× BIND: 0.90× missed',
    );
  });

  it('leaves targets unmeasured without our server', () => {
    const checks = checkTargets(summarize(results.filter((r) => r.server !== 'ours')));
    expect(checks.every((c) => c.ratio === undefined && c.met === undefined)).toBe(true);
    expect(formatTargets(checks).split('\n')[0]).toBe('Do53/UDP ≥ 1.0× BIND: not measured');
  });

  it('formats an aligned table', () => {
    const lines = formatTable(summarize(results), { bind: 'BIND 9' }).split('\n');
    expect(lines[0]).toMatch(
      /^server\s+transport\s+client\s+qps\s+avg ms\s+p99 ms\s+lost\s+srv cpu\s+cli cpu\s+1st pass\s+vs BIND\s+vs NSD\s+vs floor$/,
    );
    expect(lines).toHaveLength(2 + 5);
    expect(lines[4]).toMatch(
      /^BIND 9\s+Do53\/UDP\s+dnsperf\s+28,000\s+2\.000\s+10\.000\s+0\s+99 %\s+50 %\s+14,000\s+1\.00×\s+0\.43×\s+–$/,
    );
    expect(lines[3]).toMatch(/^ours\s+DoH\s+h2load\s+9,000 /);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('names failed servers', () => {
    expect(formatFailures(results, { knot: 'Knot DNS' })).toEqual([
      'Knot DNS: failed: knot (udp) did not answer within 60 s',
    ]);
  });

  it('shows each server’s answer to each kind of query', () => {
    const sample = (label, rcode, bytes, signed) => ({ label, rcode, bytes, signed });
    const text = formatSamples([
      {
        server: 'nsd',
        transport: 'udp',
        samples: [sample('MSPMAP', 0, 583, true), sample('missing', 3, 590, true)],
      },
      {
        server: 'ours',
        transport: 'doh',
        samples: [sample('MSPMAP', 0, 600, true), sample('missing', 0, 420, false)],
      },
      { server: 'knot', transport: 'udp', error: 'no' },
    ]);
    expect(text.split('\n')).toEqual([
      '  columns: MSPMAP | missing',
      '  nsd Do53/UDP  NOERROR/583*   NXDOMAIN/590*',
      '  ours DoH      NOERROR/600*   NOERROR/420',
    ]);
  });

  it('warns about rows measured while other processes held the cpus', () => {
    const rows = summarize([
      result('nsd', 'udp', 26_000, { serverCpu: 0.26, clientCpu: 0.2 }),
      result('knot', 'udp', 106_000, { serverCpu: 0.8, clientCpu: 0.81 }),
      result('bind', 'udp', 60_000, { serverCpu: 0.79, clientCpu: 0.5 }),
    ]);
    expect(contentionWarnings(rows, { nsd: 'NSD' })).toEqual([
      'warning: NSD Do53/UDP: server at 26 % and load tool at 20 % of their cores: other processes took the cpus, do not trust this row',
      'warning: bind Do53/UDP: server at 79 % and load tool at 50 % of their cores: other processes took the cpus, do not trust this row',
    ]);
  });
});
