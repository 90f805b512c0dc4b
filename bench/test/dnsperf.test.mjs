import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dnsperfArgs,
  latencyPercentiles,
  parseDnsperfStatistics,
  percentile,
  verboseLatency,
} from '../lib/dnsperf.mjs';

// Tails of real dnsperf 2.10.0 runs of this harness (against BIND 9.18).
const UDP_OUTPUT = `> NOERROR binary input 0.005316
[Status] Testing complete (time limit)

Statistics:

  Queries sent:         53424
  Queries completed:    53424 (100.00%)
  Queries lost:         0 (0.00%)

  Response codes:       NOERROR 48502 (90.79%), NXDOMAIN 4922 (9.21%)
  Average packet size:  request 67, response 495
  Run time (s):         3.001783
  Queries per second:   17797.422399

  Average Latency (s):  0.005346 (min 0.000050, max 0.173701)
  Latency StdDev (s):   0.012561

`;
const DOH_OUTPUT = `Statistics:

  Queries sent:         28010
  Queries completed:    28007 (99.99%)
  Queries lost:         3 (0.01%)

  Response codes:       NOERROR 25436 (90.81%), NXDOMAIN 2571 (9.19%)
  Average packet size:  request 67, response 495
  Run time (s):         3.002910
  Queries per second:   9327.618876

  Average Latency (s):  0.009827 (min 0.000253, max 0.170022)
  Latency StdDev (s):   0.015673

Connection Statistics:

  Reconnections:        0

  Average Latency (s):  0.060244 (min 0.043800, max 0.068293)
  Latency StdDev (s):   0.010456

DNS-over-HTTPS statistics:

  HTTP/2 return codes:  200: 28010
`;

describe('dnsperf command line', () => {
  const base = {
    port: 5353,
    queryFile: '/q.bin',
    durationSeconds: 10,
    clients: 10,
    outstanding: 100,
    threads: 1,
  };

  it('runs udp from the binary file, bounded in time', () => {
    expect(dnsperfArgs({ ...base, transport: 'udp' })).toEqual([
      '-s',
      '127.0.0.1',
      '-p',
      '5353',
      '-B',
      '-d',
      '/q.bin',
      '-l',
      '10',
      '-c',
      '10',
      '-q',
      '100',
      '-T',
      '1',
    ]);
  });

  it('adds the pass bound, doh mode and -v when asked', () => {
    const args = dnsperfArgs({
      ...base,
      transport: 'doh',
      passes: 1,
      dohPath: '/dns-query',
      dohMethod: 'GET',
      verbose: true,
    });
    expect(args.slice(15)).toEqual([
      '-n',
      '1',
      '-m',
      'doh',
      '-O',
      'doh-uri=https://127.0.0.1:5353/dns-query',
      '-O',
      'doh-method=GET',
      '-v',
    ]);
  });

  it('refuses an unknown transport', () => {
    expect(() => dnsperfArgs({ ...base, transport: 'dot' })).toThrow(
      expect.objectContaining({ code: 'bad-transport', message: "transport 'dot' is not udp or doh" }),
    );
  });
});

describe('dnsperf output', () => {
  it('reads the udp statistics', () => {
    expect(parseDnsperfStatistics(UDP_OUTPUT)).toEqual({
      sent: 53424,
      completed: 53424,
      lost: 0,
      runSeconds: 3.001783,
      qps: 17797.422399,
      avgLatency: 0.005346,
      minLatency: 0.00005,
      maxLatency: 0.173701,
      stddevLatency: 0.012561,
      rcodes: { NOERROR: 48502, NXDOMAIN: 4922 },
      packetSize: { request: 67, response: 495 },
    });
  });

  it('keeps the connection block of a doh run apart from the query latencies', () => {
    const stats = parseDnsperfStatistics(DOH_OUTPUT);
    expect(stats).toMatchObject({
      completed: 28007,
      lost: 3,
      qps: 9327.618876,
      avgLatency: 0.009827,
      maxLatency: 0.170022,
    });
    expect(stats.connections).toEqual({ reconnections: 0, avgLatency: 0.060244 });
  });

  it('names the error dnsperf stopped on, with the cause when known', () => {
    const text =
      '[Status] Sending queries\nError: _http2_frame_recv_cb: frame received when already having a dns msg\n';
    expect(() => parseDnsperfStatistics(text)).toThrow(
      expect.objectContaining({
        code: 'dnsperf-failed',
        message: expect.stringMatching(
          /^dnsperf stopped: _http2_frame_recv_cb: frame received when already having a dns msg \(dnsperf reads one DNS message per TLS record .* use --doh-client h2load\)$/,
        ),
      }),
    );
    expect(() => parseDnsperfStatistics('Error: socket 3 not ready\n')).toThrow(
      expect.objectContaining({ code: 'dnsperf-failed', message: 'dnsperf stopped: socket 3 not ready' }),
    );
  });

  it.each([
    ['no statistics', 'dnsperf output has no statistics block'],
    ['Statistics:\n\n  Queries sent: 5\n', "dnsperf statistics lack 'completed'"],
  ])('refuses output without what it needs (%#)', (text, message) => {
    expect(() => parseDnsperfStatistics(text)).toThrow(
      expect.objectContaining({ code: 'dnsperf-output', message }),
    );
  });

  it.each([
    ['> NOERROR binary input 0.005316', 0.005316],
    ['> NXDOMAIN 5.2.4.4.e164.mimi.arpa. TYPE65280 0.000201', 0.000201],
    ['> T binary input', undefined],
    ['[Status] Testing complete (time limit)', undefined],
    ['  Queries sent:         53424', undefined],
  ])('reads the latency of %j', (line, latency) => {
    expect(verboseLatency(line)).toBe(latency);
  });

  it.each([
    [50, 5],
    [99, 10],
    [100, 10],
    [1, 1],
    [0.1, 1],
  ])('takes the nearest-rank p%s of 1..10', (p, value) => {
    expect(
      percentile(
        Float64Array.from({ length: 10 }, (_, i) => i + 1),
        p,
      ),
    ).toBe(value);
  });

  it('has no percentile of nothing', () => {
    expect(percentile(new Float64Array(0), 99)).toBeUndefined();
  });

  it('computes percentiles from a -v log, skipping other lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-dnsperf-'));
    try {
      const lines = Array.from(
        { length: 1000 },
        (_, i) => `> NOERROR binary input ${((1000 - i) / 1e6).toFixed(6)}`,
      );
      const file = join(dir, 'run.log');
      await writeFile(file, `[Status] Started\n${lines.join('\n')}\n> T binary input\n${UDP_OUTPUT}`);
      // 1000 lines of 1..1000 µs, plus the one at the head of UDP_OUTPUT (5316 µs).
      expect(await latencyPercentiles(file)).toEqual({
        samples: 1001,
        p50: 0.000501,
        p99: 0.000991,
        p999: 0.001,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
