/**
 * Privacy of the whole network, end to end (DESIGN §1 R6, R8; §7; §9): the demo network
 * from the one launcher with its privacy layer on — `mimi-relay`, `mimi-issuer`, every
 * server an ODoH target, the authoritative DPs with `--require-token` — and the servers at
 * `--log-level debug`, the level at which server-core logs each query (transport, client
 * address, qname). The `mimi` CLI resolves with the demo's client.json, through the relay
 * with tokens.
 *
 * To see what the relay sees, a capturing HTTPS proxy (test-support) stands in front of it
 * as the client: it records every request and response body the relay handles, and it
 * reaches the relay from 127.0.0.2, an address of the client's own, while the relay reaches
 * the DPs from 127.0.0.1. With the DPs' ODoH key rings (in the state directory) the test
 * opens the captured queries to prove what they carried.
 *
 * Checked: every seed gets its §9 status through relay + tokens; the relay's bodies and log
 * lines hold neither the CSI (digits, owner name, hashed local part) nor the answer; the
 * same query twice is two different ciphertexts with two different tokens; the DP logs the
 * CSI name with only the relay's address, the root never the full name; `--trace` shows the
 * relay hop and the tokens, `--direct` still works (tokens over DoH); a DoH query without a
 * token is REFUSED with EDE 18, while Do53 answers it; the relay logged the client's address
 * (only when limiting it) and never on a line that names a target.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_LAYOUT,
  ensureCertificateAuthority,
  ensureServerCertificate,
  type LogLine,
  type NetworkLayout,
  type RunningNetwork,
  SEEDS,
  startNetwork,
} from '@mimi/demo';
import { openQuery, readKeyRingFile } from '@mimi/odoh';
import {
  buildEdns,
  csiOwnerName,
  type DnsMessage,
  decodeMessage,
  EdnsOptionCode,
  encodeMessage,
  NO_FLAGS,
  nameToWire,
  normalizeCsi,
  parseExtendedError,
  RRType,
} from '@mimi/protocol';
import {
  type CapturingProxy,
  dohQuery,
  networkTokens,
  startCapturingProxy,
  udpExchange,
} from '@mimi/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, mimi, REPO_ROOT, resolveJson } from './helpers/cli.js';

/** Generous: five processes start, and CLI runs share two cores with other test files. */
const SETUP_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 120_000;
/** The client's own address toward the relay; the relay reaches the DPs from 127.0.0.1. */
const CLIENT_ADDRESS = '127.0.0.2';
const RELAY_ADDRESS = '127.0.0.1';
const UK = '+447700900123';
const owner = (csi: string) => csiOwnerName(normalizeCsi(csi), 'mimi.arpa.');
const UK_OWNER = owner(UK);
const ALICE_OWNER = owner('alice@example.com');
/** What must never show at the relay: the CSIs in every form, and answers' contents. */
const SECRETS = [
  '7700900123',
  '4155550100',
  '3.2.1.0.0.9.0.0.7.7',
  'alice',
  ALICE_OWNER.split('.')[0]!,
  'whatsapp.example',
  'signal.example',
  'teams.example',
];

let dir: string;
let network: RunningNetwork;
let proxy: CapturingProxy;
/** client.json with the relay URL pointing at the capturing proxy. */
let proxiedConfig: string;

/**
 * The demo layout with every server logging its queries (debug), and a relay that refills
 * a client's bucket slowly (5/s; the burst of 200 covers every lookup here), so that the
 * last test can exhaust it however busy the machine is.
 */
function debugLayout(): NetworkLayout {
  return {
    ...DEMO_LAYOUT,
    privacy: { ...DEMO_LAYOUT.privacy!, relayArgs: ['--rate', '5', '--burst', '200'] },
    servers: DEMO_LAYOUT.servers.map((server) => ({
      ...server,
      args: [...(server.args ?? []), '--log-level', 'debug'],
    })),
  };
}

