/**
 * Key epochs end to end (DESIGN §7: the DP accepts the current and the previous epoch's
 * keys), driven by an injected clock shared by issuer, client and verifier; and an
 * issuer nobody can reach.
 */
import { readFileSync } from 'node:fs';
import { ISSUER_DIRECTORY_PATH, keyIdHex, TokenClient, TokenVerifier } from '@mimi/tokens';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIssuer } from '../src/issuer.js';
import {
  API_KEY,
  expectTokenError,
  FakeClock,
  makeTlsFiles,
  rawRequest,
  startTestIssuer,
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
const raw = (url: string) => rawRequest(agent, url);

describe('key epochs (injected clock)', () => {
  const clock = new FakeClock(T0 + 60_000);
  let issuer: RunningIssuer;

  beforeAll(async () => {
    issuer = await startTestIssuer(tls, { quota: 100, epochSeconds: 3600, clock });
  });
  afterAll(async () => {
    await issuer.close();
  });

  it('accepts the previous epoch key, refuses older ones (token-expired-epoch), and the client moves on', async () => {
    const verifier = await TokenVerifier.create({ issuerUrl: issuer.url, ca, now: clock.now });
    const client = new TokenClient({
      issuerUrl: issuer.url,
      issuerAuth: API_KEY,
      ca,
      poolSize: 3,
      now: clock.now,
    });
    try {
      const [a, b] = [await client.token(), await client.token()];
      await client.prefetch(3);
      const epoch0Key = keyIdHex(a.subarray(66, 98));

      clock.advance(3600); // epoch 1: epoch 0's key is the previous one
      await verifier.refresh();
      expect(verifier.verify(a)).toMatchObject({ ok: true });

      clock.advance(3600); // epoch 2: epoch 0 is older than previous
      await verifier.refresh();
      expect(verifier.verify(b)).toMatchObject({ ok: false, code: 'token-expired-epoch' });

      // The client drops its pooled epoch-0 tokens and fetches with the current key.
      const fresh = await client.token();
      expect(keyIdHex(fresh.subarray(66, 98))).not.toBe(epoch0Key);
      expect(verifier.verify(fresh)).toMatchObject({ ok: true });

      const directory = JSON.parse(
        (await raw(`${issuer.url}${ISSUER_DIRECTORY_PATH}`)).body.toString('utf8'),
      );
      expect(directory['token-keys'].map((k: { 'not-before': number }) => k['not-before'])).toEqual([
        T0 / 1000 + 7200,
        T0 / 1000 + 3600,
      ]);
    } finally {
      await client.close();
      await verifier.close();
    }
  });

  it('a client whose cached directory names last epoch key recovers from the 422', async () => {
    // The client's clock stands still, so its cached directory never goes stale.
    const frozen = clock.ms;
    const client = new TokenClient({
      issuerUrl: issuer.url,
      issuerAuth: API_KEY,
      ca,
      poolSize: 0,
      now: () => frozen,
    });
    const verifier = await TokenVerifier.create({ issuerUrl: issuer.url, ca, now: clock.now });
    try {
      await client.token();
      clock.advance(3600);
      await verifier.refresh();
      const token = await client.token();
      expect(verifier.verify(token)).toMatchObject({ ok: true });
      expect(verifier.verify(token)).toMatchObject({ ok: false, code: 'token-replayed' });
    } finally {
      await client.close();
      await verifier.close();
    }
  });
});

describe('unreachable issuer', () => {
  it('a client keeps handing out pooled tokens while the issuer is down, then says unreachable', async () => {
    const clock = new FakeClock(T0 + 60_000);
    const issuer = await startTestIssuer(tls, { clock });
    const client = new TokenClient({
      issuerUrl: issuer.url,
      issuerAuth: API_KEY,
      ca,
      poolSize: 0,
      now: clock.now,
    });
    try {
      expect(await client.prefetch(2)).toBe(2);
      await issuer.close();
      clock.advance(3600); // the cached directory is stale; refetching it fails
      expect((await client.token()).length).toBe(354);
      expect((await client.token()).length).toBe(354);
      await expectTokenError(client.token(), 'issuer-unreachable', /unreachable/);
    } finally {
      await client.close();
    }
  });

  it('is issuer-unreachable for the client and the verifier', async () => {
    const url = 'https://127.0.0.1:9';
    const client = new TokenClient({ issuerUrl: url, issuerAuth: API_KEY, ca, poolSize: 0, timeoutMs: 2000 });
    await expectTokenError(
      client.token(),
      'issuer-unreachable',
      /issuer at https:\/\/127\.0\.0\.1:9 unreachable/,
    );
    await client.close();
    await expectTokenError(
      TokenVerifier.create({ issuerUrl: url, ca, timeoutMs: 2000 }),
      'issuer-unreachable',
      /unreachable/,
    );
  });
});
