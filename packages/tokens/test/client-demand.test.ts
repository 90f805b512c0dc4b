/**
 * TokenClient's on-demand path against an in-process issuer (undici MockAgent; RFC 9578
 * §6 single requests and the generic batch of draft-ietf-privacypass-batched-tokens):
 * callers that find the pool empty while a fetch is in flight are served together by
 * one batch call, sequential callers keep one single request each, and every token
 * handed out verifies.
 */
import { constants, privateDecrypt } from 'node:crypto';
import { genericBatched, publicVerif } from '@cloudflare/privacypass-ts';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenClient } from '../src/client.js';
import { MediaType } from '../src/constants.js';
import { serializeDirectory } from '../src/directory.js';
import { TokenVerifier } from '../src/verifier.js';
import { directoryOf, makeKey } from './helpers.js';

const ISSUER = 'https://issuer.test';
const signer = makeKey();
const sign = (blindedMsg: Uint8Array) =>
  new Uint8Array(privateDecrypt({ key: signer.privateKey, padding: constants.RSA_NO_PADDING }, blindedMsg));

/** An issuer that signs everything, or answers 429 once `quota` tokens are out; it logs each call's size. */
function mockIssuer(quota = Number.POSITIVE_INFINITY) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const calls: number[] = [];
  let issued = 0;
  const pool = agent.get(ISSUER);
  pool
    .intercept({ path: '/.well-known/private-token-issuer-directory', method: 'GET' })
    .reply(
      200,
      serializeDirectory({
        issuerRequestUri: `${ISSUER}/token-request`,
        keys: [{ encoded: signer.key.encoded }],
      }),
      { headers: { 'content-type': MediaType.DIRECTORY, 'cache-control': 'max-age=3600' } },
    )
    .persist();
  pool
    .intercept({ path: '/token-request', method: 'POST' })
    .reply((options) => {
      const body = new Uint8Array(options.body as Buffer);
      const type = String((options.headers as Record<string, string>)['content-type']);
      const blinded =
        type === MediaType.TOKEN_REQUEST
          ? [body.subarray(3)]
          : genericBatched.BatchedTokenRequest.deserialize(body).tokenRequests.map(
              (entry) => (entry.tokenRequest as publicVerif.TokenRequest).blindedMsg,
            );
      calls.push(blinded.length);
      if (issued + blinded.length > quota) {
        return {
          statusCode: 429,
          data: '{"error":{"message":"quota"}}',
          responseOptions: { headers: { 'retry-after': '60' } },
        };
      }
      issued += blinded.length;
      if (type === MediaType.TOKEN_REQUEST) {
        return {
          statusCode: 200,
          data: Buffer.from(sign(blinded[0]!)),
          responseOptions: { headers: { 'content-type': MediaType.TOKEN_RESPONSE } },
        };
      }
      const response = new genericBatched.GenericBatchTokenResponse(
        blinded.map(
          (msg) => new genericBatched.OptionalTokenResponse(new publicVerif.TokenResponse(sign(msg))),
        ),
      );
      return {
        statusCode: 200,
        data: Buffer.from(response.serialize()),
        responseOptions: { headers: { 'content-type': MediaType.BATCH_RESPONSE } },
      };
    })
    .persist();
  return { agent, calls };
}

const clients: TokenClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(agent: MockAgent, poolSize = 0): TokenClient {
  const made = new TokenClient({ issuerUrl: ISSUER, issuerAuth: 'key', dispatcher: agent, poolSize });
  clients.push(made);
  return made;
}

describe('TokenClient on demand (pool empty)', () => {
  it('serves 10 concurrent callers with one single request, then one batch of the 9 that waited', async () => {
    const { agent, calls } = mockIssuer();
    const one = client(agent);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => one.token()));
    expect(calls).toEqual([1, 9]);
    expect(new Set(tokens.map((t) => Buffer.from(t).toString('hex'))).size).toBe(10);
    const verifier = new TokenVerifier({ issuerUrl: ISSUER, directory: directoryOf(signer) });
    for (const token of tokens) expect(verifier.verify(token)).toMatchObject({ ok: true });
  });

  it('keeps one single request per token for callers one after another', async () => {
    const { agent, calls } = mockIssuer();
    const one = client(agent);
    for (let i = 0; i < 3; i++) await one.token();
    expect(calls).toEqual([1, 1, 1]);
  });

  it('caps a demand batch at 64 callers; the rest wait for the next call', async () => {
    const { agent, calls } = mockIssuer();
    const one = client(agent);
    await Promise.all(Array.from({ length: 70 }, () => one.token()));
    expect(calls).toEqual([1, 64, 5]);
  });

  it('rejects every caller of a refused batch with issuer-quota-exhausted', async () => {
    const { agent, calls } = mockIssuer(1);
    const one = client(agent);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => one.token()));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    for (const r of results.slice(1)) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'issuer-quota-exhausted' });
    }
    expect(calls).toEqual([1, 3]);
  });
});
