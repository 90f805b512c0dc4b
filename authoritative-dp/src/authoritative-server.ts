/**
 * mimi-authoritative (DESIGN §2, §4, §7): serves its delegated zones plus the mappings
 * of its SQLite store — one MSPMAP RR per mapping and the NAPTR ENUM view — and takes
 * signed publishes, removals and unassignments through the management API on the same
 * HTTPS listener as DoH.
 *
 * This module only wires: the store (@mimi/authority SqliteMappingStore), the engine
 * that signs and answers (AuthorityEngine with that store), the CSIP key source (the
 * stub resolver, csip-key-source.ts), the API routes, and the housekeeping timer.
 */
import { AuthorityEngine, DEFAULT_DNSKEY_TTL, SqliteMappingStore } from '@mimi/authority';
import { dsLine } from '@mimi/dnssec';
import { isMimiError } from '@mimi/errors';
import { ServerConfigError, type ServerParts, type ServerSetup } from '@mimi/server-core';
import { apiOutcomeCounter } from './api/api-metrics.js';
import { managementRoutes } from './api/management-routes.js';
import { type CsipKeySource, ResolverCsipKeys } from './csip-key-source.js';
import { startMaintenance } from './maintenance.js';
import { authoritativeFlags } from './program.js';

/** DESIGN §3: "Default apex: `mimi.arpa.`". */
export const NETWORK_APEX = 'mimi.arpa.';

export interface AuthoritativeParts extends ServerParts {
  readonly engine: AuthorityEngine;
  readonly store: SqliteMappingStore;
  readonly csipKeys: CsipKeySource;
  /** Stop the timer, close the resolver and the database (after the listener closed). */
  dispose(): Promise<void>;
}

/** Start-up problems with files (zones, keys, the database) are bad input: exit 2. */
function asConfigError(err: unknown): unknown {
  return isMimiError(err) ? new ServerConfigError(err.code, err.message, { cause: err }) : err;
}

export async function buildAuthoritative(setup: ServerSetup): Promise<AuthoritativeParts> {
  const flags = authoritativeFlags(setup.extra);
  const { logger } = setup;
  let store: SqliteMappingStore;
  try {
    store = new SqliteMappingStore(flags.db, { apex: NETWORK_APEX });
  } catch (err) {
    throw asConfigError(err);
  }
  let engine: AuthorityEngine;
  try {
    engine = await AuthorityEngine.create({
      zoneFiles: setup.flags.zones,
      keyDir: setup.flags.keyDir,
      store,
      networkApex: NETWORK_APEX,
    });
  } catch (err) {
    store.close();
    throw asConfigError(err);
  }
  const csipKeys = new ResolverCsipKeys(flags.resolverConfig, logger);
  const routes = managementRoutes({
    store,
    isServed: (owner) => engine.isAuthoritativeFor(owner),
    csipKeys: (csipId) => csipKeys.fetch(csipId),
    apex: NETWORK_APEX,
    requestsPerSecond: flags.apiRequestsPerSecond,
    logger,
    onOutcome: apiOutcomeCounter(setup.metrics.registry),
  });
  let stopMaintenance: (() => void) | undefined;
  return {
    engine,
    store,
    csipKeys,
    routes,
    apex: NETWORK_APEX,
    onStarted: () => {
      for (const [zone, key] of engine.zoneKeys()) {
        logger.info({ zone, ds: dsLine(key, DEFAULT_DNSKEY_TTL) }, 'zone key');
      }
      stopMaintenance = startMaintenance({ store, engine, logger });
    },
    async dispose() {
      stopMaintenance?.();
      await csipKeys.close();
      store.close();
    },
  };
}
