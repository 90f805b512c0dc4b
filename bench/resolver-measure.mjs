/**
 * The three measurements of the stub resolver (docs/EMBEDDING.md) against a running
 * network, each checking that every result is `found` — a benchmark that resolves
 * nothing and reports it fast is worthless:
 *
 * - cold: a fresh resolver per CSI (trust anchor, the walk from the root with its
 *   DNSSEC checks, new TLS connections, CSIP key, objects), timed from resolve() to its
 *   result;
 * - warm: the same CSI again on the resolver that just resolved it (a cache hit);
 * - bulk: resolveMany over distinct CSIs on a resolver whose delegations and CSIP keys
 *   are warm (one other CSI resolved first), so each CSI costs one DoH query and three
 *   Ed25519 verifications (RRSIG over the MSPMAP RRset, attestation, recipient).
 *
 * Each takes `makeResolver()`: createResolver(config) of @mimi/stub-resolver in the
 * benchmark, a stand-in in the tests.
 */

import { BenchError } from './lib/errors.mjs';
import { startCpuMeter } from './resolver-cpu.mjs';
import { startProfile, summarizeProfile } from './resolver-profile.mjs';
import { countStatuses, firstNotFound, perSecond } from './resolver-stats.mjs';

const msSince = (started) => Number(process.hrtime.bigint() - started) / 1e6;

export function expectFound(result, what) {
  if (result.status !== 'found') {
    throw new BenchError(
      'not-found',
      `${what}: ${result.csi} resolved to ${result.status}${result.reason ? ` (${result.reason})` : ''}`,
    );
  }
}

/** Cold latencies (ms), one fresh resolver per CSI; closing it is not timed. */
export async function measureCold(makeResolver, csis) {
  const latencies = [];
  for (const csi of csis) {
    const resolver = makeResolver();
    try {
      const started = process.hrtime.bigint();
      const result = await resolver.resolve(csi);
      latencies.push(msSince(started));
      expectFound(result, 'cold resolve');
    } finally {
      await resolver.close();
    }
  }
  return latencies;
}

/** Warm latencies (ms): each CSI resolved once untimed, then again timed (from cache). */
export async function measureWarm(makeResolver, csis) {
  const resolver = makeResolver();
  const latencies = [];
  try {
    for (const csi of csis) {
      expectFound(await resolver.resolve(csi), 'warm-up resolve');
      const started = process.hrtime.bigint();
      const result = await resolver.resolve(csi);
      latencies.push(msSince(started));
      expectFound(result, 'warm resolve');
    }
  } finally {
    await resolver.close();
  }
  return latencies;
}

/** The status counts of `results`; throws `not-found` unless all `count` are found. */
function expectAllFound(results, count, what) {
  const statuses = countStatuses(results);
  const bad = firstNotFound(results);
  if (bad !== undefined || results.length !== count) {
    throw new BenchError(
      'not-found',
      `${what}: ${JSON.stringify(statuses)}; first: ${
        bad ? `${bad.result.csi} ${bad.result.status} ${bad.result.reason ?? ''}` : 'missing results'
      }`,
      { details: { statuses } },
    );
  }
  return statuses;
}

/**
 * One bulk run: a new resolver, `primer` resolved first (delegations, DP keys and
 * the CSIP key now cached), then `warmup` (other CSIs, untimed), then resolveMany over
 * `csis` at `concurrency`, timed.
 * Resolves with the rate, the CPU each side used, the status counts and, with `profile`
 * ({dir, name}), where the CPU profile went and its busiest functions; throws
 * BenchError `not-found` if any result is not `found`.
 */
export async function measureBulk(
  makeResolver,
  { primer, warmup = [], csis, concurrency, serverPids, onProgress, profile },
) {
  const resolver = makeResolver();
  try {
    expectFound(await resolver.resolve(primer), 'bulk primer');
    // Untimed: other CSIs, so that the JIT has compiled the hot paths of this thread and
    // of the resolver's workers, as in a resolver that has been running for a while.
    if (warmup.length > 0) {
      expectAllFound(
        await resolver.resolveMany(warmup, { concurrency }),
        warmup.length,
        `warm-up at concurrency ${concurrency}`,
      );
    }
    const profiler = profile === undefined ? undefined : await startProfile(profile.dir);
    const meter = startCpuMeter(serverPids);
    const started = process.hrtime.bigint();
    const results = await resolver.resolveMany(csis, { concurrency, onProgress });
    const ms = msSince(started);
    const cpu = meter.stop();
    const profiled = await profiler?.stop(profile.name);
    const statuses = expectAllFound(results, csis.length, `bulk at concurrency ${concurrency}`);
    return {
      concurrency,
      warmup: warmup.length,
      count: results.length,
      ms,
      perSecond: perSecond(results.length, ms),
      cpu: {
        clientSeconds: cpu.client,
        serverSeconds: cpu.servers,
        ...(cpu.calling === undefined ? {} : { callingSeconds: cpu.calling }),
      },
      statuses,
      ...(profiled === undefined
        ? {}
        : {
            profile: {
              file: profiled.file,
              self: summarizeProfile(profiled.profile, { top: 20 }),
              total: summarizeProfile(profiled.profile, { top: 40, by: 'total' }),
            },
          }),
    };
  } finally {
    await resolver.close();
  }
}
