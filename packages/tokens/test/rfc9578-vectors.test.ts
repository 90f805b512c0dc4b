/**
 * RFC 9578 Appendix A.2 (Blind RSA, 2048) vectors through our encodings: the issuer key
 * encoding (§6.5), the key id and its truncation (§6.1), the Token layout (RFC 9577
 * §2.2) and the RSASSA-PSS verification our DP uses (§6.4).
 */
import { constants, createHash, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TokenChallenge } from '@cloudflare/privacypass-ts';
import { describe, expect, it } from 'vitest';
import { networkChallenge } from '../src/challenge.js';
import { parseToken } from '../src/token.js';
import { decodeTokenKey, encodeTokenKey, tokenKeyId, truncatedKeyId } from '../src/token-key.js';
import { TokenVerifier } from '../src/verifier.js';

interface Vector {
  name: string;
  token_challenge: string;
  nonce: string;
  token_request: string;
  token_response: string;
  token: string;
}
const file = JSON.parse(
  readFileSync(new URL('./vectors/rfc9578-blind-rsa.json', import.meta.url), 'utf8'),
) as {
  skS: string;
  pkS: string;
  vectors: Vector[];
};
const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const pkS = hex(file.pkS);
const skS = createPrivateKey(Buffer.from(file.skS, 'hex').toString('utf8'));

describe('RFC 9578 §6.5 issuer key encoding', () => {
  it('encodes the vector key to pkS byte for byte', () => {
    expect(Buffer.from(encodeTokenKey(createPublicKey(skS))).toString('hex')).toBe(file.pkS);
  });

  it('decodes pkS to the same key, with id SHA256(pkS)', () => {
    const key = decodeTokenKey(pkS);
    expect(Buffer.from(key.encoded)).toEqual(Buffer.from(pkS));
    expect(Buffer.from(key.id).toString('hex')).toBe(createHash('sha256').update(pkS).digest('hex'));
    expect(key.publicKey.export({ format: 'jwk' }).n).toBe(createPublicKey(skS).export({ format: 'jwk' }).n);
  });

  it.each(file.vectors)('$name: truncated key id is the last octet of the id', (vector) => {
    expect(truncatedKeyId(tokenKeyId(pkS))).toBe(hex(vector.token_request)[2]);
  });
});

describe.each(file.vectors)('RFC 9577 §2.2 Token of $name', (vector) => {
  const token = hex(vector.token);

  it('parses into nonce, challenge digest, key id and authenticator', () => {
    const parsed = parseToken(token);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(Buffer.from(parsed.token.nonce).toString('hex')).toBe(vector.nonce);
    expect(Buffer.from(parsed.token.challengeDigest)).toEqual(
      createHash('sha256').update(hex(vector.token_challenge)).digest(),
    );
    expect(Buffer.from(parsed.token.tokenKeyId)).toEqual(Buffer.from(tokenKeyId(pkS)));
    expect(Buffer.from(parsed.token.authenticator)).toEqual(Buffer.from(token.subarray(98)));
    expect(Buffer.from(parsed.token.authenticatorInput)).toEqual(Buffer.from(token.subarray(0, 98)));
  });

  it('verifies with RSASSA-PSS SHA-384, salt 48 under pkS, and fails with one bit changed', () => {
    const key = decodeTokenKey(pkS).publicKey;
    const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 };
    expect(verify('sha384', token.subarray(0, 98), options, token.subarray(98))).toBe(true);
    const bad = token.slice();
    bad[5] = bad[5]! ^ 1;
    expect(verify('sha384', bad.subarray(0, 98), options, bad.subarray(98))).toBe(false);
  });

  it('TokenChallenge round-trips through the library', () => {
    const challenge = TokenChallenge.deserialize(hex(vector.token_challenge));
    expect(challenge.issuerName).toBe('issuer.example');
    expect(Buffer.from(challenge.serialize()).toString('hex')).toBe(vector.token_challenge);
  });

  it('is refused by our network verifier: its challenge names an origin (token-invalid)', () => {
    const key = { ...decodeTokenKey(pkS), notBefore: null };
    const verifier = new TokenVerifier({
      issuerUrl: 'https://issuer.example',
      directory: { issuerRequestUri: 'https://issuer.example/token-request', keys: [key] },
    });
    const verdict = verifier.verify(token);
    expect(verdict).toMatchObject({ ok: false, code: 'token-invalid' });
    expect(verdict.ok ? '' : verdict.message).toMatch(/another challenge than issuer issuer\.example/);
  });
});

describe('RFC 9577 §2.1 network challenge', () => {
  it('is type 2, the issuer name, empty redemption context, empty origin info', () => {
    const { challenge, digest } = networkChallenge('issuer.example');
    const bytes = challenge.serialize();
    expect(Buffer.from(bytes).toString('hex')).toBe(
      `0002000e${Buffer.from('issuer.example').toString('hex')}000000`,
    );
    expect(Buffer.from(digest)).toEqual(createHash('sha256').update(bytes).digest());
  });
});
