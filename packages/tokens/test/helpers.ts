/**
 * Test helpers: RSA-2048 issuer keys and tokens minted the way the issuer mints them
 * (our RFC 9474 blinding, raw RSA signing, finalization with the RSASSA-PSS check), without an HTTP round trip.
 */
import { constants, generateKeyPairSync, type KeyObject, privateDecrypt } from 'node:crypto';
import { networkChallenge } from '../src/challenge.js';
import type { DirectoryKey, IssuerDirectory } from '../src/directory.js';
import { blindRequests, finalizeToken } from '../src/issuance-client.js';
import { decodeTokenKey, encodeTokenKey } from '../src/token-key.js';

export interface TestKey {
  readonly privateKey: KeyObject;
  readonly key: DirectoryKey;
}

export function makeKey(notBefore: number | null = null): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
  });
  return { privateKey, key: { ...decodeTokenKey(encodeTokenKey(publicKey)), notBefore } };
}

export function directoryOf(...keys: TestKey[]): IssuerDirectory {
  return { issuerRequestUri: 'https://issuer.test/token-request', keys: keys.map((k) => k.key) };
}

export async function mintToken(signer: TestKey, issuerName: string): Promise<Uint8Array> {
  const [blinded] = await blindRequests(networkChallenge(issuerName), signer.key, 1);
  const signature = privateDecrypt(
    { key: signer.privateKey, padding: constants.RSA_NO_PADDING },
    blinded!.request.blindedMsg,
  );
  return finalizeToken(blinded!, new Uint8Array(signature));
}

export function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}
