import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  checkPublicKey,
  fromHex,
  isCanonicalPointEncoding,
  isCanonicalScalar,
  privateKeyFromSeed,
  publicKeyOf,
  seedOf,
  signEd25519,
  verifyEd25519,
} from '../src/index.js';

// RFC 8032 §7.1 TEST 1 and TEST 2.
const rfc8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('ed25519 (RFC 8032 §7.1)', () => {
  it.each(rfc8032)('reproduces the RFC signature for seed $seed', ({ seed, pk, msg, sig }) => {
    const key = privateKeyFromSeed(fromHex(seed));
    expect(Buffer.from(publicKeyOf(key)).toString('hex')).toBe(pk);
    expect(Buffer.from(seedOf(key)).toString('hex')).toBe(seed);
    const signature = signEd25519(key, fromHex(msg));
    expect(Buffer.from(signature).toString('hex')).toBe(sig);
    expect(verifyEd25519(fromHex(pk), fromHex(msg), signature)).toBe(true);
  });

  it('rejects a signature over another message, and a flipped bit', () => {
    const { pk, sig } = rfc8032[1]!;
    expect(verifyEd25519(fromHex(pk), fromHex('73'), fromHex(sig))).toBe(false);
    const flipped = fromHex(sig);
    flipped[10] = flipped[10]! ^ 1;
    expect(verifyEd25519(fromHex(pk), fromHex('72'), flipped)).toBe(false);
  });

  it('rejects S >= L (S + L is accepted by lax verifiers)', () => {
    const { pk, sig } = rfc8032[1]!;
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const sigBytes = fromHex(sig);
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sigBytes[i]!);
    let sPlusL = s + L;
    for (let i = 32; i < 64; i++) {
      sigBytes[i] = Number(sPlusL & 0xffn);
      sPlusL >>= 8n;
    }
    expect(verifyEd25519(fromHex(pk), fromHex('72'), sigBytes)).toBe(false);
  });

  it('decides S < L as the BigInt definition does, at every boundary', () => {
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const encode = (n: bigint): Uint8Array => {
      const bytes = new Uint8Array(32);
      for (let i = 0, rest = n; i < 32; i++, rest >>= 8n) bytes[i] = Number(rest & 0xffn);
      return bytes;
    };
    const scalars = [0n, 1n, L - 256n, L - 2n, L - 1n, L, L + 1n, L + 255n, 1n << 252n, (1n << 253n) - 1n];
    scalars.push((1n << 256n) - 1n, (1n << 255n) + 1n);
    for (let i = 1n; i <= 40n; i++) scalars.push((L * i) / 41n, L + (i << 100n));
    for (const s of scalars) expect(isCanonicalScalar(encode(s)), `S = ${s}`).toBe(s < L);
    expect(isCanonicalScalar(new Uint8Array(31))).toBe(false);
  });

  it('rejects wrong lengths', () => {
    const { pk, sig } = rfc8032[1]!;
    expect(verifyEd25519(fromHex(pk), fromHex('72'), fromHex(sig).subarray(0, 63))).toBe(false);
    expect(() => verifyEd25519(fromHex(pk).subarray(1), fromHex('72'), fromHex(sig))).toThrow(CryptoError);
  });
});

describe('ed25519 public key profile', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('../../../test/vectors/mimi-objects.json', import.meta.url), 'utf8'),
  ) as { ed25519: { smallOrderEncodings: string[] } };

  it.each(vectors.ed25519.smallOrderEncodings)('refuses small-order key %s', (hex) => {
    expect(() => checkPublicKey(fromHex(hex))).toThrow(expect.objectContaining({ code: 'key-small-order' }));
  });

  it('refuses y >= p and x = 0 with the sign bit set', () => {
    // y = p (non-canonical encoding of y = 0).
    const yIsP = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    expect(isCanonicalPointEncoding(yIsP)).toBe(false);
    expect(() => checkPublicKey(yIsP)).toThrow(expect.objectContaining({ code: 'key-noncanonical' }));
    // y = 1 with the sign bit: "-0", the identity encoded non-canonically.
    const negativeZero = fromHex('0100000000000000000000000000000000000000000000000000000000000080');
    expect(isCanonicalPointEncoding(negativeZero)).toBe(false);
    expect(() => checkPublicKey(negativeZero)).toThrow(expect.objectContaining({ code: 'key-noncanonical' }));
  });

  it('decides canonical encodings as the BigInt definition does, at every boundary', () => {
    const P = (1n << 255n) - 19n;
    const encode = (y: bigint, sign: boolean): Uint8Array => {
      const bytes = new Uint8Array(32);
      for (let i = 0, n = y; i < 32; i++, n >>= 8n) bytes[i] = Number(n & 0xffn);
      if (sign) bytes[31] = bytes[31]! | 0x80;
      return bytes;
    };
    const reference = (y: bigint, sign: boolean) => y < P && !(sign && (y === 1n || y === P - 1n));
    const ys = [0n, 1n, 2n, 255n, 256n, P - 256n, P - 2n, P - 1n, P, P + 1n, P + 18n, (1n << 255n) - 1n];
    for (let i = 0n; i < 40n; i++) ys.push((P * (i + 1n)) / 41n, P - 1n - (i << 120n));
    for (const y of ys) {
      for (const sign of [false, true]) {
        expect(isCanonicalPointEncoding(encode(y, sign)), `y = ${y}, sign ${sign}`).toBe(reference(y, sign));
      }
    }
  });

  it('refuses a canonical encoding that is not a point on the curve (y = 2)', () => {
    const offCurve = fromHex('0200000000000000000000000000000000000000000000000000000000000000');
    expect(isCanonicalPointEncoding(offCurve)).toBe(true);
    expect(() => checkPublicKey(offCurve)).toThrow(expect.objectContaining({ code: 'key-noncanonical' }));
    // The hot path learns it when the verification fails, and says why.
    expect(() => verifyEd25519(offCurve, fromHex('72'), fromHex(rfc8032[1]!.sig))).toThrow(
      expect.objectContaining({ code: 'key-noncanonical' }),
    );
  });

  it('accepts an ordinary key', () => {
    expect(() => checkPublicKey(fromHex(rfc8032[0]!.pk))).not.toThrow();
  });
});
