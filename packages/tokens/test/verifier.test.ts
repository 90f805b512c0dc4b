/**
 * The DP's verdicts (DESIGN §7), with a pinned directory and an injected clock: each
 * stable refusal code on the input that earns it, replay per key, the epoch rule, and
 * the Extended DNS Error text a DP sends (RFC 8914).
 */
import { buildEdns, EdnsOptionCode, parseExtendedError, tokenOption } from '@mimi/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_LENGTH } from '../src/constants.js';
import { KeyEpochs, keyIdHex } from '../src/key-epochs.js';
import { refusalOption, refusalText, TOKEN_REFUSAL_INFO_CODE, type TokenVerdict } from '../src/verdict.js';
import { TokenVerifier } from '../src/verifier.js';
import { directoryOf, flip, makeKey, mintToken, type TestKey } from './helpers.js';

const ISSUER = 'https://issuer.test:8443';
const NAME = 'issuer.test:8443';
const HOUR = 3600;
/** Epoch E starts at 2026-01-01T00:00:00Z; keys rotate hourly. */
const E = 1_767_225_600;
const clockAt = (seconds: number) => () => seconds * 1000;

function codeOf(verdict: TokenVerdict): string {
  return verdict.ok ? 'ok' : verdict.code;
}

describe('TokenVerifier verdicts', () => {
  let current: TestKey;
  let previous: TestKey;
  let older: TestKey;
  let stranger: TestKey;
  let verifier: TokenVerifier;

  beforeAll(() => {
    current = makeKey(E);
    previous = makeKey(E - HOUR);
    older = makeKey(E - 2 * HOUR);
    stranger = makeKey(E);
    verifier = new TokenVerifier({
      issuerUrl: ISSUER,
      directory: directoryOf(current, previous, older),
      now: clockAt(E + 60),
    });
  });

  it('accepts a fresh token of the current key, then calls it replayed', async () => {
    const token = await mintToken(current, NAME);
    const first = verifier.verify(token);
    expect(first).toMatchObject({ ok: true });
    expect(first.ok && keyIdHex(first.tokenKeyId)).toBe(keyIdHex(current.key.id));
    expect(verifier.verify(token)).toMatchObject({
      ok: false,
      code: 'token-replayed',
      message: 'token already spent at this server',
    });
  });

  it('accepts the previous epoch key, refuses the one before (token-expired-epoch)', async () => {
    expect(codeOf(verifier.verify(await mintToken(previous, NAME)))).toBe('ok');
    const verdict = verifier.verify(await mintToken(older, NAME));
    expect(verdict).toMatchObject({ ok: false, code: 'token-expired-epoch' });
    expect(verdict.ok ? '' : verdict.message).toMatch(/^token key [0-9a-f]{16} belongs to an expired epoch$/);
  });

  it('refuses a key that is not in the directory (token-unknown-key)', async () => {
    const verdict = verifier.verify(await mintToken(stranger, NAME));
    expect(verdict).toMatchObject({ ok: false, code: 'token-unknown-key' });
    expect(verdict.ok ? '' : verdict.message).toMatch(/is not in the directory of issuer issuer\.test:8443/);
  });

  it('refuses a token with one flipped bit anywhere signed (token-invalid)', async () => {
    const token = await mintToken(current, NAME);
    for (const index of [2, 33, 98, TOKEN_LENGTH - 1]) {
      expect(codeOf(verifier.verify(flip(token, index))), `byte ${index}`).toBe('token-invalid');
    }
    // The untouched token is still good: forgeries did not spend it.
    expect(codeOf(verifier.verify(token))).toBe('ok');
  });

  it('refuses a token made for another issuer name (token-invalid: challenge)', async () => {
    const verdict = verifier.verify(await mintToken(current, 'issuer.test'));
    expect(verdict).toMatchObject({ ok: false, code: 'token-invalid' });
    expect(verdict.ok ? '' : verdict.message).toMatch(/another challenge than issuer issuer\.test:8443/);
  });

  it.each([
    ['absent', undefined, 'token-missing'],
    ['empty', new Uint8Array(0), 'token-malformed'],
    [
      'truncated',
      new Uint8Array(TOKEN_LENGTH - 1).fill(0).map((_, i) => (i === 1 ? 2 : 0)),
      'token-malformed',
    ],
    ['type 1', new Uint8Array(TOKEN_LENGTH).map((_, i) => (i === 1 ? 1 : 0)), 'token-malformed'],
  ])('%s token → %s', (_name, bytes, code) => {
    expect(codeOf(verifier.verify(bytes))).toBe(code);
  });

  it('reads the token from EDNS option 65001', async () => {
    const token = await mintToken(current, NAME);
    expect(codeOf(verifier.verifyEdns(buildEdns({ options: [tokenOption(token)] })))).toBe('ok');
    expect(codeOf(verifier.verifyEdns(buildEdns({ options: [] })))).toBe('token-missing');
    expect(codeOf(verifier.verifyEdns(undefined))).toBe('token-missing');
  });
});

