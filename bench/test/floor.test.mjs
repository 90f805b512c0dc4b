// Integration: the Node floor (canned answers over node:dgram and node:http2) through one
// whole tiny benchmark turn on loopback — it must answer every kind of question with its
// canned message, over UDP under dnsperf, DoH GET under h2load and POST from the
// readiness probe, and stop. Skipped without dnsperf and h2load.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServers } from '../lib/run-servers.mjs';
import { nodeFloor } from '../lib/servers/node-floor.mjs';
import { installed, tinyPlan } from './tiny-plan.mjs';

describe('the Node floor', () => {
  let root;
  let plan;
  beforeAll(async () => {
    if (!(await installed('h2load')) || !(await installed('dnsperf'))) return;
    root = await mkdtemp(join(tmpdir(), 'bench-floor-'));
    plan = await tinyPlan(root);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('answers every question with a 583-octet canned message over UDP and DoH', async ({ skip }) => {
    if (!plan) skip();
    const lines = [];
    const results = await runServers([nodeFloor], plan, (line) => lines.push(line));
    expect(results.map((r) => [r.transport, r.error, r.stats?.tool])).toEqual([
      ['udp', undefined, 'dnsperf'],
      ['doh', undefined, 'h2load'],
    ]);
    for (const result of results) {
      // No DNS work: NOERROR with one (unsigned) answer and the same size, whatever was asked.
      expect(result.samples.map((s) => [s.rcode, s.answers, s.signed, s.bytes])).toEqual(
        plan.samples.map(() => [0, 1, false, 583]),
      );
      expect(result.stats.completed).toBeGreaterThan(0);
    }
    expect(results[0].stats.lost).toBe(0);
    expect(results[1].stats.httpStatus['2xx']).toBe(results[1].stats.completed);
    expect(lines.at(-1)).toMatch(/^floor: stopped/);
  });
});
