/**
 * Keys the demo generates on first start and re-uses after: one DNSSEC key per zone
 * (in each server's key directory, as the servers read them), the CSIPs' keys and the
 * seeded recipients' keys — all PKCS#8 PEM, mode 0600.
 */
import type { KeyObject } from 'node:crypto';
import { CryptoError, generateEd25519, readPrivateKeyFile, writePrivateKeyFile } from '@mimi/crypto';
import { loadOrCreateZoneKey, type ZoneKey } from '@mimi/dnssec';

/** The key in `path`, created first if the file does not exist. */
export async function loadOrCreateKey(path: string): Promise<KeyObject> {
  try {
    return await readPrivateKeyFile(path);
  } catch (err) {
    if (!(err instanceof CryptoError) || err.code !== 'key-file-missing') throw err;
  }
  const { privateKey } = generateEd25519();
  await writePrivateKeyFile(path, privateKey);
  return privateKey;
}

export async function zoneKeysFor(keyDir: string, zones: readonly string[]): Promise<Map<string, ZoneKey>> {
  const keys = new Map<string, ZoneKey>();
  for (const zone of zones) keys.set(zone, (await loadOrCreateZoneKey(keyDir, zone)).key);
  return keys;
}
