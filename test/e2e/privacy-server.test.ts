/**
 * Privacy on the server side, end to end (DESIGN §1 R6, R8; §7): a test network whose
 * servers run as the built binaries on 127.0.0.1 — the root and the `tel` DP both with
 * `--odoh-keys` and `--require-token --token-issuer URL --token-ca FILE` — and a running
 * token issuer (mimi-issuer, in-process, with an injected clock so epochs can be
 * advanced).
 *
 * - RFC 9230 target: the `odoh configs` start-up line, `/.well-known/odohconfigs`, a
 *   round trip with the @mimi/odoh client whose answers validate (DNSSEC from the DS the
 *   DP logged), 401 for an unknown key id, 400 for malformed messages;
 * - tokens: REFUSED + EDE 18 + EXTRA-TEXT for a missing, forged, replayed and old-epoch
 *   token; a fresh one answers, over DoH and ODoH; apex, `nic.` and `csip.` names and
 *   Do53 need none; a cached answer is still checked;
 * - RFC 8467: padded DoH queries get responses padded to 468 octets.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519 } from '@mimi/crypto';
import { parseTrustAnchor, validateDnskeyRrset, validateRrset, type ZoneKeys } from '@mimi/dnssec';
import { type RunningIssuer, startIssuer, UserRegistry, writeUsersFile } from '@mimi/issuer';
import { decodeConfigs, decryptResponse, encryptQuery, generateTargetKey, selectConfig } from '@mimi/odoh';
import {
  buildEdns,
  csiOwnerName,
  type DnsMessage,
  decodeMessage,
  type EdnsOption,
  EdnsOptionCode,
  encodeMessage,
  NO_FLAGS,
  normalizeCsi,
  paddingOption,
  parseExtendedError,
  RRType,
  signAttestation,
  signMapping,
  tokenOption,
} from '@mimi/protocol';
import {
  DEFAULT_AUTHORITATIVES,
  httpsRequest,
  postObject,
  selfSignedCertificate,
  startTestNetwork,
  type TestNetwork,
  type TestServer,
  udpExchange,
} from '@mimi/test-support';
import { TokenClient } from '@mimi/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SETUP_TIMEOUT_MS = 120_000;
const API_KEY = 'privacy-e2e-api-key-0123456789';
/** Short epochs (the issuer's minimum is 10 s); the clock below moves only when told. */
const EPOCH_SECONDS = 60;
const CSI = '+447700900123';
const QNAME = csiOwnerName(normalizeCsi(CSI), 'mimi.arpa.');
const ODOH_TYPE = 'application/oblivious-dns-message';

let dir: string;
let net: TestNetwork;
let tel: TestServer;
let issuer: RunningIssuer;
let issuerCa: string;
/** The issuer's clock: three epochs behind the real one, so every key's not-before has passed. */
let issuerNow = (Math.floor(Date.now() / 1000 / EPOCH_SECONDS) - 3) * EPOCH_SECONDS * 1000 + 5000;
let tokens: TokenClient;
let published: Uint8Array;

