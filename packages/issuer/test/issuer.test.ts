/**
 * The issuer on loopback HTTPS with the token library on both sides: the RFC 9578 §4
 * directory, issuance (§6, single and generic batch), verification by a DP's
 * TokenVerifier, the stable refusal codes, quota (429 and 206) and authentication (401).
 */
import { readFileSync } from 'node:fs';
import {
  blindRequests,
  encodeSingleRequest,
  fetchDirectory,
  ISSUER_DIRECTORY_PATH,
  IssuerHttp,
  issuerNameOf,
  MediaType,
  networkChallenge,
  parseDirectory,
  preferredKey,
  TOKEN_REQUEST_PATH,
  TokenClient,
  TokenVerifier,
} from '@mimi/tokens';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIssuer } from '../src/issuer.js';
import {
  API_KEY,
  expectTokenError,
  FakeClock,
  flip,
  makeTlsFiles,
  OTHER_KEY,
  rawRequest,
  startTestIssuer,
  strangerToken,
  T0,
  type TlsFiles,
} from './helpers.js';

let tls: TlsFiles;
let ca: string;
let agent: Agent;

beforeAll(() => {
  tls = makeTlsFiles();
  ca = readFileSync(tls.cert, 'utf8');
  agent = new Agent({ allowH2: true, connect: { ca } });
});
afterAll(async () => {
  await agent.close();
});
const raw = (url: string, init?: Parameters<typeof rawRequest>[2]) => rawRequest(agent, url, init);

