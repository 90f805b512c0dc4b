#!/usr/bin/env node
/**
 * `npm run bench:servers`: our authoritative DP against NSD, BIND 9 and Knot under
 * dnsperf, Do53 and DoH, on the same signed data, in one run. Method and results:
 * docs/benchmarks-servers.md; options: `npm run bench:servers -- --help`.
 *
 * Progress goes to stderr; the table, the targets and the machine to stdout; everything
 * measured to bench/results/servers-<date>.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOwners } from './lib/data/csi-set.mjs';
import { BENCH_ZONE, prepareDataset } from './lib/data/dataset.mjs';
import { binaryQueryFile, textQueryFile } from './lib/data/query-file.mjs';
import { buildQuestions, describeMix, QUERY_MIX } from './lib/data/query-mix.mjs';
import { describeMachine } from './lib/machine.mjs';
import { parseOptions, USAGE } from './lib/options.mjs';
import { runCollect } from './lib/process.mjs';
import { checkTargets, formatReport, summarize } from './lib/report.mjs';
import { runServers } from './lib/run-servers.mjs';
import { SERVERS } from './lib/servers/index.mjs';
import { makeThrowawayCert } from './lib/tls.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const resultsDir = join(benchDir, 'results');
/** A 1-minute load average above this means something else is running on the machine. */
const BUSY_LOAD = 0.5;
const log = (line) => process.stderr.write(`[bench] ${line}\n`);

/** `2026-11-27T16-05-12Z`: sortable, and safe in a file name. */
const stamp = (date) =>
  date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');

async function main(argv) {
  const options = parseOptions(argv, {
    serverIds: SERVERS.map((s) => s.id),
    defaultDataDir: join(resultsDir, 'data'),
    defaultDohClient: (await runCollect('h2load', ['--version'])).code === 0 ? 'h2load' : 'dnsperf',
  });
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const startedAt = new Date();
  const now = Math.floor(startedAt.getTime() / 1000);
  const chosen = options.servers.map((id) => SERVERS.find((s) => s.id === id));
  log('checking servers and tools');
  const machine = await describeMachine(chosen, repoRoot);
  if (machine.loadAverage[0] > BUSY_LOAD) {
    log(
      `warning: load average ${machine.loadAverage[0].toFixed(2)}: other processes share the cpus, numbers will be noisy`,
    );
  }
  const runnable = chosen.filter((s) => !String(machine.servers[s.id]).startsWith('not available'));
  for (const s of chosen.filter((s) => !runnable.includes(s))) log(`${s.id}: ${machine.servers[s.id]}`);

  const seedName = options.seed.replace(/[^A-Za-z0-9_-]/g, '_');
  const dataDir = join(options.dataDir, `n${options.mappings}-${seedName}`);
  log(`data set: ${options.mappings} mappings in ${dataDir}`);
  const dataset = await prepareDataset({
    dir: dataDir,
    n: options.mappings,
    seed: options.seed,
    now,
    baseZoneFile: join(repoRoot, 'zones', '4.4.e164.zone'),
    onProgress: log,
  });
  log(dataset.reused ? 'data set re-used' : `data set built in ${dataset.manifest.buildSeconds} s`);

  const runDir = await mkdtemp(join(tmpdir(), 'mimi-bench-'));
  try {
    const owners = benchOwners(options.mappings);
    const questions = buildQuestions({ owners, count: options.queries, seed: options.seed });
    const queryFile = join(runDir, 'queries.bin');
    await writeFile(queryFile, binaryQueryFile(questions));
    await writeFile(join(runDir, 'queries.txt'), textQueryFile(questions));
    const samples = QUERY_MIX.map((entry) => ({
      label: entry.label,
      question: { name: owners[entry.from][0], type: entry.type },
    }));
    const tls = await makeThrowawayCert(runDir);
    const plan = {
      ...options,
      runDir,
      zone: BENCH_ZONE,
      queryFile,
      questions,
      samples,
      tls,
      takenPorts: new Set(),
      serverContext: {
        repoRoot,
        zone: BENCH_ZONE,
        seed: options.seed,
        cores: options.serverCpus.length,
        tls,
        dataset: dataset.paths,
      },
    };
    const results = await runServers(runnable, plan, log);

    const rows = summarize(results);
    const targets = checkTargets(rows);
    const mix = describeMix(questions, owners);
    const unavailable = chosen.filter((s) => !runnable.includes(s)).map((s) => s.id);
    process.stdout.write(
      formatReport({ options, machine, rows, results, targets, mix, unavailable, servers: SERVERS }),
    );

    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, `servers-${stamp(startedAt)}.json`);
    const record = {
      startedAt: startedAt.toISOString(),
      options,
      machine,
      dataset: dataset.manifest,
      mix,
      rows,
      targets,
      results,
    };
    await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
    log(`results written to ${file}`);
    return results.some((r) => r.error) ? 1 : 0;
  } finally {
    if (options.keep) log(`run directory kept: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bench: ${err.message}\n`);
    process.exitCode = 2;
  },
);
