// Integration: each peer server (NSD, BIND 9, Knot) configured by its entry, checked
// by its own config checker, then run through one whole (tiny) benchmark turn on
// loopback. Skipped where the server is not installed.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCollect } from '../lib/process.mjs';
import { runServers } from '../lib/run-servers.mjs';
import { bind } from '../lib/servers/bind.mjs';
import { knot } from '../lib/servers/knot.mjs';
import { nsd } from '../lib/servers/nsd.mjs';
import { installed, tinyPlan } from './tiny-plan.mjs';

/** Each peer with the tool that checks its configuration. */
const PEERS = [
  { server: nsd, binary: 'nsd', check: (conf) => ['nsd-checkconf', [conf]] },
  { server: bind, binary: 'named', check: (conf) => ['named-checkconf', ['-z', conf]] },
  { server: knot, binary: 'knotd', check: (conf) => ['knotc', ['-c', conf, 'conf-check']] },
];

describe.each(PEERS)('peer $binary', ({ server, binary, check }) => {
  let root;
  let plan;

  beforeAll(async () => {
    if (!(await installed(binary))) return;
    root = await mkdtemp(join(tmpdir(), `bench-${server.id}-`));
    plan = await tinyPlan(root);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('writes a configuration its own checker accepts', async ({ skip }) => {
    if (!plan) skip();
    const dir = join(root, 'check');
    await mkdir(dir, { recursive: true });
    const { args } = await server.prepare({ ...plan.serverContext, dir, ports: { udp: 20053, doh: 20443 } });
    const conf = args[args.indexOf('-c') + 1];
    const [command, checkArgs] = check(conf);
    const result = await runCollect(command, checkArgs);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/error/i);
    expect(result.code).toBe(0);
  });

  it('answers the mix with signed data, runs dnsperf, and stops', async ({ skip }) => {
    if (!plan) skip();
    const lines = [];
    const results = await runServers([server], plan, (line) => lines.push(line));
    expect(results.map((r) => r.transport)).toEqual(server.transports);
    for (const result of results) {
      expect(result.error).toBeUndefined();
      // positive MSPMAP, positive NAPTR, missing name (NXDOMAIN + NSEC proof), NODATA
      expect(result.samples.map((s) => [s.rcode, s.answers > 0, s.signed, s.aa])).toEqual([
        [0, true, true, true],
        [0, true, true, true],
        [3, false, true, true],
        [0, false, true, true],
      ]);
      expect(result.stats.completed).toBeGreaterThan(0);
      expect(result.stats.latency.samples).toBe(result.stats.completed);
      expect(result.stats.serverCpu).toBeGreaterThan(0);
      expect(result.stats.clientCpu).toBeGreaterThan(0);
      if (result.stats.tool === 'dnsperf') {
        expect(result.stats.rcodes.NXDOMAIN).toBeGreaterThan(0);
        expect(result.stats.packetSize.request).toBe(67);
      } else {
        expect(result.stats.httpStatus['2xx']).toBe(result.stats.completed);
      }
      expect(result.warmup.completed).toBeGreaterThan(0);
      expect(result.runs).toHaveLength(2);
      expect(result.runs).toContain(result.stats);
    }
    expect(lines.at(-1)).toMatch(new RegExp(`^${server.id}: stopped`));
    // pgrep never lists itself: any match is a server left running from this directory.
    const left = await runCollect('pgrep', ['-f', '--', root]);
    expect(left.stdout.trim()).toBe('');
    expect(left.code).toBe(1);
  });
});

describe('several servers in one run', () => {
  let root;
  let plan;
  beforeAll(async () => {
    if (!(await installed('nsd')) || !(await installed('knotd'))) return;
    root = await mkdtemp(join(tmpdir(), 'bench-several-'));
    plan = await tinyPlan(root);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('measures them round-robin and reports a failed one without stopping the rest', async ({ skip }) => {
    if (!plan) skip();
    const broken = { ...nsd, id: 'broken', prepare: async () => ({ command: 'false', args: [] }) };
    const lines = [];
    const results = await runServers([nsd, broken, knot], plan, (line) => lines.push(line));
    expect(results.map((r) => [r.server, r.transport, r.error === undefined])).toEqual([
      ['broken', 'udp', false],
      ['nsd', 'udp', true],
      ['knot', 'udp', true],
    ]);
    expect(results[0].error).toBe('broken (udp) exited before it answered');
    const rounds = lines.filter((line) => / round \d/.test(line)).map((line) => line.split(':')[0]);
    expect(rounds).toEqual(['nsd/udp', 'knot/udp', 'nsd/udp', 'knot/udp']);
  });
});
