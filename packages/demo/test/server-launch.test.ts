// One server's command line (DESIGN §8) and its start: ports chosen beforehand, a taken
// port answered by a start on fresh ones, any other failure reported at once.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DemoError } from '../src/errors.js';
import type { ServerSpec } from '../src/layout.js';
import { pickPort } from '../src/ports.js';
import {
  assertBuilt,
  type LaunchedServer,
  type LaunchPlan,
  launchServer,
  programPath,
  serverArgs,
} from '../src/server-launch.js';
import { fakeCheckout } from './helpers/fake-checkout.js';

const checkout = fakeCheckout();
const tls = { cert: '/s/tls/x.pem', key: '/s/tls/x.key' };

const tel: ServerSpec = {
  name: 'tel',
  role: 'authoritative',
  host: 'tel.nic.mimi.arpa.',
  zones: [
    { apex: '4.4.e164.mimi.arpa.', file: 'zones/4.4.e164.zone' },
    { apex: '1.e164.mimi.arpa.', file: '/abs/1.e164.zone' },
  ],
  args: ['--api-rate-limit', '0'],
};

function plan(spec: ServerSpec, extra: Partial<LaunchPlan> = {}): LaunchPlan {
  return {
    spec,
    repoRoot: checkout,
    overlays: [],
    keyDir: '/s/keys/zones/x',
    tls,
    logFile: join(checkout, `${spec.name}.log`),
    ...extra,
  };
}

describe('serverArgs', () => {
  it('names zone files, then overlays, the key directory, both listeners, the store and the extra flags', () => {
    const args = serverArgs(
      plan(tel, {
        repoRoot: '/repo',
        overlays: ['/s/zones/a.overlay.zone'],
        keyDir: '/s/keys/zones/tel',
        database: '/s/db/tel.sqlite',
        resolverConfig: '/s/client.json',
      }),
      { doh: 4443, do53: 5353 },
    );
    expect(args).toEqual([
      '--zone',
      '/repo/zones/4.4.e164.zone',
      '/abs/1.e164.zone',
      '/s/zones/a.overlay.zone',
      '--key-dir',
      '/s/keys/zones/tel',
      '--listen',
      '127.0.0.1:4443',
      '--tls-cert',
      '/s/tls/x.pem',
      '--tls-key',
      '/s/tls/x.key',
      '--do53',
      '127.0.0.1:5353',
      '--db',
      '/s/db/tel.sqlite',
      '--resolver-config',
      '/s/client.json',
      '--api-rate-limit',
      '0',
    ]);
  });

  it('adds the ODoH key ring and the token flags (DESIGN §7) before the extra flags', () => {
    const args = serverArgs(
      plan(tel, {
        database: '/s/db/tel.sqlite',
        resolverConfig: '/s/server-client.json',
        odohKeys: '/s/keys/odoh/tel.json',
        tokens: { issuer: 'https://127.0.0.1:4444', ca: '/s/tls/ca.pem' },
      }),
      { doh: 4443, do53: 5353 },
    );
    expect(args.slice(args.indexOf('--resolver-config'))).toEqual([
      '--resolver-config',
      '/s/server-client.json',
      '--odoh-keys',
      '/s/keys/odoh/tel.json',
      '--require-token',
      '--token-issuer',
      'https://127.0.0.1:4444',
      '--token-ca',
      '/s/tls/ca.pem',
      '--api-rate-limit',
      '0',
    ]);
    const root: ServerSpec = { name: 'root', role: 'root', host: 'root.nic.mimi.arpa.', zones: [] };
    const rootArgs = serverArgs(plan(root, { odohKeys: '/s/keys/odoh/root.json' }), { doh: 1, do53: 2 });
    expect(rootArgs.slice(-2)).toEqual(['--odoh-keys', '/s/keys/odoh/root.json']);
    expect(rootArgs).not.toContain('--require-token');
  });

  it('gives a root neither store nor resolver configuration', () => {
    const root: ServerSpec = { name: 'root', role: 'root', host: 'root.nic.mimi.arpa.', zones: [] };
    const args = serverArgs(plan(root), { doh: 1, do53: 2 });
    expect(args).not.toContain('--db');
    expect(args).not.toContain('--resolver-config');
    expect(args.at(-1)).toBe('127.0.0.1:2');
  });
});

describe('programs', () => {
  it.each([
    ['root', '/repo/root-dp/dist/main.js'],
    ['authoritative', '/repo/authoritative-dp/dist/main.js'],
  ] as const)('the %s program is %s', (role, path) => {
    expect(programPath('/repo', role)).toBe(path);
  });

  it('refuses to start from an unbuilt checkout (not-built)', () => {
    const failure = (() => {
      try {
        assertBuilt('/nowhere', ['root']);
      } catch (err) {
        return err;
      }
    })();
    expect(failure).toBeInstanceOf(DemoError);
    expect(failure).toMatchObject({
      code: 'not-built',
      message: '/nowhere/root-dp/dist/main.js is missing: run npx tsc -b first',
    });
    expect(() => assertBuilt(checkout, ['root', 'authoritative'])).not.toThrow();
  });
});

describe('launchServer', () => {
  const launched: LaunchedServer[] = [];
  const blockers: Server[] = [];
  afterAll(async () => {
    await Promise.all(launched.map((server) => server.process.stop()));
    for (const blocker of blockers) blocker.close();
  });

  async function occupiedPort(): Promise<number> {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    return (blocker.address() as { port: number }).port;
  }

  it('starts on the ports it was given, as its command line says', async () => {
    const root: ServerSpec = { name: 'root', role: 'root', host: 'root.nic.mimi.arpa.', zones: [] };
    const free = await pickPort(undefined, false, new Set());
    const server = await launchServer(plan(root), { doh: free, do53: 5300 }, new Set());
    launched.push(server);
    expect(server.ports).toEqual({ doh: free, do53: 5300 });
    expect(server.process.args).toContain(`127.0.0.1:${free}`);
  });

  it('starts again on fresh ports when its port was taken (EADDRINUSE), and says which it got', async () => {
    const root: ServerSpec = { name: 'busy', role: 'root', host: 'root.nic.mimi.arpa.', zones: [] };
    const busy = await occupiedPort();
    const taken = new Set<number>([busy]);
    const server = await launchServer(plan(root), { doh: busy, do53: 5301 }, taken);
    launched.push(server);
    expect(server.ports.doh).not.toBe(busy);
    expect(server.process.args).toContain(`127.0.0.1:${server.ports.doh}`);
    expect(taken.has(server.ports.doh)).toBe(true);
    // Both attempts went to the same log.
    expect(readFileSync(join(checkout, 'busy.log'), 'utf8')).toContain('EADDRINUSE');
  });

  it('reports any other start-up failure at once, without a second attempt', async () => {
    const failure = await launchServer(plan(tel), { doh: 1, do53: 2 }, new Set()).catch(
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DemoError);
    expect((failure as DemoError).code).toBe('server-process');
    expect((failure as DemoError).message).toContain('fake-authoritative: --db is missing');
    const log = readFileSync(join(checkout, 'tel.log'), 'utf8');
    expect(log.match(/--db is missing/g)).toHaveLength(1);
  });
});
