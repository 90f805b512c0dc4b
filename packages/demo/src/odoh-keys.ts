/**
 * The servers' Oblivious DoH keys (RFC 9230 §5) as a network publishes them: each
 * server's key ring file (`keys/odoh/<server>.json`, mode 0600, what `--odoh-keys` reads)
 * is made or loaded before the server starts, so that its ObliviousDoHConfigs (§6) can go
 * into the apex overlay as the ODOHCFG record at `_odoh.<host>` (DESIGN §4, §7) before the
 * root signs it. Afterwards the server itself says what it serves: its `odoh configs` log
 * line, at start and after every rotation (docs/OPERATIONS.md), which `configsFromLog`
 * reads.
 */
import { loadOrCreateKeyRing, writeKeyRingFile } from '@mimi/odoh';
import type { LogLine } from './server-process.js';

/** What a server's ODOHCFG record publishes. */
export interface OdohConfigs {
  /** The ObliviousDoHConfigs bytes (the record's RDATA): the current key only. */
  readonly configs: Uint8Array;
  /** The longest a copy may be cached (half the key overlap, RFC 9230 §5 rotation). */
  readonly ttl: number;
}

/** The msg of the line a server logs with its configs (server-core odoh-target.ts). */
export const ODOH_CONFIGS_MSG = 'odoh configs';

/**
 * Load (or create) the ring at `file` and rotate it when due, as the server would at its
 * start (server-core `OdohTarget.open`), so the record names the key the server will use.
 */
export async function prepareOdohKeys(file: string, now?: () => number): Promise<OdohConfigs> {
  const ring = await loadOrCreateKeyRing(file, now === undefined ? {} : { now });
  if (ring.rotateIfDue()) await writeKeyRingFile(file, ring);
  return { configs: ring.configs(), ttl: ring.maxConfigAgeSeconds };
}

/** The configs an `odoh configs` log line announces, or undefined for any other line. */
export function configsFromLog(line: LogLine): OdohConfigs | undefined {
  if (line.msg !== ODOH_CONFIGS_MSG) return undefined;
  const { configs, ttl } = line;
  if (typeof configs !== 'string' || !/^[A-Za-z0-9_-]+$/.test(configs)) return undefined;
  if (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0) return undefined;
  return { configs: new Uint8Array(Buffer.from(configs, 'base64url')), ttl };
}

export function sameConfigs(a: OdohConfigs | undefined, b: OdohConfigs): boolean {
  return a !== undefined && a.ttl === b.ttl && Buffer.from(a.configs).equals(Buffer.from(b.configs));
}
