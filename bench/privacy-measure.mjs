/**
 * The measurements of one (round, mode) of the privacy benchmark, each checking that
 * every result is `found` (resolver-measure.mjs's expectFound):
 *
 * - cold: a fresh resolver per CSI (resolver-measure.mjs measureCold): trust anchor,
 *   the walk from the root, connections, ODoH configs and, with tokens, the issuer's
 *   directory and a first token;
 * - fresh: "a new CSI with warm delegations", what a user of a running resolver feels:
 *   one resolver, a primer resolved first, then each new CSI timed one after another;
 * - warm: the same CSI again (a cache hit; resolver-measure.mjs measureWarm);
 * - bulk: resolveMany over distinct CSIs (resolver-measure.mjs measureBulk), on a new
 *   resolver in this thread. resolver.mjs runs each bulk pass in a fresh worker so that
 *   no module-level cache of recipient keys survives from a pass over the same CSIs; here
 *   every run has CSIs (and recipient keys) of its own, so nothing carries over anyway.
 *   (A first version used the worker and lost a pass: the worker exited with code 13,
 *   an unsettled top-level await, mid-run on a loaded machine; not seen in this thread.)
 *
 * Around each, the CPU of every side: this process (the client, worker threads
 * included: process.cpuUsage is per process) and each server process (/proc/<pid>/stat).
 */

import { BenchError } from './lib/errors.mjs';
import { pidCpuSeconds } from './resolver-cpu.mjs';
import { expectFound, measureBulk, measureCold, measureWarm } from './resolver-measure.mjs';

/** The resolver module of every mode (privacy-stub.mjs). */
export const PRIVACY_STUB = new URL('./privacy-stub.mjs', import.meta.url).href;

const msSince = (started) => Number(process.hrtime.bigint() - started) / 1e6;

/** A CPU meter over this process and `sides` ({name: pid}); stop() → {client, [name]: seconds}. */
export function startSidesMeter(sides) {
  const self = process.cpuUsage();
  const before = Object.fromEntries(Object.entries(sides).map(([name, pid]) => [name, pidCpuSeconds(pid)]));
  return {
    stop() {
      const used = process.cpuUsage(self);
      const out = { client: (used.user + used.system) / 1e6 };
      for (const [name, pid] of Object.entries(sides)) out[name] = pidCpuSeconds(pid) - before[name];
      return out;
    },
  };
}

/**
 * Fresh-CSI latencies (ms): one resolver, `primer` untimed, then each CSI once, timed;
 * {samples, cpu} with the sides metered after the primer.
 */
export async function measureFresh(makeResolver, primer, csis, sides = {}) {
  const resolver = makeResolver();
  const latencies = [];
  let meter;
  try {
    expectFound(await resolver.resolve(primer), 'fresh primer');
    meter = startSidesMeter(sides);
    for (const csi of csis) {
      const started = process.hrtime.bigint();
      const result = await resolver.resolve(csi);
      latencies.push(msSince(started));
      expectFound(result, 'fresh resolve');
    }
    return { samples: latencies, cpu: meter.stop() };
  } finally {
    await resolver.close();
  }
}

/** `fn()` with the sides metered: {value, cpu}. */
async function metered(sides, fn) {
  const meter = startSidesMeter(sides);
  const value = await fn();
  return { value, cpu: meter.stop() };
}

/**
 * Every measurement of one run. `stub` is privacy-stub.mjs (imported), `configFile` the
 * mode's client.json, `primer` a CSI on the mode's DP.
 */
export async function measureRun({ stub, configFile, primer, run, sides, concurrency, log }) {
  const config = stub.loadClientConfig(configFile);
  let redirects = 0;
  const makeResolver = () => {
    const resolver = stub.createResolver(config);
    if (resolver.redirects === undefined) return resolver;
    const close = resolver.close;
    resolver.close = async () => {
      redirects += resolver.redirects();
      await close();
    };
    return resolver;
  };
  log(`${run.mode}: cold ×${run.cold.length}`);
  const cold = await metered(sides, () => measureCold(makeResolver, run.cold));
  // A redirecting mode that redirected nothing asked the token-checking DP, not its replica.
  if (config.benchRedirect !== undefined && redirects === 0) {
    throw new BenchError('not-redirected', `${run.mode}: no query went to ${config.benchRedirect.to}`);
  }
  log(`${run.mode}: new CSI, warm delegations ×${run.fresh.length}`);
  const fresh = await measureFresh(makeResolver, primer, run.fresh, sides);
  log(`${run.mode}: warm ×${run.warm.length}`);
  const warm = await metered(sides, () => measureWarm(makeResolver, run.warm));
  log(`${run.mode}: bulk ${run.bulk.length} CSIs at concurrency ${concurrency}`);
  const bulk = await metered(sides, () =>
    measureBulk(makeResolver, { primer, csis: run.bulk, concurrency, serverPids: Object.values(sides) }),
  );
  log(`${run.mode}: ${Math.round(bulk.value.perSecond)} resolutions/s`);
  return {
    round: run.round,
    mode: run.mode,
    cold: { samples: cold.value, cpu: cold.cpu },
    fresh,
    warm: { samples: warm.value, cpu: warm.cpu },
    bulk: { ...bulk.value, sides: bulk.cpu },
  };
}