/** A self-signed certificate for 127.0.0.1 (the issuer's; the DPs get it as --token-ca). */
function issuerCertificate(where: string): { cert: string; key: string } {
  const { certFile, keyFile } = selfSignedCertificate(where, { name: 'issuer', ips: ['127.0.0.1'] });
  return { cert: certFile, key: keyFile };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mimi-privacy-'));
  const tls = issuerCertificate(dir);
  issuerCa = readFileSync(tls.cert, 'utf8');
  const usersFile = join(dir, 'users.json');
  await writeUsersFile(usersFile, [{ id: 'demo', apiKey: API_KEY }]);
  issuer = await startIssuer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) },
    stateDir: join(dir, 'issuer'),
    users: await UserRegistry.load(usersFile),
    quota: 1000,
    epochSeconds: EPOCH_SECONDS,
    now: () => issuerNow,
  });
  const privacy = (name: string) => [
    '--require-token',
    '--token-issuer',
    issuer.url,
    '--token-ca',
    tls.cert,
    '--odoh-keys',
    join(dir, `${name}-odoh.json`),
  ];
  net = await startTestNetwork({
    dir: join(dir, 'net'),
    authoritatives: [{ ...DEFAULT_AUTHORITATIVES[0]!, args: privacy('tel') }],
    rootArgs: privacy('root'),
  });
  tel = net.authoritative('tel');
  tokens = new TokenClient({ issuerUrl: issuer.url, issuerAuth: API_KEY, ca: issuerCa, poolSize: 0 });

  // One mapping to look up (the DP fetches the CSIP key from the root: csip. needs no token).
  const csip = net.csips.get('uk-carrier')!;
  const alice = generateEd25519();
  const now = Math.floor(Date.now() / 1000);
  const att = signAttestation(
    { v: 1, csi: CSI, rk: alice.publicKey, csip: csip.id, epoch: 1, iat: now - 60, exp: now + 86_400 },
    csip.privateKey,
  ).object;
  published = signMapping(
    {
      v: 1,
      csi: CSI,
      id: 'personal',
      serial: Date.now(),
      iat: now - 60,
      exp: now + 86_400,
      msps: [{ msp: 'signal.example', pri: 10, tags: ['Personal'] }],
      att,
    },
    alice.privateKey,
  ).bytes;
  const accepted = await postObject(tel.api, 'mappings', published, net.ca);
  expect(accepted.status).toBe(200);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await tokens?.close();
  await net?.stop();
  await issuer?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- clients

interface Ask {
  readonly token?: Uint8Array;
  readonly padded?: boolean;
  readonly id?: number;
}

function query(name: string, type: number, ask: Ask = {}): Uint8Array {
  const options: EdnsOption[] = [];
  if (ask.token !== undefined) options.push(tokenOption(ask.token));
  if (ask.padded) options.push(paddingOption(16));
  return encodeMessage({
    id: ask.id ?? 0,
    flags: NO_FLAGS,
    questions: [{ name, type, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: buildEdns({ do: true, options }),
  });
}

async function doh(server: TestServer, name: string, type: number, ask: Ask = {}) {
  const response = await httpsRequest(server.doh, {
    method: 'POST',
    headers: { 'content-type': 'application/dns-message', accept: 'application/dns-message' },
    body: query(name, type, ask),
    ca: net.ca,
  });
  expect(response.status).toBe(200);
  return { bytes: response.body, message: decodeMessage(response.body) };
}

function configsOf(server: TestServer): Uint8Array {
  const line = server.process.lines.find((entry) => entry.msg === 'odoh configs')!;
  return new Uint8Array(Buffer.from(line.configs as string, 'base64url'));
}

async function postOdoh(server: TestServer, body: Uint8Array) {
  return httpsRequest(server.doh, {
    method: 'POST',
    headers: { 'content-type': ODOH_TYPE, accept: ODOH_TYPE },
    body,
    ca: net.ca,
  });
}

async function odoh(server: TestServer, name: string, type: number, ask: Ask = {}): Promise<DnsMessage> {
  const sealed = encryptQuery(selectConfig(decodeConfigs(configsOf(server))), query(name, type, ask));
  const response = await postOdoh(server, sealed.request);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe(ODOH_TYPE);
  return decodeMessage(decryptResponse(sealed.context, response.body));
}

/** The refusal's EDE, after checking it is REFUSED with exactly one EDE of INFO-CODE 18. */
function refusalText(message: DnsMessage): string {
  expect(message.flags.rcode).toBe(5);
  expect(message.answers).toEqual([]);
  const edes = message.edns!.options.filter((option) => option.code === EdnsOptionCode.EXTENDED_ERROR);
  expect(edes).toHaveLength(1);
  const { infoCode, extraText } = parseExtendedError(edes[0]!);
  expect(infoCode).toBe(18);
  return extraText;
}

const token = () => tokens.token();
const ofType = (message: DnsMessage, type: number) => message.answers.filter((r) => r.type === type);

/** The zone keys of 4.4.e164, validated against the DS line the DP logged at start. */
async function telKeys(): Promise<ZoneKeys> {
  const zone = '4.4.e164.mimi.arpa.';
  const ds = tel.process.lines.find((line) => line.msg === 'zone key' && line.zone === zone)!.ds as string;
  const answer = await odoh(tel, zone, RRType.DNSKEY);
  const result = validateDnskeyRrset(
    zone,
    parseTrustAnchor(ds),
    ofType(answer, RRType.DNSKEY),
    ofType(answer, RRType.RRSIG),
    Math.floor(Date.now() / 1000),
  );
  expect(result.status).toBe('secure');
  return (result as { keys: ZoneKeys }).keys;
}

// ---------------------------------------------------------------- ODoH target

describe('ODoH target (RFC 9230)', () => {
  it.each(['root', 'tel'])('%s logs its ODoHConfigs at start and serves the same bytes', async (name) => {
    const server = name === 'root' ? net.root : tel;
    const line = server.process.lines.find((entry) => entry.msg === 'odoh configs')!;
    expect(line).toMatchObject({
      ttl: 10_800,
      rotated: false,
      keyId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const served = await httpsRequest(new URL('/.well-known/odohconfigs', server.doh).href, { ca: net.ca });
    expect(served.status).toBe(200);
    expect(new Uint8Array(served.body)).toEqual(configsOf(server));
    expect(decodeConfigs(served.body)).toHaveLength(1);
  });

  it('answers a sealed query whose answer validates: DNSKEY from the DS, then the mapping', async () => {
    const keys = await telKeys();
    const answer = await odoh(tel, QNAME, RRType.MSPMAP, { token: await token() });
    const mspmap = ofType(answer, RRType.MSPMAP);
    expect(mspmap.map((record) => new Uint8Array(record.rdata))).toEqual([published]);
    const result = validateRrset(mspmap, ofType(answer, RRType.RRSIG), keys, Math.floor(Date.now() / 1000));
    expect(result.status).toBe('secure');
  });

  it('answers 401 for an unknown key id and 400 for a malformed message', async () => {
    const stranger = encryptQuery(generateTargetKey().config, query(QNAME, RRType.MSPMAP));
    const unknown = await postOdoh(tel, stranger.request);
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.body.toString()).error.code).toBe('odoh-unknown-key');
    const malformed = await postOdoh(tel, Uint8Array.of(0x01, 0x00));
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body.toString()).error.code).toBe('odoh-malformed');
  });
});

