#!/usr/bin/env node
/**
 * `npm run bench:privacy`: the cost of privacy (issue #6), measured side by side in one
 * run on one network started with the privacy layer (privacy-network.mjs), for three
 * modes — direct DoH without tokens, ODoH through a relay without tokens, ODoH through
 * the relay with tokens (the demo default) — in alternating rounds:
 *
 *   cold single-resolve latency (a fresh resolver per CSI);
 *   "new CSI with warm delegations" latency (what a lookup costs a running resolver);
 *   warm latency (a cache hit);
 *   bulk resolveMany over N distinct CSIs with warm delegations;
 *
 * with the CPU of each side (client, relay, DP, root, issuer), and the per-query costs
 * of tokens and HPKE measured in process (privacy-costs.mjs). Every resolution must be
 * `found` or the run fails. Progress goes to stderr, the report to stdout, everything
 * measured to bench/results/privacy-<date>.json. Method and results:
 * docs/benchmarks-privacy.md.
 */
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from './lib/cli.mjs';
import { hpkeCosts, tokenCosts } from './privacy-costs.mjs';
import { measureRun, PRIVACY_STUB } from './privacy-measure.mjs';
import { DP_HOST, startPrivacyNetwork } from './privacy-network.mjs';
import { parseOptions, USAGE } from './privacy-options.mjs';
import { planRun, ROLES } from './privacy-plan.mjs';
import { formatReport, summarizeAll } from './privacy-report.mjs';
import { CSIP_ID, canPin, cpuSplit, pin } from './resolver-network.mjs';
import { publishAll } from './resolver-publish.mjs';
import {
  describeMachine,
  describeSource,
  progressLogger,
  resultStamp,
  writeRecord,
} from './resolver-report.mjs';
import { round } from './resolver-stats.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const log = (line) => process.stderr.write(`[bench:privacy] ${line}\n`);
const progress = progressLogger(log, 4);

async function run(options) {
  const startedAt = new Date();
  const machine = describeMachine();
  log(`load average at start: ${machine.loadAverage.join(' ')} (${machine.nproc} CPUs)`);
  const plan = planRun(options);
  log('starting the network with the privacy layer, a token-free replica of the DP and a second relay');
  const bench = await startPrivacyNetwork({ quota: options.quota });
  try {
    const { network, open, sides } = bench;
    const split = options.pin === 'split' && canPin() ? cpuSplit(machine.nproc) : null;
    const pinning = split === null ? null : { mode: 'split', servers: split.servers, client: split.client };
    if (split !== null) {
      for (const pid of Object.values(sides)) pin(pid, split.servers);
      pin(process.pid, split.client);
      log(`pinned the servers to CPU ${split.servers}, this process to CPU ${split.client}`);
    }
    const csip = network.csips.get(CSIP_ID);
    const now = Math.floor(Date.now() / 1000);
    const apis = { tel: network.authoritatives[0].api, open: open.api };
    const published = {};
    for (const dp of ['tel', 'open']) {
      log(`publishing ${plan.publish[dp].length} mappings to ${dp} (${apis[dp]})`);
      published[dp] = await publishAll({
        csis: plan.publish[dp],
        csip,
        apiBase: apis[dp],
        host: DP_HOST,
        ca: network.ca,
        now,
        onProgress: progress(`published to ${dp}`),
      });
    }

    log(`per-query costs: ${options.costSamples} tokens and HPKE exchanges in process`);
    const costs = {
      tokens: await tokenCosts(options.costSamples, 5),
      hpke: await hpkeCosts(options.costSamples),
    };

    const stub = await import(PRIVACY_STUB);
    const runs = [];
    const record = () => ({
      benchmark: 'privacy',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: describeMachine().loadAverage },
      source: describeSource(dirname(benchDir)),
      options: { ...options, help: undefined },
      pinning,
      network: {
        root: network.root.doh,
        tel: network.authoritatives[0].doh,
        open: open.doh,
        relay: network.privacy.relay.url,
        relayOpen: bench.relayOpen.url,
        issuer: network.privacy.issuer.url,
        roles: ROLES,
        issuerQuota: options.quota,
      },
      publish: Object.fromEntries(
        Object.entries(published).map(([dp, p]) => [dp, { ...p, perSecond: (p.count * 1000) / p.ms }]),
      ),
      costs,
      runs,
    });
    for (const planned of plan.runs) {
      const loadAverage = loadavg().map((value) => round(value, 2));
      log(`round ${planned.round + 1}/${options.rounds}, ${planned.mode} (load ${loadAverage.join(' ')})`);
      try {
        const measured = await measureRun({
          stub,
          configFile: bench.configFiles[planned.mode],
          primer: plan.primers[ROLES[planned.mode].dp],
          run: planned,
          sides,
          concurrency: options.concurrency,
          log,
        });
        runs.push({ ...measured, loadAverage });
      } catch (err) {
        // What was measured before the failure is kept (main writes it, marked failed).
        err.partial = { ...record(), failed: { round: planned.round, mode: planned.mode, loadAverage } };
        throw err;
      }
    }
    return { ...record(), summary: summarizeAll(runs) };
  } finally {
    log('stopping the network');
    await bench.stop();
  }
}

async function main(argv) {
  const options = parseOptions(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const record = await run(options);
  const out =
    options.out ?? join(benchDir, 'results', `privacy-${resultStamp(new Date(record.startedAt))}.json`);
  writeRecord(out, record);
  process.stdout.write(`${formatReport(record)}\n\nresults: ${out}\n`);
  return 0;
}

runMain('bench:privacy', main, (err) => {
  if (err.partial === undefined) return;
  const out = join(
    benchDir,
    'results',
    `privacy-${resultStamp(new Date(err.partial.startedAt))}-failed.json`,
  );
  const failed = { ...err.partial.failed, code: err.code, message: err.message };
  writeRecord(out, { ...err.partial, finishedAt: new Date().toISOString(), failed });
  process.stderr.write(`bench:privacy: the runs before the failure: ${out}\n`);
});
