/**
 * The client side of privacy, end to end on loopback (DESIGN §1 R6, R8; §6; §7; §8
 * `--relay`, `--direct`, `--trace`): a real `mimi-relay` (the built binary, with a
 * targets file) in front of three ODoH targets answering from real AuthorityEngines, a
 * real `mimi-issuer` handing out Privacy Pass tokens, and DPs that check them with
 * @mimi/tokens' TokenVerifier. The stub resolves through the relay with tokens, and the
 * `mimi` CLI draws the relay hop and the tokens in its trace.
 *
 * The targets are a small test server (packages/stub-resolver/test/helpers), not
 * server-core: the servers' own ODoH route and token hook are another piece of work.
 * The same checks on the whole demo network — the real servers' ODoH route and token
 * hook, the relay and the issuer started by the launcher — are test/e2e/privacy-network.test.ts.
 *
 * Objects and signatures are made around the real time (the CLI runs with the real clock).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dsLine } from '@mimi/dnssec';
import { type RunningIssuer, startIssuer, UserRegistry } from '@mimi/issuer';
import { createResolver, loadClientConfig, type Resolver } from '@mimi/stub-resolver';
import { TokenVerifier } from '@mimi/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates } from '../../packages/stub-resolver/test/helpers/certs.js';
import {
  attest,
  csipKeyRdata,
  mapping,
  msp,
  recipientKey,
} from '../../packages/stub-resolver/test/helpers/fixtures.js';
import { buildNetwork, type TestNetwork, ZONES } from '../../packages/stub-resolver/test/helpers/network.js';
import {
  type OdohTargetServer,
  startOdohTarget,
} from '../../packages/stub-resolver/test/helpers/odoh-target-server.js';
import { HOSTS, odohKey } from '../../packages/stub-resolver/test/helpers/privacy.js';
import { assertBuilt, mimi } from './helpers/cli.js';

const RELAY_MAIN = fileURLToPath(new URL('../../packages/relay/dist/main.js', import.meta.url));
const API_KEY = 'privacy-e2e-user-key-0123456789';
const UK = '+447700900123';
const UK_OPTED_OUT = '+447700900124';
const UK_QNAME = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
const ALICE = 'alice@example.com';
const BOOTSTRAP = [
  'mimi.arpa. DNSKEY',
  'mimi.arpa. NS',
  '_dns.root.nic.mimi.arpa. SVCB',
  '_odoh.root.nic.mimi.arpa. ODOHCFG',
];

let dir: string;
let network: TestNetwork;
let targets: Record<'root' | 'tel' | 'mail', OdohTargetServer>;
let issuer: RunningIssuer;
let relay: { child: ChildProcess; url: string };
let configFile: string;
let resolver: Resolver;

/** The §9 mappings this test needs, signed with windows around now. */
function seed(now: number): void {
  const window = { iat: now - 60, exp: now + 86_400 };
  for (const [csi, msps] of [
    [UK, [msp('whatsapp.example', 10, ['Personal']), msp('wire.example', 20, ['Business'])]],
    [UK_OPTED_OUT, []],
  ] as const) {
    const key = recipientKey(csi);
    const att = attest({ csi, csip: 'uk-carrier', recipient: key, ...window });
    network.publish(mapping({ csi, id: 'personal', recipient: key, att, msps: [...msps], ...window }), csi);
  }
  const alice = recipientKey(ALICE);
  const att = attest({ csi: ALICE, csip: 'example-mail', recipient: alice, ...window });
  network.publish(
    mapping({
      csi: ALICE,
      id: 'personal',
      recipient: alice,
      att,
      msps: [msp('signal.example', 10)],
      ...window,
    }),
    ALICE,
  );
}

function startRelay(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RELAY_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.includes('"event":"listening"'));
      if (line !== undefined) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code) => reject(new Error(`mimi-relay exited ${code}: ${err}`)));
  });
}

const asked = (server: OdohTargetServer, via: 'doh' | 'odoh') =>
  server.requests.filter((r) => r.via === via).map((r) => `${r.qname} ${r.qtype}`);

beforeAll(async () => {
  assertBuilt(RELAY_MAIN);
  dir = mkdtempSync(join(tmpdir(), 'mimi-privacy-e2e-'));
  const now = Math.floor(Date.now() / 1000);
  const tls = makeCertificates([...Object.values(HOSTS), 'localhost'], ['127.0.0.1']);
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    chmodSync(path, 0o600);
    return path;
  };
  const [caFile, certFile, keyFile] = [
    file('ca.pem', tls.caPem),
    file('cert.pem', tls.certPem),
    file('key.pem', tls.keyPem),
  ];

  issuer = await startIssuer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: Buffer.from(tls.certPem), key: Buffer.from(tls.keyPem) },
    stateDir: join(dir, 'issuer'),
    users: UserRegistry.fromEntries([{ id: 'alice', apiKey: API_KEY }]),
    quota: 200,
    epochSeconds: 3600,
  });
  const verifier = () => TokenVerifier.create({ issuerUrl: issuer.url, ca: tls.caPem });
  const target = async (host: string) =>
    startOdohTarget({ tls, key: odohKey(host), nowSeconds: () => now, verifier: await verifier() });
  targets = { root: await target(HOSTS.root), tel: await target(HOSTS.tel), mail: await target(HOSTS.mail) };

  network = await buildNetwork({
    startSeconds: now,
    ports: { root: targets.root.port, tel: targets.tel.port, mail: targets.mail.port },
    csipRecords: {
      'uk-carrier': [csipKeyRdata('uk-carrier', { exp: now + 86_400 })],
      'example-mail': [csipKeyRdata('example-mail', { exp: now + 86_400 })],
    },
  });
  seed(now);
  targets.root.engine = network.engines.root;
  targets.tel.engine = network.engines.tel;
  targets.mail.engine = network.engines.mail;

  const targetsFile = file(
    'targets.json',
    JSON.stringify({
      [HOSTS.root]: `127.0.0.1:${targets.root.port}`,
      [HOSTS.tel]: `127.0.0.1:${targets.tel.port}`,
      [HOSTS.mail]: `127.0.0.1:${targets.mail.port}`,
    }),
  );
  relay = await startRelay([
    '--listen',
    '127.0.0.1:0',
    '--tls-cert',
    certFile,
    '--tls-key',
    keyFile,
    '--targets',
    targetsFile,
    '--ca',
    caFile,
  ]);

  mkdirSync(join(dir, '.mimi'));
  configFile = join(dir, '.mimi', 'client.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      roots: [`https://127.0.0.1:${targets.root.port}/dns-query`],
      trustAnchors: [dsLine(network.keys.get(ZONES.root)!, 3600)],
      ca: caFile,
      relay: relay.url,
      issuer: issuer.url,
      issuerAuth: API_KEY,
    }),
  );
  resolver = createResolver(loadClientConfig(configFile));
}, 120_000);

