/**
 * Privacy Pass tokens in queries (DESIGN §6, §7; RFC 9577 `Token` in EDNS option 65001):
 * which queries carry one, that no two carry the same, that a token refusal is retried
 * once with a fresh token and then ends as `unreachable` with the token's reason, that
 * an issuer failure is `unreachable` with the issuer's reason, and that tokens never go
 * out over a transport that is not encrypted.
 */
import { MimiError } from '@mimi/errors';
import { describe, expect, it } from 'vitest';
import { tokenLabel, tokenNeeded, tokenRefusalCode } from '../src/index.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork, type TestNetwork } from './helpers/network.js';
import { FakeTokens, requireTokens, tokenHex } from './helpers/privacy.js';
import { privateNetwork } from './helpers/private-network.js';

const APEX = 'mimi.arpa.';
const UK_QNAME = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';

async function tokenNetwork(): Promise<{ network: TestNetwork; tokens: FakeTokens }> {
  const network = await buildNetwork();
  seedDemo(network);
  network.transport.encrypted = true;
  requireTokens(network.transport);
  return { network, tokens: new FakeTokens() };
}

const withToken = (network: TestNetwork, mark = 0) =>
  network.transport
    .since(mark)
    .filter((request) => request.token !== undefined)
    .map((request) => `${request.qname} ${request.qtype}`);

describe('tokenNeeded: a name in a CSI subtree strictly below the zone asked (DESIGN §7)', () => {
  it.each([
    ['e164.mimi.arpa.', APEX, true],
    ['4.e164.mimi.arpa.', APEX, true],
    ['4.4.e164.mimi.arpa.', APEX, true],
    ['example.com.email.mimi.arpa.', APEX, true],
    [UK_QNAME, '4.4.e164.mimi.arpa.', true],
    ['4.4.e164.mimi.arpa.', '4.4.e164.mimi.arpa.', false],
    ['example.com.email.mimi.arpa.', 'example.com.email.mimi.arpa.', false],
    [APEX, APEX, false],
    ['tel.nic.mimi.arpa.', APEX, false],
    ['_odoh.tel.nic.mimi.arpa.', APEX, false],
    ['uk-carrier.csip.mimi.arpa.', 'csip.mimi.arpa.', false],
    ['uk-carrier.csip.mimi.arpa.', APEX, false],
    // Not below the zone asked: no server of that zone would check it.
    [UK_QNAME, '1.e164.mimi.arpa.', false],
  ])('%s asked of %s: %s', (qname, zone, needed) => {
    expect(tokenNeeded(qname, zone, APEX)).toBe(needed);
  });
});

describe('tokenRefusalCode reads the EDE EXTRA-TEXT @mimi/tokens writes', () => {
  it.each([
    ['token-missing: query carries no token (edns option 65001)', 'token-missing'],
    ['token-replayed: this dp has already spent this token', 'token-replayed'],
    ['token-store-full: spent-token store is full', 'token-store-full'],
    ['rate-limited: slow down', undefined],
    ['token missing', undefined],
    ['', undefined],
  ])('%j → %s', (text, code) => {
    expect(tokenRefusalCode(text)).toBe(code);
  });

  it('a token is named in traces by the first four octets of its nonce', () => {
    const token = new Uint8Array(354);
    token.set([0x00, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01]);
    expect(tokenLabel(token)).toBe('deadbeef');
  });
});

