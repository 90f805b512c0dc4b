/**
 * mimi-root (DESIGN §2, §8): serves the apex zone — delegations of E.164 prefixes and
 * email domains with NS + DS + the servers' `_dns` SVCB endpoints (RFC 9461) — and
 * the CSIP key zone, from `--zone` files and overlays (zones/README.md). It holds no
 * mapping store and no API: everything it serves comes from files, signed online with
 * one key per zone from `--key-dir` (DESIGN §5).
 *
 * The server is the shared one (@mimi/server-core) around an AuthorityEngine; what is
 * the root's own is only its program description and the start-up report of the DS
 * line of each zone, which the operator hands to the parent (or to clients, for the
 * apex, as the trust anchor).
 */
import { createRequire } from 'node:module';
import { AuthorityEngine, DEFAULT_DNSKEY_TTL } from '@mimi/authority';
import { dsLine } from '@mimi/dnssec';
import { isMimiError } from '@mimi/errors';
import { type ProgramSpec, ServerConfigError, type ServerParts, type ServerSetup } from '@mimi/server-core';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export const ROOT_PROGRAM: ProgramSpec = {
  name: 'mimi-root',
  version,
  summary: 'root DP of the MIMI discovery network: the apex zone and the CSIP key zone over DoH',
};

/**
 * How often signatures due for refresh are re-made off the query path. They are
 * refreshed with 2 of their 7 days left (@mimi/authority), so hourly is ample.
 */
export const ROOT_REFRESH_INTERVAL_MS = 3_600_000;

/** Build the root's engine from the common flags; zone and key problems are bad input (exit 2). */
export async function buildRoot(setup: ServerSetup): Promise<ServerParts & { dispose(): void }> {
  let engine: AuthorityEngine;
  try {
    engine = await AuthorityEngine.create({ zoneFiles: setup.flags.zones, keyDir: setup.flags.keyDir });
  } catch (err) {
    if (isMimiError(err)) throw new ServerConfigError(err.code, err.message, { cause: err });
    throw err;
  }
  let timer: NodeJS.Timeout | undefined;
  return {
    engine,
    onStarted: () => {
      for (const [zone, key] of engine.zoneKeys()) {
        setup.logger.info({ zone, ds: dsLine(key, DEFAULT_DNSKEY_TTL) }, 'zone key');
      }
      timer = setInterval(() => {
        try {
          engine.refreshSignatures(Math.floor(Date.now() / 1000));
        } catch (err) {
          setup.logger.error({ err }, 'signature refresh failed');
        }
      }, ROOT_REFRESH_INTERVAL_MS);
      timer.unref();
    },
    dispose: () => clearInterval(timer),
  };
}
