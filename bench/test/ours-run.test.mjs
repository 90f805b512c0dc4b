// Integration: our authoritative DP through one whole (tiny) benchmark turn, started
// from authoritative-dp/dist/main.js exactly as `npm run bench:servers` starts it.
// Skipped until that file exists.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServers } from '../lib/run-servers.mjs';
import { ours } from '../lib/servers/ours.mjs';
import { REPO_ROOT, tinyPlan } from './tiny-plan.mjs';

const built = await access(join(REPO_ROOT, 'authoritative-dp', 'dist', 'main.js')).then(
  () => true,
  () => false,
);

describe.skipIf(!built)('our server under the harness', () => {
  let root;
  let plan;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bench-ours-run-'));
    plan = await tinyPlan(root, { repoRoot: REPO_ROOT });
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('answers the mix with signed data on Do53 and DoH, with compact denial, and stops', async () => {
    const lines = [];
    const results = await runServers([ours], plan, (line) => lines.push(line));
    expect(results.map((r) => [r.transport, r.error])).toEqual([
      ['udp', undefined],
      ['doh', undefined],
    ]);
    for (const result of results) {
      // positive MSPMAP, positive NAPTR, then DESIGN §5: a missing CSI name is answered
      // like an empty non-terminal (NOERROR + signed NSEC), and NODATA the same way.
      expect(result.samples.map((s) => [s.rcode, s.answers > 0, s.signed, s.aa])).toEqual([
        [0, true, true, true],
        [0, true, true, true],
        [0, false, true, true],
        [0, false, true, true],
      ]);
      expect(result.stats.completed).toBeGreaterThan(0);
      expect(result.stats.lost).toBe(0);
    }
    expect(lines.at(-1)).toMatch(/^ours: stopped/);
  });
});
