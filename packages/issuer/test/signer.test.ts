/** RFC 9474 §4.3 BlindSign through OpenSSL raw RSA, against the RFC 9578 Appendix A.2 vectors. */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IssuerHttpError } from '../src/errors.js';
import { blindSign } from '../src/signer.js';

const file = JSON.parse(
  readFileSync(new URL('../../tokens/test/vectors/rfc9578-blind-rsa.json', import.meta.url), 'utf8'),
) as { skS: string; vectors: { name: string; token_request: string; token_response: string }[] };
const sk = createPrivateKey(Buffer.from(file.skS, 'hex').toString('utf8'));
const pk = createPublicKey(sk);
const modulus = Buffer.from(pk.export({ format: 'jwk' }).n!, 'base64url');

describe('blindSign', () => {
  it.each(file.vectors)('$name: blind_sig equals the vector token_response', (vector) => {
    const request = Buffer.from(vector.token_request, 'hex');
    const signature = blindSign(sk, pk, request.subarray(3));
    expect(Buffer.from(signature).toString('hex')).toBe(vector.token_response);
  });

  it.each([
    ['the modulus itself', new Uint8Array(modulus)],
    ['all ones', new Uint8Array(256).fill(0xff)],
  ])('refuses a blinded message not below the modulus (%s) with 422', (_name, message) => {
    let caught: unknown;
    try {
      blindSign(sk, pk, message);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IssuerHttpError);
    expect(caught).toMatchObject({ status: 422, code: 'token-request-malformed' });
    expect((caught as Error).message).toBe('blinded message is not below the issuer modulus');
  });

  it.each([0, 255, 257])('refuses a blinded message of %i octets with 422', (length) => {
    expect(() => blindSign(sk, pk, new Uint8Array(length))).toThrow(
      `blinded message of ${length} octets, not 256`,
    );
  });

  it('signs a message with leading zero octets to the full 256 octets', () => {
    const message = new Uint8Array(256);
    message[255] = 2;
    const signature = blindSign(sk, pk, message);
    expect(signature.length).toBe(256);
  });
});