const server = (name: string) => network.servers.find((s) => s.name === name)!;
const processOf = (name: string) => network.processes.find((p) => p.name === name)!;
const targetOf = (path: string) => new URL(path, 'https://x').searchParams.get('targethost');

interface OpenedCapture {
  readonly body: Buffer;
  readonly question: string;
  readonly token: Buffer | undefined;
}

/** The captured queries the relay forwarded to `host`, opened with that server's key ring. */
async function openedQueriesTo(host: string, name: string): Promise<OpenedCapture[]> {
  const ring = await readKeyRingFile(network.paths.odohKeys(name));
  return proxy.exchanges
    .filter((exchange) => targetOf(exchange.path) === host)
    .map((exchange) => {
      const query = decodeMessage(openQuery(ring, exchange.requestBody).query);
      const token = query.edns?.options.find((option) => option.code === EdnsOptionCode.MIMI_TOKEN);
      const question = query.questions[0]!;
      return {
        body: exchange.requestBody,
        question: `${question.name} ${question.type}`,
        token: token === undefined ? undefined : Buffer.from(token.data),
      };
    });
}

function query(name: string, type: number): Uint8Array {
  return encodeMessage({
    id: 7,
    flags: NO_FLAGS,
    questions: [{ name, type, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: buildEdns({ do: true }),
  });
}

const mspmaps = (message: DnsMessage) => message.answers.filter((record) => record.type === RRType.MSPMAP);

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'mimi-privacy-network-'));
  network = await startNetwork({ stateDir: join(dir, '.mimi'), repoRoot: REPO_ROOT, layout: debugLayout() });
  const { paths } = network;
  const ca = await ensureCertificateAuthority(paths.tls);
  const tls = await ensureServerCertificate(paths.tls, ca, 'capture.localhost');
  proxy = await startCapturingProxy({
    upstream: new URL(network.privacy!.relay.url).origin,
    ca: readFileSync(ca.cert),
    tls: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) },
    localAddress: CLIENT_ADDRESS,
  });
  const client = JSON.parse(readFileSync(paths.clientJson, 'utf8')) as Record<string, unknown>;
  proxiedConfig = join(dir, 'proxied-client.json');
  writeFileSync(proxiedConfig, JSON.stringify({ ...client, relay: `${proxy.origin}/proxy` }), {
    mode: 0o600,
  });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await proxy?.close();
  await network?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}, SETUP_TIMEOUT_MS);

