/**
 * The token check of DESIGN §7 as a pipeline hook, with the real `TokenVerifier`
 * (pinned directory, injected clock) and real tokens: which queries need one (DoH and
 * ODoH, CSI subtree, strictly below the zone apex), the REFUSED + Extended DNS Error
 * (RFC 8914 §4.19, INFO-CODE 18) with EXTRA-TEXT for each refusal code, a check before
 * every cached answer, no cached refusal, and no token in the cache key.
 */
import { EdnsOptionCode, isInCsiSubtree, parseExtendedError, RRType, tokenOption } from '@mimi/protocol';
import { TokenVerifier } from '@mimi/tokens';
import { Registry } from 'prom-client';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueryContext } from '../src/hooks.js';
import { type HandleOptions, QueryPipeline } from '../src/pipeline.js';
import { readQuery } from '../src/query-reader.js';
import { csiSubtrees, needsToken, tokenHook } from '../src/token-hook.js';
import { ZoneSet } from '../src/zone-set.js';
import { decode, makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine } from './fake-engine.js';
import { directoryOf, flip, mintToken, type SigningKey, signingKey } from './token-fixture.js';

const ISSUER = 'https://issuer.test:8445';
const ISSUER_NAME = 'issuer.test:8445';
const HOUR = 3600;
/** Epoch start (2026-01-01T00:00:00Z); the verifier's clock is a minute into it. */
const E = 1_767_225_600;
const ZONES = ['mimi.arpa.', 'csip.mimi.arpa.', '4.4.e164.mimi.arpa.', 'example.com.email.mimi.arpa.'];
const CSI_NAME = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
const EMAIL_NAME = '2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db.example.com.email.mimi.arpa.';

const doh = (client = '192.0.2.1'): HandleOptions => ({ transport: 'doh', client, maxResponseSize: 65535 });
const TRANSPORTS: Record<string, HandleOptions> = {
  doh: doh(),
  odoh: { transport: 'odoh', client: '192.0.2.9', maxResponseSize: 65535 },
  udp: { transport: 'udp', client: '192.0.2.1', maxResponseSize: 1232 },
  tcp: { transport: 'tcp', client: '192.0.2.1', maxResponseSize: 65535 },
};

let current: SigningKey;
let previous: SigningKey;
let older: SigningKey;
let stranger: SigningKey;
const mint = (key: SigningKey = current) => mintToken(key, ISSUER_NAME);

beforeAll(() => {
  current = signingKey(E);
  previous = signingKey(E - HOUR);
  older = signingKey(E - 2 * HOUR);
  stranger = signingKey(E);
});

describe('which queries need a token', () => {
  const zones = new ZoneSet(ZONES);
  const subtrees = csiSubtrees('mimi.arpa.');
  const context = (name: string, transport: string): QueryContext => {
    const bytes = makeQuery({ name, type: RRType.MSPMAP, edns: {} });
    return {
      transport: TRANSPORTS[transport]!.transport,
      client: 'x',
      bytes,
      query: readQuery(bytes),
      zones,
    };
  };

  it.each<[string, string, boolean]>([
    [CSI_NAME, 'doh', true],
    [CSI_NAME, 'odoh', true],
    [CSI_NAME, 'udp', false],
    [CSI_NAME, 'tcp', false],
    [EMAIL_NAME, 'doh', true],
    ['3.2.1.0.0.9.0.0.7.7.4.4.E164.MIMI.ARPA.', 'doh', true],
    ['e164.mimi.arpa.', 'doh', true],
    ['4.e164.mimi.arpa.', 'odoh', true],
    ['email.mimi.arpa.', 'doh', true],
    ['example.com.email.mimi.arpa.', 'doh', false],
    ['4.4.e164.mimi.arpa.', 'doh', false],
    ['4.4.E164.mimi.arpa.', 'odoh', false],
    ['mimi.arpa.', 'doh', false],
    ['uk-carrier.csip.mimi.arpa.', 'doh', false],
    ['tel.nic.mimi.arpa.', 'doh', false],
    ['_odoh.tel.nic.mimi.arpa.', 'odoh', false],
    ['e164x.mimi.arpa.', 'doh', false],
    ['ab\\004e164.mimi.arpa.', 'doh', false],
    ['1.e164.example.', 'doh', false],
    ['e164.mimi.arpa.example.', 'doh', false],
  ])('%s over %s: %s', (name, transport, expected) => {
    expect(needsToken(context(name, transport), subtrees)).toBe(expected);
  });

  it.each([
    CSI_NAME,
    EMAIL_NAME,
    'e164.mimi.arpa.',
    'email.mimi.arpa.',
    'mimi.arpa.',
    'nic.mimi.arpa.',
    'x.csip.mimi.arpa.',
    'e164x.mimi.arpa.',
    'ab\\004e164.mimi.arpa.',
    'xe164.mimi.arpa.',
    'e164.arpa.',
    'email.other.arpa.',
  ])('the wire-form subtree test agrees with isInCsiSubtree for %s', (name) => {
    const query = readQuery(makeQuery({ name, type: RRType.A }));
    const nameKey = query.key.slice(0, -3);
    expect(subtrees.contains(nameKey)).toBe(isInCsiSubtree(name, 'mimi.arpa.'));
  });

  it('names outside every served zone need none (REFUSED anyway, no token spent)', () => {
    const only = new ZoneSet(['4.4.e164.mimi.arpa.']);
    const bytes = makeQuery({ name: '1.1.e164.mimi.arpa.', type: RRType.MSPMAP });
    const outside: QueryContext = {
      transport: 'doh',
      client: 'x',
      bytes,
      query: readQuery(bytes),
      zones: only,
    };
    expect(needsToken(outside, subtrees)).toBe(false);
  });
});

