/** Fixed Ed25519 keys for the object tests (seeds are SHA-256 of a label). */
import type { KeyObject } from 'node:crypto';
import { privateKeyFromSeed, publicKeyOf, sha256 } from '@mimi/crypto';

export function keyFrom(label: string): { key: KeyObject; pub: Uint8Array } {
  const key = privateKeyFromSeed(sha256(new TextEncoder().encode(`mimi cli test ${label}`)));
  return { key, pub: publicKeyOf(key) };
}

export const CSIP = keyFrom('csip uk-carrier');
export const RECIPIENT = keyFrom('recipient +447700900123');
export const STRANGER = keyFrom('someone else');
