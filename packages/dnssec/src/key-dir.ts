/**
 * The zone key directory (DESIGN §8 `--key-dir`): one PKCS#8 PEM private key per
 * zone at `<key-dir>/<zone without trailing dot>.key`, mode 0600, never overwritten
 * (@mimi/crypto key files). Zone names become file names, so only names made of
 * letters, digits, `-` and `_` labels are accepted: no path can escape the directory.
 */

import type { KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { CryptoError, generateEd25519, readPrivateKeyFile, writePrivateKeyFile } from '@mimi/crypto';
import { canonicalName } from '@mimi/protocol';
import { DnssecError } from './errors.js';
import { createZoneKey, type ZoneKey } from './zone-key.js';

/** Mode of a key directory we create: only its owner may list it. */
const KEY_DIR_MODE = 0o700;

/** `<key-dir>/<zone>.key` for a zone such as `4.4.e164.mimi.arpa.`. */
export function zoneKeyPath(keyDir: string, zone: string): string {
  const name = canonicalName(zone);
  if (name === '.')
    throw new DnssecError('key-file-name', 'the dns root has no key file name; use a named apex');
  const bare = name.slice(0, -1);
  if (!bare.split('.').every((label) => /^[a-z0-9_-]+$/.test(label))) {
    throw new DnssecError('key-file-name', `zone ${zone} has characters not allowed in a key file name`);
  }
  return join(keyDir, `${bare}.key`);
}

/** Read the key of `zone`; CryptoError `key-file-missing` when there is none. */
export async function readZoneKey(keyDir: string, zone: string): Promise<ZoneKey> {
  return createZoneKey(zone, await readPrivateKeyFile(zoneKeyPath(keyDir, zone)));
}

/** Write a new key for `zone` (a fresh one unless given); refuses to overwrite. */
export async function writeZoneKey(keyDir: string, zone: string, privateKey?: KeyObject): Promise<ZoneKey> {
  const path = zoneKeyPath(keyDir, zone);
  await fs.mkdir(keyDir, { recursive: true, mode: KEY_DIR_MODE });
  const key = privateKey ?? generateEd25519().privateKey;
  const zoneKey = createZoneKey(zone, key);
  await writePrivateKeyFile(path, key);
  return zoneKey;
}

/** The key of `zone`, created on first use (as the demo does on its first start). */
export async function loadOrCreateZoneKey(
  keyDir: string,
  zone: string,
): Promise<{ key: ZoneKey; created: boolean }> {
  try {
    return { key: await readZoneKey(keyDir, zone), created: false };
  } catch (err) {
    if (!(err instanceof CryptoError) || err.code !== 'key-file-missing') throw err;
  }
  try {
    return { key: await writeZoneKey(keyDir, zone), created: true };
  } catch (err) {
    // Another process created it between our read and our write: use theirs.
    if (err instanceof CryptoError && err.code === 'key-file-exists') {
      return { key: await readZoneKey(keyDir, zone), created: false };
    }
    throw err;
  }
}
