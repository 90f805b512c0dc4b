#!/usr/bin/env node
/**
 * `npm run bench:resolver`: the stub resolver (@mimi/stub-resolver) against a real
 * network of the built servers on 127.0.0.1, in one run —
 *
 *   (a) raw Ed25519 verifies/s with node:crypto on one thread (before and after the rest);
 *   (b) cold single-resolve latency (a fresh resolver per CSI);
 *   (c) warm single-resolve latency (the same CSI again: a cache hit);
 *   (d) bulk resolveMany over N distinct CSIs with delegations and CSIP keys warm, at
 *       several concurrency levels, against the issue's target
 *       resolutions/s ≥ 0.70 × (verifies/s ÷ 3).
 *
 * Data: N + cold + warm + 1 CSIs signed here and published through the DP's management
 * API. Progress goes to stderr, the report to stdout, everything measured to
 * bench/results/resolver-<date>.json. Method and results: docs/benchmarks-resolver.md.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runMain } from './lib/cli.mjs';
import { runBulkInWorker } from './resolver-bulk-worker.mjs';
import { measureCold, measureWarm } from './resolver-measure.mjs';
import { CSIP_ID, canPin, cpuSplit, pin, serverPids, startBenchNetwork } from './resolver-network.mjs';
import { parseOptions, USAGE } from './resolver-options.mjs';
import { benchCsi, publishAll } from './resolver-publish.mjs';
import {
  describeMachine,
  describeSource,
  formatReport,
  judgeBulk,
  progressLogger,
  resultStamp,
  verdict,
  writeRecord,
} from './resolver-report.mjs';
import { percentile, summarize } from './resolver-stats.mjs';
import { verifyRateTrials } from './resolver-verify-rate.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(benchDir, 'results');
const log = (line) => process.stderr.write(`[bench:resolver] ${line}\n`);

const progress = progressLogger(log, 10);

async function run(options) {
  const startedAt = new Date();
  const machine = describeMachine();
  if (machine.loadAverage[0] > 0.5) {
    log(
      `warning: load average ${machine.loadAverage[0]} at start: other work shares the CPUs, numbers will be noisy`,
    );
  }
  // Index 0 primes each bulk resolver; then the bulk set, the cold set, the warm set and
  // the bulk runs' warm-up set.
  const primer = benchCsi(0);
  const bulkSet = Array.from({ length: options.csis }, (_, i) => benchCsi(1 + i));
  const coldSet = Array.from({ length: options.cold }, (_, i) => benchCsi(1 + options.csis + i));
  const warmSet = Array.from({ length: options.warm }, (_, i) =>
    benchCsi(1 + options.csis + options.cold + i),
  );
  const warmupSet = Array.from({ length: options.warmup }, (_, i) =>
    benchCsi(1 + options.csis + options.cold + options.warm + i),
  );

  log('starting the network (root + one authoritative DP for +44)');
  const network = await startBenchNetwork();
  try {
    const pids = serverPids(network);
    const split = options.pin !== 'none' && canPin() ? cpuSplit(machine.nproc) : null;
    const pinning = split === null ? null : { mode: options.pin, servers: split.servers };
    if (pinning !== null) {
      for (const pid of pids) pin(pid, split.servers);
      if (options.pin === 'split') {
        pin(process.pid, split.client);
        pinning.client = split.client;
      }
      log(
        `pinned the servers to CPU ${split.servers}${pinning.client ? `, this process to CPU ${split.client}` : ''}`,
      );
    }

    const dp = network.authoritatives[0];
    const csip = network.csips.get(CSIP_ID);
    const all = [primer, ...bulkSet, ...coldSet, ...warmSet, ...warmupSet];
    log(`publishing ${all.length} mappings through ${dp.api}/v1/mappings`);
    const published = await publishAll({
      csis: all,
      csip,
      apiBase: dp.api,
      host: dp.host,
      ca: network.ca,
      now: Math.floor(Date.now() / 1000),
      onProgress: progress('published'),
    });

    log(`Ed25519 yardstick: ${options.verifyTrials} × ${options.verifySeconds} s`);
    const before = verifyRateTrials(options.verifyTrials, options.verifySeconds);

    const stubModule = options.stub === undefined ? '@mimi/stub-resolver' : pathToFileURL(options.stub).href;
    const stub = await import(stubModule);
    const config = stub.loadClientConfig(network.clientConfigFile);
    const makeResolver = () => stub.createResolver(config);
    log(`cold: ${coldSet.length} resolves, a fresh resolver each`);
    const cold = await measureCold(makeResolver, coldSet);
    log(`warm: ${warmSet.length} resolves from cache`);
    const warm = await measureWarm(makeResolver, warmSet);

    // The first pass meets a DP whose answer cache has none of these names (each answer
    // signed online); it is reported but not judged. The judged passes find them cached.
    // Each pass runs in a fresh worker thread: no module-level cache (imported public
    // keys) survives from the pass before, so every pass sees 10,000 new recipient keys.
    // With --compare, each judged pass is made with both builds, the order alternating
    // from round to round (A B, B A, ...), so that drift in the machine's load hits both.
    const builds = [{ build: 'A', module: stubModule }];
    if (options.compare !== undefined) {
      builds.push({ build: 'B', module: pathToFileURL(options.compare).href });
    }
    const passes = [{ concurrency: Math.max(...options.concurrency), serverCold: true, ...builds[0] }];
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? builds : [...builds].reverse();
      for (const concurrency of options.concurrency) {
        for (const build of order) passes.push({ concurrency, serverCold: false, ...build });
      }
    }
    const components = options.workers === undefined ? {} : { verifyWorkers: options.workers };
    const bulk = [];
    for (const pass of passes) {
      log(
        `bulk${builds.length > 1 ? ` (${pass.build})` : ''}: ${bulkSet.length} CSIs at concurrency ${pass.concurrency}${pass.serverCold ? ' (DP answers cold)' : ''}`,
      );
      const task = {
        stubModule: pass.module,
        clientConfigFile: network.clientConfigFile,
        components,
        primer,
        warmup: warmupSet,
        csis: bulkSet,
        concurrency: pass.concurrency,
        serverPids: pids,
        ...(options.cpuProfileDir === undefined
          ? {}
          : {
              profile: {
                dir: options.cpuProfileDir,
                name: `resolver-bulk-${pass.build}-c${pass.concurrency}${pass.serverCold ? '-dp-cold' : ''}`,
              },
            }),
      };
      const measured = await runBulkInWorker(task, progress(`bulk c=${pass.concurrency}`));
      log(`  ${Math.round(measured.perSecond)} resolutions/s`);
      bulk.push({
        ...measured,
        serverCold: pass.serverCold,
        ...(builds.length > 1 ? { build: pass.build } : {}),
      });
    }

    log('Ed25519 yardstick again');
    const after = verifyRateTrials(options.verifyTrials, options.verifySeconds);
    const trials = [...before, ...after].map((trial) => trial.perSecond);
    const verifiesPerSecond = percentile(trials, 50);
    const cpuMicrosPerVerify = percentile(
      [...before, ...after].map((trial) => trial.cpuMicrosPerVerify),
      50,
    );
    const judged = judgeBulk(bulk, verifiesPerSecond, cpuMicrosPerVerify);
    const record = {
      benchmark: 'stub-resolver',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: describeMachine().loadAverage },
      source: describeSource(dirname(benchDir)),
      options: { ...options, help: undefined },
      resolverModule: options.stub ?? '@mimi/stub-resolver',
      ...(options.compare === undefined ? {} : { compareModule: options.compare }),
      pinning,
      network: { root: network.root.doh, dp: dp.doh, zone: dp.zones, csip: CSIP_ID },
      publish: {
        method: 'management api (POST /v1/mappings), signed in this process',
        count: published.count,
        ms: published.ms,
        perSecond: (published.count * 1000) / published.ms,
      },
      yardstick: {
        what: 'node:crypto Ed25519 verify, one thread',
        trials,
        before,
        after,
        verifiesPerSecond,
        cpuMicrosPerVerify,
      },
      cold: { ...summarize(cold), samples: cold },
      warm: { ...summarize(warm), samples: warm },
      bulk: judged,
      verdict: verdict(judged),
    };
    return record;
  } finally {
    log('stopping the network');
    await network.stop();
  }
}

async function main(argv) {
  const options = parseOptions(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const record = await run(options);
  const out = options.out ?? join(resultsDir, `resolver-${resultStamp(new Date(record.startedAt))}.json`);
  writeRecord(out, record);
  process.stdout.write(`${formatReport(record)}\n\nresults: ${out}\n`);
  return record.verdict.met ? 0 : 1;
}

runMain('bench:resolver', main);
