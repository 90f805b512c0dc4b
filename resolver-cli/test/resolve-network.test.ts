/**
 * `mimi resolve` end to end in-process against the demo network of DESIGN §9 held in
 * memory (the stub resolver's own test network: real AuthorityEngines, zone files of
 * zones/, the seeded mappings), so the CLI is shown the real stub's results and traces.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSI, seedDemo } from '../../packages/stub-resolver/test/helpers/demo-data.js';
import { buildNetwork, type TestNetwork } from '../../packages/stub-resolver/test/helpers/network.js';
import { runCli } from '../src/app.js';
import { writeClientConfig } from './helpers/config.js';
import { memoryIo } from './helpers/memory-io.js';

let network: TestNetwork;
let dir: string;

beforeAll(async () => {
  network = await buildNetwork();
  seedDemo(network);
  dir = mkdtempSync(join(tmpdir(), 'mimi-cli-network-'));
  writeClientConfig(dir, {
    roots: network.config.roots,
    trustAnchors: network.config.trustAnchors,
    relay: null,
  });
});

async function run(argv: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await runCli(argv, io, { createResolver: () => network.resolver() });
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('mimi resolve on the demo network', () => {
  it('DESIGN §9 seeds: the statuses of the table, as NDJSON, exit 0', async () => {
    const { code, stdout } = await run([
      'resolve',
      CSI.ukFound,
      CSI.ukOptedOut,
      CSI.usFound,
      CSI.alice,
      CSI.ukMissing,
      CSI.noDp,
      '--json',
    ]);
    expect(code).toBe(0);
    const results = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results.map((r) => [r.csi, r.status, r.mappings.length])).toEqual([
      ['+447700900123', 'found', 1],
      ['+447700900124', 'opted-out', 1],
      ['+14155550100', 'found', 2],
      ['alice@example.com', 'found', 1],
      ['+447700900999', 'no-mapping', 0],
      ['+33123456789', 'no-mapping', 0],
    ]);
    expect(results[0].mappings[0].msps).toEqual([
      { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
      { msp: 'wire.example', pri: 20, tags: ['Business'] },
    ]);
  });

  it('--select --context Business picks wire.example for +447700900123', async () => {
    const { stdout } = await run(['resolve', CSI.ukFound, '--select', '--context', 'business']);
    expect(stdout).toBe('+447700900123  wire.example  (pri 20, mapping personal, tags Business)\n');
  });

  it('--trace draws the real chain: anchor, root, the delegated zone, the CSIP zone, the mapping', async () => {
    const { code, stdout } = await run(['resolve', CSI.ukFound, '--trace']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const zones = lines.filter((line) => line.startsWith('zone '));
    expect(zones).toEqual(
      expect.arrayContaining(['zone mimi.arpa.', 'zone 4.4.e164.mimi.arpa.', 'zone csip.mimi.arpa.']),
    );
    expect(stdout).toMatch(/ {2}anchor {4}trust anchor, key tags \d+/);
    expect(stdout).toMatch(/ {2}secure {4}DS \d+ -> DNSKEY \d+ \(DS from mimi\.arpa\.\)/);
    expect(stdout).toMatch(
      / {2}verified {2}3\.2\.1\.0\.0\.9\.0\.0\.7\.7\.4\.4\.e164\.mimi\.arpa\. MSPMAP rrset, RRSIG key \d+/,
    );
    expect(stdout).toContain('mapping  personal: verified');
    expect(stdout).toMatch(/result {3}found {2}\d+ ms/);
    // The table follows the trace.
    expect(stdout).toContain('+447700900123  found  1 verified mapping');
  });
});
