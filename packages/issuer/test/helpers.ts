/**
 * Test support for the issuer: a throwaway TLS certificate for 127.0.0.1 (the shared
 * test PKI, imported by path: the test-support index would load the demo network), a
 * users file, a fake clock, and an issuer started on port 0.
 */
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  blindRequests,
  decodeTokenKey,
  encodeTokenKey,
  finalizeToken,
  networkChallenge,
  TokenError,
} from '@mimi/tokens';
import { type Agent, request } from 'undici';
import { expect } from 'vitest';
import { selfSignedCertificate } from '../../test-support/src/test-pki.js';
import { type RunningIssuer, startIssuer } from '../src/issuer.js';
import { UserRegistry, writeUsersFile } from '../src/users.js';

export interface TlsFiles {
  readonly dir: string;
  readonly cert: string;
  readonly key: string;
}

/** Self-signed P-256 certificate for 127.0.0.1 (it is its own CA for the client). */
export function makeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-issuer-tls-'));
  const { certFile, keyFile } = selfSignedCertificate(dir, { name: 'cert', ips: ['127.0.0.1'] });
  return { dir, cert: certFile, key: keyFile };
}

export const API_KEY = 'demo-api-key-0123456789abcdef';
export const OTHER_KEY = 'other-api-key-0123456789abcdef';

export async function makeUsersFile(dir: string): Promise<string> {
  const path = join(dir, 'users.json');
  await writeUsersFile(path, [
    { id: 'demo', apiKey: API_KEY },
    { id: 'other', apiKey: OTHER_KEY },
  ]);
  return path;
}

/** 2026-01-01T00:00:00Z, an epoch boundary for any epoch length dividing a day. */
export const T0 = 1_767_225_600_000;

export class FakeClock {
  constructor(public ms = T0 + 60_000) {}
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export async function startTestIssuer(
  tls: TlsFiles,
  options: { quota?: number; epochSeconds?: number; clock?: FakeClock; stateDir?: string } = {},
): Promise<RunningIssuer & { stateDir: string }> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'mimi-issuer-state-'));
  const users = await UserRegistry.load(await makeUsersFile(stateDir));
  const issuer = await startIssuer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) },
    stateDir,
    users,
    quota: options.quota ?? 100,
    epochSeconds: options.epochSeconds ?? 3600,
    now: options.clock?.now,
  });
  return Object.assign(issuer, { stateDir });
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: Buffer;
}

/** One HTTPS exchange without the token library in the way. */
export async function rawRequest(
  agent: Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {},
): Promise<RawAnswer> {
  const answer = await request(url, {
    dispatcher: agent,
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: Buffer.from(init.body) }),
  });
  return {
    status: answer.statusCode,
    headers: answer.headers,
    body: Buffer.from(await answer.body.arrayBuffer()),
  };
}

/** `promise` rejects with a TokenError of `code` whose message matches. */
export async function expectTokenError(
  promise: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(TokenError);
  expect((caught as TokenError).code).toBe(code);
  expect((caught as TokenError).message).toMatch(message);
}

/** A token for `issuerName` signed by a fresh key no issuer publishes. */
export async function strangerToken(issuerName: string, notBefore: number): Promise<Uint8Array> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = { ...decodeTokenKey(encodeTokenKey(publicKey)), notBefore };
  const [blinded] = await blindRequests(networkChallenge(issuerName), key, 1);
  const signature = privateDecrypt(
    { key: privateKey, padding: constants.RSA_NO_PADDING },
    blinded!.request.blindedMsg,
  );
  return finalizeToken(blinded!, new Uint8Array(signature));
}

/** `bytes` with the lowest bit of one octet flipped. */
export function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}
