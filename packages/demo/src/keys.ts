/**
 * Keys the demo generates on first start and re-uses after: one DNSSEC key per zone
 * (in each server's key directory, as the servers read them), the CSIPs' keys and the
 * seeded recipients' keys — all PKCS#8 PEM, mode 0600.
 */
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { CryptoError, generateEd25519, readPrivateKeyFile, writePrivateKeyFile } from '@mimi/crypto';
import { loadOrCreateZoneKey, writeZoneKey, type ZoneKey, zoneKeyPath } from '@mimi/dnssec';

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

/**
 * Give `keyDir` the keys already chosen for any of `zones` (by an earlier server of the
 * same network), unless it has its own: replicas of a zone share its signing key.
 */
export async function shareZoneKeys(
  keyDir: string,
  zones: readonly string[],
  chosen: ReadonlyMap<string, ZoneKey>,
): Promise<void> {
  for (const zone of zones) {
    const key = chosen.get(zone);
    if (key !== undefined && !existsSync(zoneKeyPath(keyDir, zone)))
      await writeZoneKey(keyDir, zone, key.privateKey);
  }
}
