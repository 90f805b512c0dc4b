import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  dohUriFile,
  h2loadArgs,
  h2loadDuration,
  h2loadPercentiles,
  parseH2loadOutput,
} from '../lib/h2load.mjs';

// The summary of a real h2load 1.52 run of this harness.
const OUTPUT = `Application protocol: h2
finished in 7.00s, 16166.00 req/s, 7.74MB/s
requests: 80830 total, 80830 started, 80830 done, 80790 succeeded, 30 failed, 10 errored, 0 timeout
status codes: 80790 2xx, 0 3xx, 30 4xx, 0 5xx
traffic: 38.70MB (40580337) total, 933.77KB (956176) headers (space savings 91.57%), 42.29MB (44344547) data
                     min         max         mean         sd        +/- sd
time for request:      908us     27.61ms      6.09ms      2.40ms    83.13%
time for connect:        0us         0us         0us         0us     0.00%
`;

describe('h2load', () => {
  it('writes RFC 8484 GET URIs with the query, id 0, base64url unpadded', () => {
    const question = { name: '0.0.0.0.0.0.0.0.7.7.4.4.e164.mimi.arpa.', type: RRType.MSPMAP };
    const lines = dohUriFile([question, { ...question, type: RRType.NAPTR }], 8443).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const [base, encoded] = lines[0].split('?dns=');
    expect(base).toBe('https://127.0.0.1:8443/dns-query');
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const message = decodeMessage(Buffer.from(encoded, 'base64url'));
    expect(message.id).toBe(0);
    expect(message.questions[0]).toEqual({ ...question, class: 1 });
    expect(message.edns).toMatchObject({ udpPayloadSize: 1232, do: true });
  });

  it.each([
    [{ durationSeconds: 10 }, ['-D', '10', '--log-file=/r.log']],
    [{ requests: 5000 }, ['-n', '5000', '--log-file=/r.log']],
  ])('bounds a run by %j', (bound, tail) => {
    expect(h2loadArgs({ uriFile: '/u.txt', clients: 10, streams: 100, logFile: '/r.log', ...bound })).toEqual(
      ['-i', '/u.txt', '-c', '10', '-m', '100', '-t', '1', '-H', 'accept: application/dns-message', ...tail],
    );
  });

  it('reads the summary', () => {
    expect(parseH2loadOutput(OUTPUT)).toEqual({
      sent: 80830,
      completed: 80790,
      lost: 40,
      runSeconds: 7,
      qps: 16166,
      minLatency: 0.000908,
      maxLatency: 0.02761,
      avgLatency: 0.00609,
      stddevLatency: 0.0024,
      httpStatus: { '2xx': 80790, '3xx': 0, '4xx': 30, '5xx': 0 },
    });
  });

  it('reads a run shorter than a second', () => {
    const short = OUTPUT.replace('finished in 7.00s', 'finished in 8.12ms');
    expect(parseH2loadOutput(short).runSeconds).toBeCloseTo(0.00812, 12);
  });

  it('refuses output without a summary', () => {
    expect(() => parseH2loadOutput('connect to 127.0.0.1 failed')).toThrow(
      expect.objectContaining({ code: 'h2load-output', message: 'h2load output has no summary' }),
    );
  });

  it.each([
    ['908us', 0.000908],
    ['27.61ms', 0.02761],
    ['1.5s', 1.5],
  ])('reads duration %s', (text, seconds) => {
    expect(h2loadDuration(text)).toBeCloseTo(seconds, 12);
  });

  it('refuses a duration without a unit', () => {
    expect(() => h2loadDuration('12')).toThrow(expect.objectContaining({ code: 'h2load-output' }));
  });

  it('takes percentiles of the answered requests only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-h2load-'));
    try {
      const file = join(dir, 'requests.log');
      const lines = Array.from({ length: 100 }, (_, i) => `17957967227770${i}\t200\t${(i + 1) * 10}`);
      await writeFile(file, `${lines.join('\n')}\n1795796722777999\t0\t99999999\n1795796722778000\t503\t5\n`);
      expect(await h2loadPercentiles(file)).toEqual({ samples: 100, p50: 0.0005, p99: 0.00099, p999: 0.001 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