describe('the demo network with its privacy layer', () => {
  it(
    'resolves every seed through the relay with tokens, each with its DESIGN §9 status',
    async () => {
      const results = await resolveJson(
        SEEDS.map((seed) => seed.csi),
        dir,
        ['--config', proxiedConfig],
      );
      expect(results.map((result) => [result.csi, result.status])).toEqual(
        SEEDS.map((seed) => [normalizeCsi(seed.csi).csi, seed.expected]),
      );
      expect(results[0]!.mappings[0]!.msps.map((m) => [m.msp, m.pri, m.tags])).toEqual([
        ['whatsapp.example', 10, ['Personal']],
        ['wire.example', 20, ['Business']],
      ]);
      expect(results[2]!.mappings.map((m) => m.id)).toEqual(['personal', 'work']);
      // Everything after the root bootstrap went through the relay, to the three servers.
      const targets = new Set(proxy.exchanges.map((exchange) => targetOf(exchange.path)));
      expect([...targets].sort()).toEqual(['mail.nic.mimi.arpa', 'root.nic.mimi.arpa', 'tel.nic.mimi.arpa']);
      for (const exchange of proxy.exchanges) {
        expect([exchange.method, exchange.status]).toEqual(['POST', 200]);
        expect(exchange.path).toMatch(/^\/proxy\?targethost=[a-z.]+&targetpath=%2Fdns-query$/);
      }
      // The DP was asked for the CSI's name, sealed, with a token inside.
      const tel = await openedQueriesTo('tel.nic.mimi.arpa', 'tel');
      const asked = tel.filter((opened) => opened.question === `${UK_OWNER} ${RRType.MSPMAP}`);
      expect(asked).toHaveLength(1);
      expect(asked[0]!.token).toHaveLength(354);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'sends the same query twice as two different ciphertexts with two different tokens',
    async () => {
      const [again] = await resolveJson([UK], dir, ['--config', proxiedConfig]);
      expect(again!.status).toBe('found');
      const asked = (await openedQueriesTo('tel.nic.mimi.arpa', 'tel')).filter(
        (opened) => opened.question === `${UK_OWNER} ${RRType.MSPMAP}`,
      );
      expect(asked).toHaveLength(2);
      const [first, second] = asked as [OpenedCapture, OpenedCapture];
      expect(first.body.equals(second.body)).toBe(false);
      // Padding (RFC 9230 §6.1, 128-octet blocks) makes them the same size all the same.
      expect(first.body.length).toBe(second.body.length);
      expect(first.token!.equals(second.token!)).toBe(false);
    },
    STEP_TIMEOUT_MS,
  );

  it('shows the relay neither the CSI nor the answer, in its bodies or its logs', () => {
    const ownerWire = Buffer.from(nameToWire(UK_OWNER));
    for (const exchange of proxy.exchanges) {
      for (const body of [exchange.requestBody, exchange.responseBody]) {
        expect(body.includes(ownerWire)).toBe(false);
        for (const secret of SECRETS) expect(body.includes(Buffer.from(secret))).toBe(false);
      }
    }
    const relayLines = processOf('relay').lines;
    expect(relayLines.filter((line) => line.event === 'forwarded').length).toBeGreaterThan(0);
    for (const line of relayLines) {
      const text = JSON.stringify(line);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      expect(text).not.toContain('mimi.arpa.');
      expect(text).not.toContain(network.privacy!.issuerAuth);
    }
  });

  it('lets the DP see the CSI name but only the relay address, and the root never the full name', () => {
    const queries = (name: string) =>
      processOf(name).lines.filter((line: LogLine) => line.msg === 'query' && line.transport === 'odoh');
    const tel = queries('tel');
    expect(tel.some((line) => line.qname === UK_OWNER)).toBe(true);
    expect(queries('mail').some((line) => line.qname === ALICE_OWNER)).toBe(true);
    for (const name of ['root', 'tel', 'mail']) {
      expect(queries(name).length).toBeGreaterThan(0);
      for (const line of queries(name)) expect(line.client).toBe(RELAY_ADDRESS);
      for (const line of processOf(name).lines) {
        const text = JSON.stringify(line);
        expect(text).not.toContain(CLIENT_ADDRESS);
        expect(text).not.toContain(network.privacy!.issuerAuth);
      }
    }
    // QNAME minimisation (RFC 9156): the root learned the country code, not the number.
    expect(queries('root').some((line) => line.qname === '4.4.e164.mimi.arpa.')).toBe(true);
    expect(queries('root').some((line) => line.qname === UK_OWNER)).toBe(false);
  });

  it(
    'draws the relay hop and the token spent at each DP in --trace, with the demo client.json',
    async () => {
      const run = await mimi(['resolve', '+14155550100', '--trace'], dir);
      expect(run.code).toBe(0);
      const relay = network.privacy!.relay.url;
      const line = run.stdout
        .split('\n')
        .find((text) => text.includes(`${owner('+14155550100')} MSPMAP @tel.nic.mimi.arpa`));
      expect(line).toContain(` via ${relay} token `);
      expect(line).toMatch(/ token [0-9a-f]{8} -> answer /);
      // The root's minimised steps toward the number carry tokens too; the bootstrap none.
      expect(run.stdout).toMatch(/ 1\.e164\.mimi\.arpa\. NS @\S+ via \S+ token [0-9a-f]{8} -> referral/);
      expect(run.stdout).toMatch(/mimi\.arpa\. DNSKEY @https:\/\/127\.0\.0\.1:\d+\/dns-query -> answer/);
      expect(run.stdout).toContain('+14155550100  found  2 verified mappings');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'still resolves with --direct: no relay, tokens over DoH',
    async () => {
      const run = await mimi(['resolve', 'alice@example.com', '--direct', '--trace'], dir);
      expect(run.code).toBe(0);
      const line = run.stdout.split('\n').find((text) => text.includes(`${ALICE_OWNER} MSPMAP`))!;
      expect(line).toMatch(/ token [0-9a-f]{8} -> answer/);
      expect(line).not.toContain(' via ');
      const direct = processOf('mail').lines.filter(
        (entry) => entry.msg === 'query' && entry.transport === 'doh' && entry.qname === ALICE_OWNER,
      );
      expect(direct.length).toBeGreaterThan(0);
      for (const entry of direct) expect(entry.client).toBe('127.0.0.1');
    },
    STEP_TIMEOUT_MS,
  );

  it('refuses a DoH lookup without a token (REFUSED, EDE 18) and answers one with a token; Do53 needs none', async () => {
    const ca = readFileSync(network.network.ca, 'utf8');
    const refused = await dohQuery(server('tel').doh, ca, { name: UK_OWNER, type: RRType.MSPMAP });
    expect(refused.flags.rcode).toBe(5);
    expect(mspmaps(refused)).toEqual([]);
    const edes = refused.edns!.options.filter((option) => option.code === EdnsOptionCode.EXTENDED_ERROR);
    expect(edes.map((option) => parseExtendedError(option))).toEqual([
      { infoCode: 18, extraText: expect.stringMatching(/^token-missing: /) },
    ]);

    // With a token of the demo user's it answers.
    const tokens = networkTokens(network.privacy!, ca);
    try {
      const token = await tokens.token();
      const allowed = await dohQuery(server('tel').doh, ca, { name: UK_OWNER, type: RRType.MSPMAP, token });
      expect(allowed.flags.rcode).toBe(0);
      expect(mspmaps(allowed)).toHaveLength(1);
    } finally {
      await tokens.close();
    }

    const plain = await udpExchange(server('tel').do53, query(UK_OWNER, RRType.MSPMAP));
    expect(plain).not.toBeNull();
    const answered = decodeMessage(plain!);
    expect(answered.flags.rcode).toBe(0);
    expect(mspmaps(answered)).toHaveLength(1);
  });

  it(
    'logged the client address at the relay, and never on a line naming a target',
    async () => {
      // The relay names a client only when it limits it: fill the client's bucket.
      const session = connect(proxy.origin, { ca: readFileSync(network.network.ca) });
      session.on('error', () => {});
      let limited = false;
      try {
        for (let round = 0; round < 40 && !limited; round++) {
          const statuses = await Promise.all(
            Array.from(
              { length: 25 },
              () =>
                new Promise<number>((resolve) => {
                  const stream = session.request({ ':method': 'GET', ':path': '/proxy' });
                  stream.on('response', (headers) => resolve(Number(headers[':status'])));
                  stream.on('error', () => resolve(0));
                  stream.resume();
                  stream.end();
                }),
            ),
          );
          limited = statuses.includes(429);
        }
      } finally {
        session.close();
      }
      expect(limited).toBe(true);
      const relay = processOf('relay');
      const line = await relay.waitForLog((entry) => entry.event === 'rate-limited', 10_000);
      expect(line.client).toBe(CLIENT_ADDRESS);
      for (const entry of relay.lines) {
        expect(entry.client !== undefined && entry.target !== undefined).toBe(false);
        if (entry.client !== undefined) expect(entry.client).toBe(CLIENT_ADDRESS);
      }
    },
    STEP_TIMEOUT_MS,
  );
});
