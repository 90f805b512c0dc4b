/**
 * Privacy Pass tokens for server-core tests without an issuer: RSA-2048 keys in a
 * pinned directory and tokens minted the way the issuer mints them (blind, raw RSA
 * signature, finalize), so the real `TokenVerifier` judges them.
 */
import { constants, generateKeyPairSync, type KeyObject, privateDecrypt } from 'node:crypto';
import {
  blindRequests,
  type DirectoryKey,
  decodeTokenKey,
  encodeTokenKey,
  finalizeToken,
  type IssuerDirectory,
  networkChallenge,
} from '@mimi/tokens';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly key: DirectoryKey;
}

/** A key whose epoch starts at `notBefore` (Unix seconds). */
export function signingKey(notBefore: number): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, key: { ...decodeTokenKey(encodeTokenKey(publicKey)), notBefore } };
}

export function directoryOf(...keys: SigningKey[]): IssuerDirectory {
  return { issuerRequestUri: 'https://issuer.test/token-request', keys: keys.map((k) => k.key) };
}

export async function mintToken(signer: SigningKey, issuerName: string): Promise<Uint8Array> {
  const [blinded] = await blindRequests(networkChallenge(issuerName), signer.key, 1);
  const signature = privateDecrypt(
    { key: signer.privateKey, padding: constants.RSA_NO_PADDING },
    blinded!.request.blindedMsg,
  );
  return finalizeToken(blinded!, new Uint8Array(signature));
}

/** `bytes` with the lowest bit of the octet at `index` flipped. */
export function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}
