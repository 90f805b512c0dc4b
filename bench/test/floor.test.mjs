// Integration: the node:http2 floor (canned DoH answers) through one whole tiny benchmark
// turn on loopback — it must answer every kind of question with its canned message, GET
// under h2load and POST from the readiness probe, and stop. Skipped without h2load.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServers } from '../lib/run-servers.mjs';
import { nodeH2Floor } from '../lib/servers/node-h2-floor.mjs';
import { installed, tinyPlan } from './tiny-plan.mjs';

describe('the node:http2 floor', () => {
  let root;
  let plan;
  beforeAll(async () => {
    if (!(await installed('h2load'))) return;
    root = await mkdtemp(join(tmpdir(), 'bench-floor-'));
    plan = await tinyPlan(root);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('answers every question with a 583-octet canned message under h2load', async ({ skip }) => {
    if (!plan) skip();
    const lines = [];
    const results = await runServers([nodeH2Floor], plan, (line) => lines.push(line));
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result.error).toBeUndefined();
    expect(result.transport).toBe('doh');
    // No DNS work: NOERROR with one (unsigned) answer and the same size, whatever was asked.
    expect(result.samples.map((s) => [s.rcode, s.answers, s.signed, s.bytes])).toEqual(
      plan.samples.map(() => [0, 1, false, 583]),
    );
    expect(result.stats.tool).toBe('h2load');
    expect(result.stats.completed).toBeGreaterThan(0);
    expect(result.stats.httpStatus['2xx']).toBe(result.stats.completed);
    expect(lines.at(-1)).toMatch(/^floor: stopped/);
  });
});