describe('epochs move with the clock', () => {
  it('a key becomes expired two epochs on, and its spent nonces are dropped', async () => {
    const k0 = makeKey(E);
    const k1 = makeKey(E + HOUR);
    const k2 = makeKey(E + 2 * HOUR);
    let now = E + 10;
    const verifier = new TokenVerifier({
      issuerUrl: ISSUER,
      directory: directoryOf(k2, k1, k0),
      now: () => now * 1000,
    });
    const token = await mintToken(k0, NAME);
    // k1 and k2 are not valid yet: k0 is current.
    expect(codeOf(verifier.verify(await mintToken(k1, NAME)))).toBe('token-unknown-key');
    expect(codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.spentCounts()[keyIdHex(k0.key.id)]).toBe(1);
    now = E + HOUR + 10; // k0 is the previous epoch's key: still accepted, replay still caught
    expect(codeOf(verifier.verify(token))).toBe('token-replayed');
    now = E + 2 * HOUR + 10; // k0 is two epochs old
    expect(codeOf(verifier.verify(token))).toBe('token-expired-epoch');
    expect(codeOf(verifier.verify(await mintToken(k2, NAME)))).toBe('ok');
    expect(verifier.spentCounts()[keyIdHex(k0.key.id)]).toBeUndefined();
  });

  it('a key that left the directory is remembered as expired, not unknown', () => {
    const k0 = makeKey(E);
    const k1 = makeKey(E + HOUR);
    const epochs = new KeyEpochs();
    epochs.install(directoryOf(k0));
    expect(epochs.standingOf(k0.key.id, (E + 1) * 1000).standing).toBe('accepted');
    epochs.install(directoryOf(k1));
    expect(epochs.standingOf(k0.key.id, (E + HOUR + 1) * 1000).standing).toBe('expired');
    expect(epochs.standingOf(makeKey(E).key.id, (E + HOUR + 1) * 1000).standing).toBe('unknown');
  });

  it('honours 300 s of clock skew on not-before', () => {
    const k1 = makeKey(E + HOUR);
    const epochs = new KeyEpochs();
    epochs.install(directoryOf(k1));
    expect(epochs.standingOf(k1.key.id, (E + HOUR - 301) * 1000).standing).toBe('not-yet-valid');
    expect(epochs.standingOf(k1.key.id, (E + HOUR - 299) * 1000).standing).toBe('accepted');
  });
});

describe('spent-token store bound', () => {
  it('fails closed when a key store is full (token-store-full)', async () => {
    const key = makeKey(E);
    const verifier = new TokenVerifier({
      issuerUrl: ISSUER,
      directory: directoryOf(key),
      now: clockAt(E + 1),
      maxSpentPerKey: 1,
    });
    const first = await mintToken(key, NAME);
    expect(codeOf(verifier.verify(first))).toBe('ok');
    expect(codeOf(verifier.verify(await mintToken(key, NAME)))).toBe('token-store-full');
    expect(codeOf(verifier.verify(first))).toBe('token-replayed');
  });
});

describe('refusal as an Extended DNS Error (RFC 8914)', () => {
  it('is Prohibited (18) with EXTRA-TEXT "<code>: <message>"', () => {
    const verdict = {
      ok: false,
      code: 'token-replayed',
      message: 'token already spent at this server',
    } as const;
    expect(refusalText(verdict)).toBe('token-replayed: token already spent at this server');
    const option = refusalOption(verdict);
    expect(option.code).toBe(EdnsOptionCode.EXTENDED_ERROR);
    expect(TOKEN_REFUSAL_INFO_CODE).toBe(18);
    expect(parseExtendedError(option)).toEqual({
      infoCode: 18,
      extraText: 'token-replayed: token already spent at this server',
    });
  });
});