describe('issuer with quota 6 per epoch', () => {
  const clock = new FakeClock(T0 + 60_000);
  let issuer: RunningIssuer;
  let verifier: TokenVerifier;
  const clients: TokenClient[] = [];
  const client = (issuerAuth: string, poolSize = 0) => {
    const made = new TokenClient({ issuerUrl: issuer.url, issuerAuth, ca, poolSize, now: clock.now });
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    issuer = await startTestIssuer(tls, { quota: 6, epochSeconds: 3600, clock });
    verifier = await TokenVerifier.create({ issuerUrl: issuer.url, ca, now: clock.now });
  });
  afterAll(async () => {
    for (const made of clients) await made.close();
    await verifier.close();
    await issuer.close();
  });

  it('serves the RFC 9578 §4 directory with its media type and the epoch as max-age', async () => {
    const answer = await raw(`${issuer.url}${ISSUER_DIRECTORY_PATH}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(MediaType.DIRECTORY);
    expect(answer.headers['cache-control']).toBe('public, max-age=3540');
    const json = JSON.parse(answer.body.toString('utf8'));
    expect(json['issuer-request-uri']).toBe(TOKEN_REQUEST_PATH);
    expect(json['token-keys']).toHaveLength(1);
    expect(json['token-keys'][0]).toMatchObject({ 'token-type': 2, 'not-before': T0 / 1000 });
    const parsed = parseDirectory(answer.body.toString('utf8'), `${issuer.url}${ISSUER_DIRECTORY_PATH}`);
    expect(parsed.issuerRequestUri).toBe(`${issuer.url}${TOKEN_REQUEST_PATH}`);
  });

  it('issues a token that the DP verifier accepts once', async () => {
    const token = await client(API_KEY).token();
    expect(token.length).toBe(354);
    expect(verifier.verify(token)).toMatchObject({ ok: true });
    expect(verifier.verify(token)).toMatchObject({ ok: false, code: 'token-replayed' });
  });

  it('a forged token (one flipped byte) is token-invalid', async () => {
    const token = await client(API_KEY).token();
    expect(verifier.verify(flip(token, 200))).toMatchObject({ ok: false, code: 'token-invalid' });
    expect(verifier.verify(token)).toMatchObject({ ok: true });
  });

  it('a token of a key the directory does not list is token-unknown-key', async () => {
    const token = await strangerToken(new URL(issuer.url).host, T0 / 1000);
    expect(verifier.verify(token)).toMatchObject({ ok: false, code: 'token-unknown-key' });
  });

  it('fills a pool with one generic batch call, and every pooled token verifies', async () => {
    // poolSize 0: no background refill after this, so the quota arithmetic below holds.
    const pooled = client(OTHER_KEY, 0);
    await pooled.prefetch(4);
    expect(pooled.available).toBe(4);
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push(await pooled.token());
    expect(new Set(tokens.map((t) => Buffer.from(t).toString('hex'))).size).toBe(4);
    for (const token of tokens) expect(verifier.verify(token)).toMatchObject({ ok: true });
  });

  it('past the quota: 206 with what is left, then 429 and no more tokens', async () => {
    // 'other' has 2 of 6 left: a batch of 4 gets 2 (206), the next call 429.
    const pooled = client(OTHER_KEY, 0);
    await pooled.prefetch(4);
    expect(pooled.available).toBe(2);
    expect(verifier.verify(await pooled.token())).toMatchObject({ ok: true });
    expect(verifier.verify(await pooled.token())).toMatchObject({ ok: true });
    await expectTokenError(pooled.token(), 'issuer-quota-exhausted', /quota ran out during a batch/);

    const fresh = client(OTHER_KEY, 0);
    await expectTokenError(
      fresh.token(),
      'issuer-quota-exhausted',
      /user 'other' has used its 6 tokens of epoch \d+; the next epoch starts in 3540 s/,
    );
    const answer = await raw(`${issuer.url}${TOKEN_REQUEST_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OTHER_KEY}`, 'content-type': MediaType.TOKEN_REQUEST },
      body: await validRequestBody(issuer.url),
    });
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('3540');
    expect(JSON.parse(answer.body.toString('utf8')).error.code).toBe('quota-exhausted');
  });

  it('a bad api key gets 401 and the client says auth failed', async () => {
    await expectTokenError(client('wrong-key-0123456789abcdef').token(), 'issuer-auth-failed', /http 401/);
    const answer = await raw(`${issuer.url}${TOKEN_REQUEST_PATH}`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': MediaType.TOKEN_REQUEST },
      body: new Uint8Array(259),
    });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="mimi-issuer"');
    expect(JSON.parse(answer.body.toString('utf8')).error).toEqual({
      code: 'unauthorized',
      message: 'missing or unknown api key (authorization: bearer <key>)',
    });
  });

  it.each([
    {
      name: 'wrong media type',
      type: 'application/octet-stream',
      body: new Uint8Array(259),
      status: 415,
      code: 'unsupported-media-type',
    },
    {
      name: 'short request',
      type: MediaType.TOKEN_REQUEST,
      body: new Uint8Array(10),
      status: 422,
      code: 'token-request-malformed',
    },
    {
      name: 'token type 1',
      type: MediaType.TOKEN_REQUEST,
      body: new Uint8Array(259).fill(1, 1, 2),
      status: 422,
      code: 'unsupported-token-type',
    },
    {
      name: 'empty batch',
      type: MediaType.BATCH_REQUEST,
      body: new Uint8Array([0]),
      status: 422,
      code: 'token-request-malformed',
    },
    {
      name: 'oversized body',
      type: MediaType.BATCH_REQUEST,
      body: new Uint8Array(20_000),
      status: 413,
      code: 'body-too-large',
    },
  ])('$name → $status $code', async ({ type, body, status, code }) => {
    const answer = await raw(`${issuer.url}${TOKEN_REQUEST_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': type },
      body,
    });
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body.toString('utf8')).error.code).toBe(code);
  });

  it('a request for a key that is not the current one is 422 unknown-token-key', async () => {
    const body = await validRequestBody(issuer.url);
    body[2] = body[2]! ^ 0xff;
    const answer = await raw(`${issuer.url}${TOKEN_REQUEST_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': MediaType.TOKEN_REQUEST },
      body,
    });
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.body.toString('utf8')).error.message).toMatch(
      /fetch the issuer directory again/,
    );
  });

  it.each([
    ['GET', TOKEN_REQUEST_PATH, 405, 'POST'],
    ['POST', ISSUER_DIRECTORY_PATH, 405, 'GET, HEAD'],
    ['GET', '/nothing', 404, undefined],
  ])('%s %s → %i', async (method, path, status, allow) => {
    const answer = await raw(`${issuer.url}${path}`, { method });
    expect(answer.status).toBe(status);
    expect(answer.headers.allow).toBe(allow);
  });

  it('answers /healthz', async () => {
    const answer = await raw(`${issuer.url}/healthz`);
    expect([answer.status, answer.body.toString('utf8')]).toEqual([200, '{"ok":true}']);
  });
});

/** A well-formed single TokenRequest for the issuer's current key (made with a throwaway client). */
async function validRequestBody(issuerUrl: string): Promise<Uint8Array> {
  const http = new IssuerHttp({ ca });
  try {
    const fetched = await fetchDirectory(http, issuerUrl, Date.now());
    const key = preferredKey(fetched.directory, Number.MAX_SAFE_INTEGER)!;
    const [blinded] = await blindRequests(networkChallenge(issuerNameOf(issuerUrl)), key, 1);
    return encodeSingleRequest(blinded!).slice();
  } finally {
    await http.close();
  }
}
