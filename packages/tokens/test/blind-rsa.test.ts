/**
 * The node:crypto + BigInt blind-RSA client (RFC 9474 §4.2/§4.3, EMSA-PSS of RFC 8017
 * §9.1.1) against RFC 9474 Appendix A.3 byte for byte, its integer helpers both ways,
 * its refusals, and the library as the reference: tokens made on the fast path verify
 * with the Privacy Pass library's verifier and with ours under the issuer's public key,
 * and a request made on it is issued by the library's own issuer.
 */
import { constants, createPublicKey, privateDecrypt, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { publicVerif, Token } from '@cloudflare/privacypass-ts';
import { describe, expect, it } from 'vitest';
import { blind, emsaPssEncode, finalize, mgf1, rsaPublicKeyOf } from '../src/blind-rsa.js';
import { networkChallenge } from '../src/challenge.js';
import { blindRequests, finalizeToken } from '../src/issuance-client.js';
import { bitLength, i2osp, modInverse, modPow, os2ip, randomBelow } from '../src/rsa-integers.js';
import { TokenVerifier } from '../src/verifier.js';
import { directoryOf, flip, makeKey } from './helpers.js';

const vector = JSON.parse(
  readFileSync(new URL('./vectors/rfc9474-blind-rsa.json', import.meta.url), 'utf8'),
) as Record<string, string>;
const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const big = (text: string) => BigInt(`0x${text}`);
const b64u = (text: string) => Buffer.from(text, 'hex').toString('base64url');
const vectorKey = rsaPublicKeyOf(
  createPublicKey({ key: { kty: 'RSA', n: b64u(vector.n!), e: b64u(vector.e!) }, format: 'jwk' }),
);

describe('RFC 9474 Appendix A.3 (RSABSSA-SHA384-PSS-Deterministic), byte for byte', () => {
  const msg = hex(vector.prepared_msg!);

  it('reads n and e of the 4096-bit vector key', () => {
    expect(vectorKey.n).toBe(big(vector.n!));
    expect(vectorKey.e).toBe(65537n);
    expect(vectorKey.modulusLength).toBe(512);
  });

  it('Prepare is the identity for this variant', () => {
    expect(vector.msg_prefix).toBe('');
    expect(vector.prepared_msg).toBe(vector.msg);
  });

  it('EMSA-PSS-ENCODE(msg, bit_len(n) - 1) with the salt gives encoded_msg', () => {
    expect(toHex(emsaPssEncode(msg, bitLength(vectorKey.n) - 1, hex(vector.salt!)))).toBe(vector.encoded_msg);
  });

  it('Blind with that salt and r = inv⁻¹ gives blinded_msg and inv', () => {
    const r = modInverse(big(vector.inv!), vectorKey.n)!;
    const out = blind(vectorKey, msg, { salt: hex(vector.salt!), r });
    expect(toHex(out.blindedMsg)).toBe(vector.blinded_msg);
    expect(out.inv).toBe(big(vector.inv!));
  });

  it('the vector blind_sig is blinded_msg^d mod n (the signer side, for the record)', () => {
    expect(modPow(big(vector.blinded_msg!), big(vector.d!), vectorKey.n)).toBe(big(vector.blind_sig!));
  });

  it('Finalize(blind_sig, inv) gives sig and checks it', () => {
    const sig = finalize(vectorKey, msg, hex(vector.blind_sig!), big(vector.inv!));
    expect(toHex(sig)).toBe(vector.sig);
  });

  it('Finalize refuses a blind signature with one bit changed: blind-rsa-signature-invalid', () => {
    expect(() => finalize(vectorKey, msg, flip(hex(vector.blind_sig!), 100), big(vector.inv!))).toThrow(
      expect.objectContaining({
        code: 'blind-rsa-signature-invalid',
        message: 'unblinded signature does not verify',
      }),
    );
  });

  it('Finalize refuses the wrong message: blind-rsa-signature-invalid', () => {
    expect(() => finalize(vectorKey, flip(msg, 0), hex(vector.blind_sig!), big(vector.inv!))).toThrow(
      expect.objectContaining({ code: 'blind-rsa-signature-invalid' }),
    );
  });

  it.each([
    ['one octet short', 511],
    ['one octet long', 513],
  ])('Finalize refuses a blind signature %s: blind-rsa-input-invalid', (_, length) => {
    expect(() => finalize(vectorKey, msg, new Uint8Array(length), 1n)).toThrow(
      expect.objectContaining({
        code: 'blind-rsa-input-invalid',
        message: `blind signature of ${length} octets, expected 512`,
      }),
    );
  });

  it('Finalize refuses a blind signature not below n: blind-rsa-input-invalid', () => {
    expect(() => finalize(vectorKey, msg, new Uint8Array(512).fill(0xff), 1n)).toThrow(
      expect.objectContaining({
        code: 'blind-rsa-input-invalid',
        message: 'blind signature is not below the modulus',
      }),
    );
  });

  it('Blind refuses an r that shares a factor with n: blind-rsa-input-invalid', () => {
    expect(() => blind(vectorKey, msg, { r: big(vector.p!) })).toThrow(
      expect.objectContaining({ code: 'blind-rsa-input-invalid', message: 'blind r is not invertible' }),
    );
  });

  it('a fresh Blind (random salt and r) differs each time and finalizes after signing', () => {
    const a = blind(vectorKey, msg);
    const b = blind(vectorKey, msg);
    expect(toHex(a.blindedMsg)).not.toBe(toHex(b.blindedMsg));
    const blindSig = i2osp(modPow(os2ip(a.blindedMsg), big(vector.d!), vectorKey.n), 512);
    expect(finalize(vectorKey, msg, blindSig, a.inv)).toHaveLength(512);
  });
});

describe('EMSA-PSS and MGF1 boundaries (RFC 8017 §9.1.1, §B.2.1)', () => {
  it('refuses an emBits too short for hash, salt and two octets: blind-rsa-input-invalid', () => {
    // emLen must be ≥ 48 + 48 + 2 = 98 octets: 97·8 bits is one octet short.
    expect(() => emsaPssEncode(new Uint8Array(1), 97 * 8, new Uint8Array(48))).toThrow(
      expect.objectContaining({
        code: 'blind-rsa-input-invalid',
        message: 'pss encoding error: 776 bits is too short',
      }),
    );
    expect(emsaPssEncode(new Uint8Array(1), 98 * 8, new Uint8Array(48))).toHaveLength(98);
  });

  it('clears the leftmost 8·emLen − emBits bits and ends with 0xbc', () => {
    const em = emsaPssEncode(new Uint8Array(3), 2047, new Uint8Array(48).fill(7));
    expect(em).toHaveLength(256);
    expect(em[0]! & 0x80).toBe(0);
    expect(em[255]).toBe(0xbc);
  });

  it('MGF1 output is a prefix of a longer output, and its length is exact', () => {
    const seed = new Uint8Array([1, 2, 3]);
    expect(mgf1(seed, 47)).toHaveLength(47);
    expect(toHex(mgf1(seed, 100).subarray(0, 60))).toBe(toHex(mgf1(seed, 60)));
  });
});

describe('RSA integer helpers (RFC 8017 §4)', () => {
  it.each([
    [0n, 1, '00'],
    [1n, 2, '0001'],
    [0xbcn, 1, 'bc'],
    [0x0102n, 4, '00000102'],
    [2n ** 64n - 1n, 8, 'ffffffffffffffff'],
  ])('I2OSP(%s, %i) = %s and OS2IP inverts it', (x, length, expected) => {
    expect(toHex(i2osp(x, length))).toBe(expected);
    expect(os2ip(hex(expected))).toBe(x);
  });

  it('OS2IP of no octets is 0', () => {
    expect(os2ip(new Uint8Array(0))).toBe(0n);
  });

  it('I2OSP refuses an integer too large and a negative one: blind-rsa-input-invalid', () => {
    expect(() => i2osp(256n, 1)).toThrow(
      expect.objectContaining({ code: 'blind-rsa-input-invalid', message: 'integer too large for 1 octets' }),
    );
    expect(() => i2osp(-1n, 4)).toThrow(expect.objectContaining({ code: 'blind-rsa-input-invalid' }));
  });

  it.each([
    [3n, 11n, 4n],
    [10n, 17n, 12n],
    [1n, 2n, 1n],
  ])('modInverse(%s, %s) = %s', (a, m, inverse) => {
    expect(modInverse(a, m)).toBe(inverse);
    expect((a * inverse) % m).toBe(1n);
  });

  it('modInverse is null without one', () => {
    expect(modInverse(6n, 9n)).toBeNull();
    expect(modInverse(0n, 7n)).toBeNull();
  });

  it.each([
    [4n, 13n, 497n, 445n],
    [7n, 0n, 13n, 1n],
    [2n, 10n, 1000n, 24n],
  ])('modPow(%s, %s, %s) = %s', (b, e, m, expected) => {
    expect(modPow(b, e, m)).toBe(expected);
  });

  it('randomBelow rejects 0 and values ≥ n, and keeps only bit_len(n) bits', () => {
    // n = 5 (3 bits): draws 0xff → 7 (≥ n), 0x00 → 0 (rejected), 0x60 → 3.
    const draws = [0xff, 0x00, 0x60];
    const value = randomBelow(5n, () => new Uint8Array([draws.shift()!]));
    expect(value).toBe(3n);
    expect(draws).toHaveLength(0);
  });
});

describe('fast-path tokens against the Privacy Pass library', () => {
  const issuer = 'issuer.test:8443';
  const signer = makeKey();
  const sign = (blindedMsg: Uint8Array) =>
    new Uint8Array(privateDecrypt({ key: signer.privateKey, padding: constants.RSA_NO_PADDING }, blindedMsg));

  it('a token made here verifies with the library verifier, and with ours, under the issuer key', async () => {
    const [blinded] = await blindRequests(networkChallenge(issuer), signer.key, 1);
    const token = await finalizeToken(blinded!, sign(blinded!.request.blindedMsg));
    const publicKey = await webcrypto.subtle.importKey(
      'spki',
      publicVerif.convertRSASSAPSSToEnc(signer.key.encoded),
      { name: 'RSA-PSS', hash: 'SHA-384' },
      true,
      ['verify'],
    );
    const origin = new publicVerif.Origin(publicVerif.BlindRSAMode.PSS);
    const parsed = Token.deserialize(publicVerif.BLIND_RSA, token);
    expect(await origin.verify(parsed, publicKey)).toBe(true);
    expect(await origin.verify(Token.deserialize(publicVerif.BLIND_RSA, flip(token, 300)), publicKey)).toBe(
      false,
    );
    const verifier = new TokenVerifier({ issuerUrl: `https://${issuer}`, directory: directoryOf(signer) });
    expect(verifier.verify(token)).toMatchObject({ ok: true });
  });

  it('its TokenRequest parses in the library and the library issuer signs it', async () => {
    const [blinded] = await blindRequests(networkChallenge(issuer), signer.key, 1);
    const bytes = blinded!.request.serialize();
    const reparsed = publicVerif.TokenRequest.deserialize(publicVerif.BLIND_RSA, bytes);
    expect(toHex(reparsed.blindedMsg)).toBe(toHex(blinded!.request.blindedMsg));
    expect(reparsed.truncatedTokenKeyId).toBe(signer.key.id[31]);
    const rsaPss = { name: 'RSA-PSS', hash: 'SHA-384' };
    const privateKey = await webcrypto.subtle.importKey(
      'pkcs8',
      signer.privateKey.export({ format: 'der', type: 'pkcs8' }),
      rsaPss,
      true,
      ['sign'],
    );
    const publicKey = await webcrypto.subtle.importKey(
      'spki',
      publicVerif.convertRSASSAPSSToEnc(signer.key.encoded),
      rsaPss,
      true,
      ['verify'],
    );
    const libraryIssuer = new publicVerif.Issuer(publicVerif.BlindRSAMode.PSS, issuer, privateKey, publicKey);
    const response = await libraryIssuer.issue(reparsed);
    const token = await finalizeToken(blinded!, response.blindSig);
    expect(await libraryIssuer.verify(Token.deserialize(publicVerif.BLIND_RSA, token))).toBe(true);
  });

  it('a wrong blind signature is issuer-bad-response, caused by blind-rsa-signature-invalid', async () => {
    const [blinded] = await blindRequests(networkChallenge(issuer), signer.key, 1);
    const wrong = flip(sign(blinded!.request.blindedMsg), 10);
    await expect(finalizeToken(blinded!, wrong)).rejects.toMatchObject({
      code: 'issuer-bad-response',
      cause: expect.objectContaining({ code: 'blind-rsa-signature-invalid' }),
    });
  });
});
