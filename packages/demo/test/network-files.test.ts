// The files of DESIGN §9 as written: atomically, JSON with a final newline, one DS line a
// line; an earlier network.json read back, or nothing when there is none to read.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  clientFile,
  type NetworkFile,
  networkFile,
  readNetworkFile,
  writeJson,
  writeTrustAnchor,
} from '../src/network-files.js';

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

  it('writes a file holding a secret with the mode asked for, replacing one that was readable', async () => {
    const path = join(dir, 'client.json');
    await writeJson(path, { a: 1 });
    await writeJson(path, { issuerAuth: 'k' }, 0o600);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ issuerAuth: 'k' });
  });
});

describe('the files with and without the privacy layer (DESIGN §9)', () => {
  const servers = [
    {
      name: 'root',
      role: 'root' as const,
      zones: ['mimi.arpa.'],
      doh: 'https://127.0.0.1:1/dns-query',
      do53: '127.0.0.1:2',
      api: 'https://127.0.0.1:1',
    },
  ];
  const privacy = {
    relay: 'https://127.0.0.1:3/proxy',
    issuer: 'https://127.0.0.1:4',
    issuerAuth: 'the-demo-users-api-key',
  };

  it('names no relay and no issuer without it', () => {
    expect(networkFile('mimi.arpa.', '/s/tls/ca.pem', servers)).toEqual(network);
    expect(clientFile(servers, ['a. 3600 IN DS 1 15 2 00'], '/ca.pem')).toEqual({
      roots: ['https://127.0.0.1:1/dns-query'],
      trustAnchors: ['a. 3600 IN DS 1 15 2 00'],
      ca: '/ca.pem',
      relay: null,
      issuer: null,
    });
  });

  it('names the relay and the issuer, and client.json the user key too, with it', () => {
    expect(networkFile('mimi.arpa.', '/s/tls/ca.pem', servers, privacy)).toEqual({
      ...network,
      relay: 'https://127.0.0.1:3/proxy',
      issuer: 'https://127.0.0.1:4',
    });
    const client = clientFile(servers, ['a. 3600 IN DS 1 15 2 00'], '/ca.pem', privacy);
    expect(Object.keys(client)).toEqual(['roots', 'trustAnchors', 'ca', 'relay', 'issuer', 'issuerAuth']);
    expect(client).toMatchObject(privacy);
  });
});
