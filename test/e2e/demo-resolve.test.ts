// `mimi resolve` on the demo network, as a person would run it after `npm start`
// (issue "stub resolver", DESIGN §6, §8, §9): each seeded CSI gives its DESIGN §9 outcome
// in the table, in --json and in --trace; --file over the six gives six NDJSON lines; bad
// input exits 2 naming the problem, before any lookup.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningNetwork, SEEDS, startNetwork } from '@mimi/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, mimi, REPO_ROOT } from './helpers/cli.js';

let network: RunningNetwork;
let cwd: string;
const csis = SEEDS.map((s) => s.csi);

beforeAll(async () => {
  assertBuilt();
  const stateDir = mkdtempSync(join(tmpdir(), 'mimi-demo-resolve-'));
  network = await startNetwork({ stateDir, repoRoot: REPO_ROOT });
  // `mimi` finds .mimi/client.json in the directory it runs in, as after `npm start`.
  cwd = mkdtempSync(join(tmpdir(), 'mimi-cwd-'));
  mkdirSync(join(cwd, '.mimi'));
  copyFileSync(network.paths.clientJson, join(cwd, '.mimi', 'client.json'));
}, 180_000);

afterAll(async () => {
  await network?.stop();
});

describe('mimi resolve on the demo network (DESIGN §9)', () => {
  it('the table gives each seeded CSI its status, exit 0', async () => {
    const run = await mimi(['resolve', ...csis], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const seed of SEEDS) {
      expect(run.stdout).toMatch(new RegExp(`^${seed.csi.replace('+', '\\+')}\\s+${seed.expected}\\b`, 'm'));
    }
    expect(run.stdout).toContain('whatsapp.example');
    expect(run.stdout).toContain('teams.example');
  });

  it('--json gives one DESIGN §8 object per CSI with the seeded mappings', async () => {
    const run = await mimi(['resolve', '--json', ...csis], cwd);
    expect(run.code).toBe(0);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results.map((r) => [r.csi, r.status])).toEqual(SEEDS.map((s) => [s.csi, s.expected]));
    for (const [i, seed] of SEEDS.entries()) {
      const result = results[i];
      expect(result.reason).toBeNull();
      expect(result.mappings.map((m: { id: string }) => m.id)).toEqual(seed.mappings.map((m) => m.id).sort());
      for (const mapping of seed.mappings) {
        const got = result.mappings.find((m: { id: string }) => m.id === mapping.id);
        expect(got.msps).toEqual(mapping.msps.map((m) => ({ msp: m.msp, pri: m.pri, tags: [...m.tags] })));
        expect(got.csip).toBe(seed.csip);
        expect(got.epoch).toBe(1);
        expect(got.recipientKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }
    }
  });

  it('--trace draws the chain of trust down to the DP and through the CSIP key', async () => {
    const run = await mimi(['resolve', '--trace', '+447700900123'], cwd);
    expect(run.code).toBe(0);
    const text = `${run.stdout}\n${run.stderr}`;
    expect(text).toMatch(/zone mimi\.arpa\./);
    expect(text).toMatch(/zone 4\.4\.e164\.mimi\.arpa\./);
    expect(text).toMatch(/zone csip\.mimi\.arpa\./);
    expect(text).toMatch(/DS \d+ -> DNSKEY \d+/);
    expect(text).toMatch(/mapping\s+personal: verified/);
    expect(text).toMatch(/\+447700900123\s+found/);
  });

  it('--file over the six gives six NDJSON lines, also from standard input', async () => {
    const file = join(cwd, 'contacts.txt');
    writeFileSync(file, `# demo contacts\n${csis.join('\n')}\n\n`);
    const fromFile = await mimi(['resolve', '--file', file], cwd);
    expect(fromFile.code).toBe(0);
    const lines = fromFile.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.map((l) => JSON.parse(l).status)).toEqual(SEEDS.map((s) => s.expected));
    const fromStdin = await mimi(['resolve', '--file', '-'], cwd, `${csis.join('\n')}\n`);
    expect(fromStdin.stdout.trim().split('\n')).toHaveLength(6);
  });

  it.each([
    ['not-a-csi', /must start with '\+'/],
    ['+999', /country calling code|no digits after/],
    ['bob@', /email|domain|empty/],
    [`${'a'.repeat(290)}@example.com`, /local part|too long|64/],
  ])('bad input %s exits 2 naming the problem, with nothing on stdout', async (input, problem) => {
    const run = await mimi(['resolve', '+447700900123', input], cwd);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mimi: /);
    expect(lines[0]).toMatch(problem);
  });
});
