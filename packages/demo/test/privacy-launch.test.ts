// The privacy programs of a network (DESIGN §2, §7): the issuer's users file with the demo
// user (made once, mode 0600, its key kept), the relay's targets file, and the built
// `mimi-issuer` and `mimi-relay` started on loopback — on a fresh port when theirs is taken.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PRIVACY } from '../src/demo-layout.js';
import { DemoError } from '../src/errors.js';
import { ensureCertificateAuthority, ensureServerCertificate } from '../src/pki.js';
import {
  assertPrivacyBuilt,
  ensureDemoUser,
  launchIssuer,
  launchRelay,
  type PrivacyProcess,
  privacyProgramPath,
  writeRelayTargets,
} from '../src/privacy-launch.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mimi-privacy-launch-'));
const built =
  existsSync(privacyProgramPath(repoRoot, 'relay')) && existsSync(privacyProgramPath(repoRoot, 'issuer'));

const failure = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
};

describe('the demo user', () => {
  it('is made once with a fresh API key (mode 0600) and read back after', async () => {
    const path = join(dir, 'users.json');
    const key = await ensureDemoUser(path);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ users: [{ id: 'demo', apiKey: key }] });
    expect(await ensureDemoUser(path)).toBe(key);
    expect(await ensureDemoUser(join(dir, 'other-users.json'))).not.toBe(key);
  });

  it.each([
    ['not json', '{"users": [', 'is not json'],
    [
      'without the demo user',
      '{"users": [{"id": "bob", "apiKey": "0123456789abcdefXYZ"}]}',
      "has no 'demo' user with an apiKey",
    ],
    [
      'with only a digest',
      `{"users": [{"id": "demo", "apiKeySha256": "${'0'.repeat(64)}"}]}`,
      "has no 'demo' user with an apiKey",
    ],
  ])('is refused from a users file %s (issuer-users)', async (_what, text, message) => {
    const path = join(dir, `users-${_what.replace(/ /g, '-')}.json`);
    writeFileSync(path, text, { mode: 0o600 });
    const err = await failure(() => ensureDemoUser(path));
    expect(err).toBeInstanceOf(DemoError);
    expect(err).toMatchObject({ code: 'issuer-users' });
    expect((err as Error).message).toBe(`issuer users file ${path} ${message}`);
  });
});

describe('the relay targets file', () => {
  it('maps each server host name, without the final dot, to its DoH address', async () => {
    const path = join(dir, 'targets.json');
    await writeRelayTargets(path, [
      { host: 'root.nic.mimi.arpa.', doh: 'https://127.0.0.1:4001/dns-query' },
      { host: 'tel.nic.mimi.arpa.', doh: 'https://127.0.0.1:4002/dns-query' },
    ]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      'root.nic.mimi.arpa': '127.0.0.1:4001',
      'tel.nic.mimi.arpa': '127.0.0.1:4002',
    });
  });
});

describe('the programs', () => {
  it('live in the checkout build; an unbuilt one is refused (not-built)', async () => {
    expect(privacyProgramPath('/repo', 'relay')).toBe('/repo/packages/relay/dist/main.js');
    expect(privacyProgramPath('/repo', 'issuer')).toBe('/repo/packages/issuer/dist/main.js');
    const err = await failure(async () => assertPrivacyBuilt('/nowhere'));
    expect(err).toMatchObject({
      code: 'not-built',
      message: '/nowhere/packages/relay/dist/main.js is missing: run npx tsc -b first',
    });
  });
});

describe.skipIf(!built)('launching the issuer and the relay', () => {
  const running: PrivacyProcess[] = [];
  const blockers: Server[] = [];
  afterAll(async () => {
    await Promise.all(running.map((program) => program.process.stop()));
    for (const blocker of blockers) blocker.close();
  });

  async function takenPort(): Promise<number> {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    return (blocker.address() as { port: number }).port;
  }

  it('moves each to a fresh port when its own is taken, and reads its URL from its ready line', async () => {
    const tls = join(dir, 'tls');
    const ca = await ensureCertificateAuthority(tls);
    const taken = new Set<number>();
    const issuerPort = await takenPort();
    const issuer = await launchIssuer(
      {
        repoRoot,
        spec: DEMO_PRIVACY,
        tls: await ensureServerCertificate(tls, ca, 'issuer.localhost'),
        stateDir: join(dir, 'issuer'),
        usersFile: join(dir, 'users.json'),
        logFile: join(dir, 'issuer.log'),
      },
      issuerPort,
      taken,
    );
    running.push(issuer);
    expect(issuer.port).not.toBe(issuerPort);
    expect(issuer.url).toBe(`https://127.0.0.1:${issuer.port}`);
    expect(issuer.process.args).toContain('--quota');
    expect(readFileSync(join(dir, 'issuer.log'), 'utf8')).toContain('EADDRINUSE');

    const relayPort = await takenPort();
    const relay = await launchRelay(
      {
        repoRoot,
        spec: { ...DEMO_PRIVACY, relayArgs: ['--rate', '7'] },
        tls: await ensureServerCertificate(tls, ca, 'relay.localhost'),
        targetsFile: join(dir, 'targets.json'),
        ca: ca.cert,
        logFile: join(dir, 'relay.log'),
      },
      relayPort,
      taken,
    );
    running.push(relay);
    expect(relay.port).not.toBe(relayPort);
    expect(relay.url).toBe(`https://127.0.0.1:${relay.port}/proxy`);
    expect(relay.process.args.slice(-2)).toEqual(['--rate', '7']);
    expect(await Promise.all(running.map((program) => program.process.stop()))).toEqual([0, 0]);
  }, 60_000);
});