describe('which queries carry a token', () => {
  it('cold: the root minimised NS queries and the DP query for the CSI, nothing else', async () => {
    const { network, tokens } = await tokenNetwork();
    const result = await network.resolver({ tokens }).resolve(CSI.ukFound);
    expect(result.status).toBe('found');
    expect(withToken(network)).toEqual([
      'e164.mimi.arpa. NS',
      '4.e164.mimi.arpa. NS',
      '4.4.e164.mimi.arpa. NS',
      `${UK_QNAME} MSPMAP`,
    ]);
    expect(tokens.issued).toHaveLength(4);
    // DNSKEY, nic. host records, csip. keys went without one.
    const without = network.transport.requests.filter((request) => request.token === undefined);
    expect(without.map((r) => r.qname)).toEqual(
      expect.arrayContaining([
        'mimi.arpa.',
        'tel.nic.mimi.arpa.',
        '4.4.e164.mimi.arpa.',
        'uk-carrier.csip.mimi.arpa.',
      ]),
    );
  });

  it('with warm caches a new CSI costs one token', async () => {
    const { network, tokens } = await tokenNetwork();
    const resolver = network.resolver({ tokens });
    await resolver.resolve(CSI.ukFound);
    const [mark, spent] = [network.transport.requests.length, tokens.issued.length];
    expect((await resolver.resolve(CSI.ukOptedOut)).status).toBe('opted-out');
    expect(tokens.issued.length - spent).toBe(1);
    expect(withToken(network, mark)).toEqual(['4.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa. MSPMAP']);
    // And a cached answer costs none.
    await resolver.resolve(CSI.ukOptedOut);
    expect(tokens.issued.length - spent).toBe(1);
  });

  it('no token is ever sent twice', async () => {
    const { network, tokens } = await tokenNetwork();
    await network.resolver({ tokens }).resolveMany([CSI.ukFound, CSI.usFound, CSI.alice, CSI.noDp]);
    const sent = network.transport.requests.flatMap((r) =>
      r.token === undefined ? [] : [tokenHex(r.token)],
    );
    expect(sent.length).toBeGreaterThan(4);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('a transport that is not encrypted never carries a token, even with a token source', async () => {
    const { network, tokens } = await tokenNetwork();
    network.transport.encrypted = false;
    network.transport.gate = undefined;
    expect((await network.resolver({ tokens }).resolve(CSI.ukFound)).status).toBe('found');
    expect(withToken(network)).toEqual([]);
    expect(tokens.issued).toHaveLength(0);
  });

  it('through the relay the tokens ride inside the encrypted queries, never in what the relay sees', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    const net = privateNetwork(network);
    requireTokens(net.behind);
    const tokens = new FakeTokens();
    expect((await net.resolver({ tokens }).resolve(CSI.alice)).status).toBe('found');
    expect(net.behind.requests.filter((r) => r.token !== undefined)).toHaveLength(tokens.issued.length);
    expect(tokens.issued.length).toBe(4);
    for (const forwarded of net.relay.forwarded) {
      for (const token of tokens.issued) {
        expect(Buffer.from(forwarded.body).includes(Buffer.from(token.subarray(2, 34)))).toBe(false);
      }
    }
    // The bootstrap asked only public apex records, without tokens.
    expect(net.direct.requests.every((r) => r.token === undefined)).toBe(true);
  });
});

describe('a DP that refuses for the token (DESIGN §6)', () => {
  it('refused once (token-replayed): asked again with a fresh token, and the answer is used', async () => {
    const { network, tokens } = await tokenNetwork();
    let refusals = 0;
    requireTokens(network.transport, (request) =>
      request.qname === UK_QNAME && refusals++ === 0 ? 'token-replayed' : undefined,
    );
    const result = await network.resolver({ tokens }).resolve(CSI.ukFound, { trace: true });
    expect(result.status).toBe('found');
    const atDp = network.transport.requests.filter((r) => r.qname === UK_QNAME);
    expect(atDp).toHaveLength(2);
    expect(tokenHex(atDp[0]!.token)).not.toBe(tokenHex(atDp[1]!.token));
    const queries = result.trace!.filter((e) => e.event === 'query' && e.qname === UK_QNAME);
    expect(queries.map((e) => e.event === 'query' && e.outcome)).toEqual([
      expect.stringMatching(/^failed: refused: .*\(ede 18: token-replayed: /),
      'answer',
    ]);
    expect(queries.every((e) => e.event === 'query' && /^[0-9a-f]{8}$/.test(e.token ?? ''))).toBe(true);
  });

  it('refused twice (token-invalid): unreachable with that reason, no failover to its other address', async () => {
    const { network, tokens } = await tokenNetwork();
    requireTokens(network.transport, (request) => (request.qname === UK_QNAME ? 'token-invalid' : undefined));
    const result = await network.resolver({ tokens }).resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(result.reason).toMatch(
      /^token-invalid: tel\.nic\.mimi\.arpa \(.*\) refused .* \(ede 18: token-invalid: refused by the test \(token-invalid\)\); refused again with a fresh token$/,
    );
    expect(network.transport.requests.filter((r) => r.qname === UK_QNAME)).toHaveLength(2);
  });

  it('no token issuer configured: the first refusal is final, with reason token-missing', async () => {
    const { network } = await tokenNetwork();
    const result = await network.resolver({ tokens: null }).resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(result.reason).toMatch(/^token-missing: .*; no token issuer is configured$/);
    // The root refused the first minimised query; nothing was asked twice.
    expect(network.transport.requests.filter((r) => r.qname === 'e164.mimi.arpa.')).toHaveLength(1);
  });

  it('a DP stricter than our rule (token-missing where we sent none) gets a token on the retry', async () => {
    const { network, tokens } = await tokenNetwork();
    const strict = network.transport.gate!;
    network.transport.gate = (request, engine) =>
      request.qname === '4.4.e164.mimi.arpa.' && request.qtype === 'DNSKEY' && request.token === undefined
        ? { code: 'token-missing', message: 'query carries no token (edns option 65001)' }
        : strict(request, engine);
    expect((await network.resolver({ tokens }).resolve(CSI.ukFound)).status).toBe('found');
    const dnskey = network.transport.requests.filter(
      (r) => r.qname === '4.4.e164.mimi.arpa.' && r.qtype === 'DNSKEY',
    );
    expect(dnskey.map((r) => r.token !== undefined)).toEqual([false, true]);
  });
});

describe('an issuer that gives no token', () => {
  it("is unreachable with the issuer's reason, and the DP is not asked", async () => {
    const { network, tokens } = await tokenNetwork();
    tokens.failWith = new MimiError('issuer-quota-exhausted', 'issuer refused more tokens: quota used up');
    const result = await network.resolver({ tokens }).resolve(CSI.ukFound);
    expect(result).toMatchObject({
      status: 'unreachable',
      reason:
        'issuer-quota-exhausted: no privacy pass token for a query to zone mimi.arpa.: issuer refused more tokens: quota used up',
    });
    expect(network.transport.requests.some((r) => r.qname.endsWith('e164.mimi.arpa.'))).toBe(false);
  });

  it('an abort while waiting for a token is an abort, not a result', async () => {
    const { network } = await tokenNetwork();
    const never = { token: () => new Promise<Uint8Array>(() => undefined) };
    const controller = new AbortController();
    const pending = network.resolver({ tokens: never }).resolve(CSI.ukFound, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('ownership', () => {
  it('close() leaves a token source the caller handed in open', async () => {
    const { network, tokens } = await tokenNetwork();
    const resolver = network.resolver({ tokens });
    await resolver.resolve(CSI.noDp);
    await resolver.close();
    expect(tokens.closed).toBe(false);
  });
});