// ---------------------------------------------------------------- tokens

describe('tokens (DESIGN §7)', () => {
  it('refuses a CSI lookup without a token, over DoH and ODoH: REFUSED, EDE 18, token-missing', async () => {
    const viaDoh = (await doh(tel, QNAME, RRType.MSPMAP)).message;
    expect(refusalText(viaDoh)).toBe('token-missing: query carries no token (edns option 65001)');
    expect(refusalText(await odoh(tel, QNAME, RRType.MSPMAP))).toMatch(/^token-missing: /);
  });

  it('answers a fresh token once, then refuses it as token-replayed', async () => {
    const fresh = await token();
    expect(
      ofType((await doh(tel, QNAME, RRType.MSPMAP, { token: fresh })).message, RRType.MSPMAP),
    ).toHaveLength(1);
    const again = (await doh(tel, QNAME, RRType.MSPMAP, { token: fresh })).message;
    expect(refusalText(again)).toBe('token-replayed: token already spent at this server');
  });

  it('refuses a forged token (authenticator altered) as token-invalid', async () => {
    const forged = (await token()).slice();
    forged[200] = forged[200]! ^ 0x01;
    const message = (await doh(tel, QNAME, RRType.MSPMAP, { token: forged })).message;
    expect(refusalText(message)).toBe('token-invalid: token signature does not verify under the issuer key');
  });

  it('a token is good once per DP: spent at the root, it still works at tel', async () => {
    // At the root too, a name in e164. below its apex (a step toward a CSI) needs one.
    expect(refusalText((await doh(net.root, 'e164.mimi.arpa.', RRType.NS)).message)).toMatch(
      /^token-missing: /,
    );
    const shared = await token();
    expect((await doh(net.root, 'e164.mimi.arpa.', RRType.NS, { token: shared })).message.flags.rcode).toBe(
      0,
    );
    expect((await doh(tel, QNAME, RRType.MSPMAP, { token: shared })).message.flags.rcode).toBe(0);
  });

  it.each<[string, () => TestServer, string, number]>([
    ['the zone apex SOA', () => tel, '4.4.e164.mimi.arpa.', RRType.SOA],
    ['the zone apex DNSKEY', () => tel, '4.4.e164.mimi.arpa.', RRType.DNSKEY],
    ['the apex of the network', () => net.root, 'mimi.arpa.', RRType.DNSKEY],
    ['a server name under nic.', () => net.root, 'tel.nic.mimi.arpa.', RRType.A],
    ['a CSIP key under csip.', () => net.root, 'uk-carrier.csip.mimi.arpa.', RRType.CSIPKEY],
  ])('answers %s without a token', async (_what, server, name, type) => {
    const { message } = await doh(server(), name, type);
    expect(message.flags.rcode).toBe(0);
    expect(ofType(message, type).length).toBeGreaterThan(0);
  });

  it('answers Do53 without a token (never token-checked)', async () => {
    const answer = decodeMessage((await udpExchange(tel.do53!, query(QNAME, RRType.MSPMAP)))!);
    expect(answer.flags.rcode).toBe(0);
    expect(ofType(answer, RRType.MSPMAP).map((record) => new Uint8Array(record.rdata))).toEqual([published]);
  });

  it('checks the token before a cached answer goes out', async () => {
    const hits = async () => {
      const text = (await httpsRequest(new URL('/metrics', tel.doh).href, { ca: net.ca })).body.toString();
      return Number(/^mimi_answer_cache_hits_total (\d+)$/m.exec(text)![1]);
    };
    await doh(tel, QNAME, RRType.MSPMAP, { token: await token() });
    const before = await hits();
    expect(refusalText((await doh(tel, QNAME, RRType.MSPMAP)).message)).toMatch(/^token-missing: /);
    const answered = (await doh(tel, QNAME, RRType.MSPMAP, { token: await token() })).message;
    expect(ofType(answered, RRType.MSPMAP)).toHaveLength(1);
    // The second token-bearing query was a cache hit; the refusal in between never reached the cache.
    expect((await hits()) - before).toBe(1);
  });

  it('refuses a token of an epoch older than the previous one as token-expired-epoch', async () => {
    const old = await token();
    issuerNow += 2 * EPOCH_SECONDS * 1000;
    const later = new TokenClient({ issuerUrl: issuer.url, issuerAuth: API_KEY, ca: issuerCa, poolSize: 0 });
    try {
      // The DP learns the new key from the issuer's directory (an unknown key id makes it
      // refetch); once a new-epoch token is accepted it has the new directory.
      const fresh = await later.token();
      let accepted = false;
      for (let attempt = 0; attempt < 50 && !accepted; attempt++) {
        const message = (await doh(tel, QNAME, RRType.MSPMAP, { token: fresh })).message;
        accepted = message.flags.rcode === 0;
        if (!accepted) {
          // Refused tokens are not spent: the same one is tried again after the refetch.
          expect(refusalText(message)).toMatch(/^token-unknown-key: /);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(accepted).toBe(true);
      const expired = (await doh(tel, QNAME, RRType.MSPMAP, { token: old })).message;
      expect(refusalText(expired)).toMatch(
        /^token-expired-epoch: token key [0-9a-f]{16} belongs to an expired epoch$/,
      );
    } finally {
      await later.close();
    }
  });
});

// ---------------------------------------------------------------- padding

describe('RFC 8467 padding', () => {
  it('pads the answer to a padded DoH query to a multiple of 468 octets, refusals too', async () => {
    const answered = await doh(tel, QNAME, RRType.MSPMAP, { token: await token(), padded: true });
    expect(answered.bytes.length % 468).toBe(0);
    expect(answered.message.edns!.options.some((o) => o.code === EdnsOptionCode.PADDING)).toBe(true);
    const refused = await doh(tel, QNAME, RRType.MSPMAP, { padded: true });
    expect(refused.bytes.length % 468).toBe(0);
    expect(refusalText(refused.message)).toMatch(/^token-missing: /);
  });

  it('does not pad the answer to an unpadded query', async () => {
    const plain = await doh(tel, '4.4.e164.mimi.arpa.', RRType.SOA);
    expect(plain.message.edns!.options.some((o) => o.code === EdnsOptionCode.PADDING)).toBe(false);
  });
});