describe('the hook in the pipeline', () => {
  let engine: FakeEngine;
  let pipeline: QueryPipeline;
  let registry: Registry;

  beforeEach(() => {
    engine = new FakeEngine();
    engine.zoneList = ZONES;
    engine.set(CSI_NAME, RRType.A, [aRecord(CSI_NAME, '192.0.2.44')]);
    engine.set('4.4.e164.mimi.arpa.', RRType.A, [aRecord('4.4.e164.mimi.arpa.', '192.0.2.4')]);
    registry = new Registry();
    const verifier = new TokenVerifier({
      issuerUrl: ISSUER,
      directory: directoryOf(current, previous, older),
      now: () => (E + 60) * 1000,
    });
    pipeline = new QueryPipeline(engine, {
      now: () => (E + 60) * 1000,
      rateLimit: { queriesPerSecond: 0, missesPerSecond: 0 },
      hooks: [tokenHook({ verifier, apex: 'mimi.arpa.', registry })],
    });
  });

  const ask = (token?: Uint8Array, options: HandleOptions = doh(), name = CSI_NAME) =>
    decode(
      pipeline.handleQuery(
        makeQuery({
          name,
          type: RRType.A,
          edns: { options: token === undefined ? [] : [tokenOption(token)] },
        }),
        options,
      ),
    );

  function refusal(message: ReturnType<typeof ask>): { infoCode: number; extraText: string } {
    expect(message.flags.rcode).toBe(5);
    expect(message.answers).toEqual([]);
    const options = message.edns!.options.filter((option) => option.code === EdnsOptionCode.EXTENDED_ERROR);
    expect(options).toHaveLength(1);
    return parseExtendedError(options[0]!);
  }

  it('refuses a query without a token: REFUSED, EDE 18, EXTRA-TEXT token-missing', () => {
    expect(refusal(ask())).toEqual({
      infoCode: 18,
      extraText: 'token-missing: query carries no token (edns option 65001)',
    });
    expect(engine.calls).toHaveLength(0);
  });

  // Regression: the query is a Buffer, so the option is a view at an offset, and the
  // token library's copy (`slice`) does not copy a Buffer: without the hook's own copy
  // the token decodes from offset 0 of the whole message (token-malformed).
  it('answers a fresh token, then refuses the same token as token-replayed', async () => {
    const token = await mint();
    expect([...ask(token).answers[0]!.rdata]).toEqual([192, 0, 2, 44]);
    expect(refusal(ask(token)).extraText).toBe('token-replayed: token already spent at this server');
  });

  it.each<[string, () => Promise<Uint8Array>, RegExp]>([
    ['a forged authenticator', async () => flip(await mint(), 353), /^token-invalid: token signature/],
    ['a token of another issuer', () => mintToken(current, 'elsewhere.test'), /^token-invalid: .*challenge/],
    ['a key the issuer never listed', () => mint(stranger), /^token-unknown-key: token key [0-9a-f]{16} /],
    ['a key older than the previous epoch', () => mint(older), /^token-expired-epoch: /],
    ['a token cut short', async () => (await mint()).subarray(0, 100), /^token-malformed: /],
  ])('refuses %s with its code in EXTRA-TEXT', async (_what, make, text) => {
    const { infoCode, extraText } = refusal(ask(await make()));
    expect(infoCode).toBe(18);
    expect(extraText).toMatch(text);
    expect(engine.calls).toHaveLength(0);
  });

  it("accepts the previous epoch's key", async () => {
    expect(ask(await mint(previous)).flags.rcode).toBe(0);
  });

  it('checks the token before a cached answer goes out; the token is not in the cache key', async () => {
    expect(ask(await mint()).answers).toHaveLength(1);
    expect(engine.calls).toHaveLength(1);
    expect(refusal(ask()).extraText).toMatch(/^token-missing: /);
    // A different token reaches the same cache entry: the engine is not asked again.
    expect(ask(await mint()).answers).toHaveLength(1);
    expect(engine.calls).toHaveLength(1);
  });

  it('never caches a refusal: the next good token gets the answer', async () => {
    refusal(ask());
    refusal(ask());
    expect(ask(await mint()).flags.rcode).toBe(0);
    expect(engine.calls).toHaveLength(1);
  });

  it('checks ODoH queries; never Do53 ones', async () => {
    refusal(ask(undefined, TRANSPORTS.odoh));
    expect(ask(undefined, TRANSPORTS.udp).answers).toHaveLength(1);
    expect(ask(undefined, TRANSPORTS.tcp).answers).toHaveLength(1);
    expect(ask(await mint(), TRANSPORTS.odoh).answers).toHaveLength(1);
  });

  it('answers zone apex data without a token', () => {
    expect(ask(undefined, doh(), '4.4.e164.mimi.arpa.').answers).toHaveLength(1);
  });

  it('refuses a query without EDNS with a bare REFUSED (no OPT to carry the EDE)', () => {
    const message = decode(pipeline.handleQuery(makeQuery({ name: CSI_NAME, type: RRType.A }), doh()));
    expect(message.flags.rcode).toBe(5);
    expect(message.edns).toBeUndefined();
  });

  it('counts checks by result in mimi_token_checks_total', async () => {
    ask();
    ask(await mint());
    const text = await registry.metrics();
    expect(text).toContain('mimi_token_checks_total{result="token-missing"} 1');
    expect(text).toContain('mimi_token_checks_total{result="ok"} 1');
  });
});
