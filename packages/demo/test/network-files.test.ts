// The files of DESIGN §9 as written: atomically, JSON with a final newline, one DS line a
// line; an earlier network.json read back, or nothing when there is none to read.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type NetworkFile, readNetworkFile, writeJson, writeTrustAnchor } from '../src/network-files.js';

const dir = mkdtempSync(join(tmpdir(), 'mimi-files-'));

const network: NetworkFile = {
  apex: 'mimi.arpa.',
  ca: '/s/tls/ca.pem',
  servers: [
    {
      name: 'root',
      role: 'root',
      zones: ['mimi.arpa.'],
      doh: 'https://127.0.0.1:1/dns-query',
      do53: '127.0.0.1:2',
    },
  ],
  relay: null,
  issuer: null,
};

describe('network files', () => {
  it('writes JSON indented, with a final newline, leaving no temporary file, and reads it back', async () => {
    const path = join(dir, 'network.json');
    await writeJson(path, network);
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(network, null, 2)}\n`);
    expect(readdirSync(dir)).toEqual(['network.json']);
    expect(await readNetworkFile(path)).toEqual(network);
  });

  it('writes the trust anchor one line each', async () => {
    const path = join(dir, 'trust-anchor.txt');
    await writeTrustAnchor(path, ['a. 3600 IN DS 1 15 2 00', 'a. 3600 IN DS 2 15 2 11']);
    expect(readFileSync(path, 'utf8')).toBe('a. 3600 IN DS 1 15 2 00\na. 3600 IN DS 2 15 2 11\n');
  });

  it('reads no earlier network.json when the file is missing or not JSON', async () => {
    expect(await readNetworkFile(join(dir, 'missing.json'))).toBeUndefined();
    writeFileSync(join(dir, 'broken.json'), '{"apex": ');
    expect(await readNetworkFile(join(dir, 'broken.json'))).toBeUndefined();
  });
});
