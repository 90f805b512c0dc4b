/**
 * The authoritative DP's housekeeping timer: delete expired mappings (the replay
 * guards stay forever, DESIGN §4) and re-sign RRsets whose signatures are due, off the
 * query path (DESIGN §5: "re-signed before expiry"). Expired mappings are already not
 * served — the store filters by `exp` and the answer cache never outlives one — so the
 * purge only keeps the database small.
 */
import type { MappingStore } from '@mimi/authority';
import type { Logger } from '@mimi/server-core';

/** Our choice: once a minute is cheap (both steps are no-ops when nothing is due). */
export const MAINTENANCE_INTERVAL_MS = 60_000;

export interface MaintenanceTarget {
  readonly store: Pick<MappingStore, 'purgeExpired'>;
  readonly engine: { refreshSignatures(now: number): void };
  readonly logger: Logger;
  /** Milliseconds since the Unix epoch; default Date.now. */
  readonly clock?: () => number;
}

/** One round: purge, then refresh. Failures are logged; the next round tries again. */
export function runMaintenance(target: MaintenanceTarget): void {
  const now = Math.floor((target.clock ?? Date.now)() / 1000);
  try {
    const purged = target.store.purgeExpired(now);
    if (purged > 0) target.logger.info({ purged }, 'expired mappings deleted');
  } catch (err) {
    target.logger.error({ err }, 'purging expired mappings failed');
  }
  try {
    target.engine.refreshSignatures(now);
  } catch (err) {
    target.logger.error({ err }, 'signature refresh failed');
  }
}

/** Run `runMaintenance` every `intervalMs`; returns the function that stops it. */
export function startMaintenance(
  target: MaintenanceTarget,
  intervalMs = MAINTENANCE_INTERVAL_MS,
): () => void {
  const timer = setInterval(() => runMaintenance(target), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
