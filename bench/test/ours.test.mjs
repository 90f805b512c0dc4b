import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerArgs } from '@mimi/server-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchClientConfig, ours, oursArgs } from '../lib/servers/ours.mjs';

const ctx = (root) => ({
  repoRoot: root,
  dir: join(root, 'run'),
  zone: '4.4.e164.mimi.arpa.',
  seed: 'ours',
  cores: 1,
  ports: { udp: 20053, doh: 20443 },
  tls: { certFile: '/run/tls-cert.pem', keyFile: '/run/tls-key.pem' },
  dataset: {
    baseZone: '/data/4.4.e164.zone',
    keyDir: '/data/keys',
    db: join(root, 'data.db'),
    peerZone: '/data/peers.zone',
  },
});

// The authoritative DP's own flags of DESIGN §8, on top of the shared ones.
const AUTHORITATIVE_SPEC = {
  name: 'mimi-authoritative',
  version: '0',
  summary: 'test',
  extraOptions: {
    db: { type: 'string', required: true, description: 'mapping store' },
    'resolver-config': { type: 'string', required: true, description: 'client.json' },
    'require-token': { type: 'boolean', description: 'tokens' },
    'token-issuer': { type: 'string', description: 'issuer' },
  },
};

describe('our server entry', () => {
  let root;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bench-ours-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('starts mimi-authoritative with the DESIGN §8 flags, limits off, info logs (the signing-pass line)', () => {
    const args = oursArgs(
      ctx(root),
      '/repo/authoritative-dp/dist/main.js',
      '/run/mappings.db',
      '/run/client.json',
    );
    expect(args[0]).toBe('/repo/authoritative-dp/dist/main.js');
    const command = parseServerArgs(args.slice(1), AUTHORITATIVE_SPEC);
    expect(command.kind).toBe('run');
    expect(command.flags).toMatchObject({
      zones: ['/data/4.4.e164.zone'],
      keyDir: '/data/keys',
      listen: { host: '127.0.0.1', port: 20443 },
      do53: { host: '127.0.0.1', port: 20053 },
      tlsCert: '/run/tls-cert.pem',
      tlsKey: '/run/tls-key.pem',
      queriesPerSecond: 0,
      missesPerSecond: 0,
      logLevel: 'info',
    });
    expect(command.extra).toMatchObject({ db: '/run/mappings.db', 'resolver-config': '/run/client.json' });
  });

  it('gives it a well-formed client.json anchored on the bench zone', () => {
    const config = benchClientConfig(ctx(root));
    expect(config).toMatchObject({
      roots: ['https://127.0.0.1:20443/dns-query'],
      ca: '/run/tls-cert.pem',
      relay: null,
    });
    expect(config.trustAnchors).toHaveLength(1);
    expect(config.trustAnchors[0]).toMatch(/^4\.4\.e164\.mimi\.arpa\. 3600 IN DS \d+ 15 2 [0-9A-Fa-f]{64}$/);
  });

  it('is not available until authoritative-dp is built', async () => {
    await expect(ours.version({ repoRoot: root })).rejects.toMatchObject({
      code: 'not-built',
      message: 'authoritative-dp/dist/main.js does not exist yet',
    });
  });

  it('reports the version of a built server, then prepares its own copy of the store', async () => {
    const dist = join(root, 'authoritative-dp', 'dist');
    await mkdir(dist, { recursive: true });
    await writeFile(join(dist, 'main.js'), "console.log('mimi-authoritative 9.9.9');\n");
    await chmod(join(dist, 'main.js'), 0o755);
    expect(await ours.version({ repoRoot: root })).toBe('9.9.9');

    const context = ctx(root);
    await mkdir(context.dir, { recursive: true });
    await writeFile(context.dataset.db, 'store bytes');
    const { command, args } = await ours.prepare(context);
    expect(command).toBe(process.execPath);
    expect(args[args.indexOf('--db') + 1]).toBe(join(context.dir, 'mappings.db'));
    expect(await readFile(join(context.dir, 'mappings.db'), 'utf8')).toBe('store bytes');
    const clientFile = args[args.indexOf('--resolver-config') + 1];
    expect(JSON.parse(await readFile(clientFile, 'utf8'))).toEqual(benchClientConfig(context));
  });

  it('is settled once the server logs its signing pass, and fails if it exits first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mimi-ours-settled-'));
    const logFile = join(dir, 'server.log');
    const pass = {
      reason: 'load',
      outcome: 'complete',
      signatures: 6,
      milliseconds: 12,
      msg: 'store rrsets signed',
    };
    await writeFile(logFile, `${JSON.stringify({ level: 30, msg: 'listening' })}\n`);
    const settled = ours.settled({ logFile, alive: () => true, timeoutMs: 10_000 });
    await writeFile(logFile, `${JSON.stringify({ level: 30, msg: 'listening' })}\n${JSON.stringify(pass)}\n`);
    expect(await settled).toMatchObject({ signatures: 6, milliseconds: 12 });
    await writeFile(logFile, '');
    await expect(ours.settled({ logFile, alive: () => false })).rejects.toMatchObject({ code: 'not-ready' });
    await rm(dir, { recursive: true, force: true });
  });
});