afterAll(async () => {
  await resolver?.close();
  relay?.child.kill('SIGTERM');
  await Promise.all(Object.values(targets ?? {}).map((t) => t.close()));
  await issuer?.close();
});

describe('the stub through a real relay, with tokens', () => {
  it('resolves through the relay; the DPs check a token on every query that needs one', async () => {
    const results = await resolver.resolveMany([UK, ALICE, '+447700900999', '+33123456789']);
    expect(results.map((r) => [r.csi, r.status, r.reason])).toEqual([
      [UK, 'found', null],
      [ALICE, 'found', null],
      ['+447700900999', 'no-mapping', null],
      ['+33123456789', 'no-mapping', null],
    ]);
    const all = Object.values(targets).flatMap((t) => t.requests);
    expect(all.filter((r) => r.token !== 'ok' && r.token !== 'not-needed')).toEqual([]);
    expect(all.filter((r) => r.token === 'ok').length).toBeGreaterThanOrEqual(4);
    expect(targets.tel.requests).toContainEqual(
      expect.objectContaining({ via: 'odoh', qname: UK_QNAME, qtype: 'MSPMAP', token: 'ok' }),
    );
  });

  it('only the root bootstrap went direct; the DPs never saw the client, only the relay', () => {
    expect(asked(targets.root, 'doh').sort()).toEqual([...BOOTSTRAP].sort());
    expect(asked(targets.tel, 'doh')).toEqual([]);
    expect(asked(targets.mail, 'doh')).toEqual([]);
    for (const request of Object.values(targets).flatMap((t) => t.requests.filter((r) => r.via === 'odoh'))) {
      const names = Object.keys(request.headers).filter((name) => !name.startsWith(':'));
      expect(names.sort()).toEqual(['accept', 'content-length', 'content-type']);
    }
  });

  it('with warm caches a new CSI costs one relayed query and one token, at its DP', async () => {
    const marks = Object.values(targets).map((t) => t.requests.length);
    expect((await resolver.resolve(UK_OPTED_OUT)).status).toBe('opted-out');
    const fresh = Object.values(targets).flatMap((t, i) => t.requests.slice(marks[i]));
    expect(fresh).toEqual([
      expect.objectContaining({ via: 'odoh', qname: '4.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.', token: 'ok' }),
    ]);
  });

  it('a token made for another issuer name is refused, retried once, then unreachable with its reason', async () => {
    // The same issuer reached as `localhost`: its tokens name another challenge (token-invalid).
    const other = loadClientConfig(configFile);
    const wrong = createResolver({
      ...other,
      issuer: issuer.url.replace('127.0.0.1', 'localhost'),
      tokenPool: 0,
    });
    const mark = targets.root.requests.length;
    const result = await wrong.resolve(UK);
    await wrong.close();
    expect(result.status).toBe('unreachable');
    expect(result.reason).toMatch(/^token-invalid: .*refused again with a fresh token$/);
    const refused = targets.root.requests.slice(mark).filter((r) => r.token === 'token-invalid');
    expect(refused).toHaveLength(2);
  });
});

describe('mimi resolve', () => {
  it('--trace shows the relay hop, the token spent at each DP and where each ODoH config came from', async () => {
    assertBuilt();
    const out = await mimi(['resolve', UK, '--trace'], dir);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const relayed = out.stdout.split('\n').filter((line) => line.includes(`via ${relay.url}`));
    expect(relayed.some((line) => line.includes(`${UK_QNAME} MSPMAP @tel.nic.mimi.arpa`))).toBe(true);
    expect(relayed.filter((line) => /token [0-9a-f]{8} -> /.test(line)).length).toBeGreaterThanOrEqual(4);
    expect(out.stdout).toMatch(
      /odoh +root\.nic\.mimi\.arpa key [0-9a-f]{8}, from _odoh\.root\.nic\.mimi\.arpa\. asked directly/,
    );
    expect(out.stdout).toMatch(
      /odoh +tel\.nic\.mimi\.arpa key [0-9a-f]{8}, from _odoh\.tel\.nic\.mimi\.arpa\. via the relay/,
    );
    expect(out.stdout).toMatch(/result +found/);
  });

  it('--direct bypasses the relay: the DP sees DoH from the client, with a token', async () => {
    const mark = targets.tel.requests.length;
    const out = await mimi(['resolve', UK, '--direct', '--json'], dir);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).status).toBe('found');
    const fresh = targets.tel.requests.slice(mark);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((r) => r.via === 'doh')).toBe(true);
    expect(fresh).toContainEqual(expect.objectContaining({ qname: UK_QNAME, token: 'ok' }));
  });
});
