/**
 * What a stub-resolver benchmark run prints and records: the machine it ran on, the
 * tables of single-resolve latencies and bulk rates against the Ed25519 yardstick, and
 * the verdict on the issue's target (bench/resolver-stats.mjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import {
  formatTable,
  judge,
  percentile,
  round,
  TARGET_RATIO,
  VERIFIES_PER_RESOLUTION,
} from './resolver-stats.mjs';

/** `model name` of /proc/cpuinfo, or undefined off Linux. */
/** `2026-11-27T16-05-12Z`: a run's start, sortable and safe in a file name. */
export function resultStamp(date) {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
}

/** Write a run's record as indented JSON to `file`, creating its directory. */
export function writeRecord(file, record) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** A progress callback for `log` that reports `done/total` at each `1/parts` of the way. */
export function progressLogger(log, parts) {
  return (what) => (done, total) => {
    if (done % Math.max(1, Math.floor(total / parts)) === 0 || done === total)
      log(`${what}: ${done}/${total}`);
  };
}

export function cpuModel(cpuinfo) {
  return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
}

export function describeMachine() {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: the model stays unknown
  }
  return {
    nproc: availableParallelism(),
    cpuModel: cpuModel(cpuinfo),
    kernel: release(),
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    loadAverage: loadavg().map((value) => round(value, 2)),
    node: process.version,
  };
}

/** Packages on the resolver's path: a change in any of them changes what is measured. */
const MEASURED_PATHS = [
  'packages/stub-resolver',
  'packages/dnssec',
  'packages/protocol',
  'packages/crypto',
  'packages/server-core',
  'packages/authority',
  'root-dp',
  'authoritative-dp',
];

/**
 * The source measured: the commit, and the files on the resolver's path that differ
 * from it (read-only git; undefined outside a checkout).
 */
export function describeSource(repoRoot) {
  const git = (args) => spawnSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' });
  const head = git(['rev-parse', 'HEAD']);
  if (head.status !== 0) return undefined;
  const status = git(['status', '--porcelain', '--', ...MEASURED_PATHS]);
  const changed = status.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
  return { commit: head.stdout.trim(), changed };
}

/**
 * Bulk runs with their ratio to (verifies/s ÷ 3) and whether each meets the target, plus
 * the client's CPU time per resolution and the share of it three verifications at the
 * yardstick's cost would take (`verifyShare`: the ratio a whole idle core would give —
 * it holds still when other work on the machine slows the wall clock down).
 */
export function judgeBulk(bulk, verifiesPerSecond, cpuMicrosPerVerify) {
  return bulk.map((run) => {
    const clientMicrosPerResolution = (run.cpu.clientSeconds * 1e6) / run.count;
    const calling = run.cpu.callingSeconds;
    return {
      ...run,
      ...judge(run.perSecond, verifiesPerSecond),
      clientMicrosPerResolution,
      // The resolver's own thread (the one the verification pool offloads), when measured.
      ...(calling === undefined ? {} : { callingMicrosPerResolution: (calling * 1e6) / run.count }),
      verifyShare: (VERIFIES_PER_RESOLUTION * cpuMicrosPerVerify) / clientMicrosPerResolution,
    };
  });
}

/**
 * The verdict: the best run against a warm DP (an embedder picks its concurrency), of
 * build A only when two builds were compared.
 */
export function verdict(judged) {
  const counted = judged.filter((run) => !run.serverCold && (run.build ?? 'A') === 'A');
  const best = counted.reduce((a, b) => (b.ratio > a.ratio ? b : a), counted[0]);
  return { target: TARGET_RATIO, bestConcurrency: best.concurrency, bestRatio: best.ratio, met: best.met };
}

const ms = (value) => round(value, value < 1 ? 3 : 1);
const percent = (seconds, ms) => round((seconds / ms) * 1e5);

const BULK_HEADER = [
  'bulk resolveMany',
  'concurrency',
  'CSIs',
  'resolutions/s',
  'ratio',
  'target',
  'client CPU %',
  'server CPU %',
  'client µs/res',
  'verify share',
  'calling µs/res',
];

/** The text printed at the end of a run. */
export function formatReport(record) {
  const { machine, yardstick, cold, warm, bulk, verdict: result, publish, pinning } = record;
  const latency = formatTable([
    ['single resolve', 'n', 'median ms', 'p95 ms', 'min ms', 'max ms'],
    ...[
      ['cold (fresh resolver)', cold],
      ['warm (cache hit)', warm],
    ].map(([label, s]) => [label, s.n, ms(s.median), ms(s.p95), ms(s.min), ms(s.max)]),
  ]);
  const rates = formatTable([
    BULK_HEADER,
    ...bulk.map((run) => [
      `${run.build === undefined ? '' : `${run.build}: `}${run.serverCold ? 'DP answers cold' : 'DP answers warm'}`,
      run.concurrency,
      run.count,
      round(run.perSecond),
      round(run.ratio, 2),
      run.serverCold ? '(not counted)' : run.met ? 'met' : 'NOT met',
      percent(run.cpu.clientSeconds, run.ms),
      percent(run.cpu.serverSeconds, run.ms),
      round(run.clientMicrosPerResolution),
      round(run.verifyShare, 2),
      run.callingMicrosPerResolution === undefined ? '–' : round(run.callingMicrosPerResolution),
    ]),
  ]);
  const client = pinning?.client ? `on CPU ${pinning.client}` : 'unpinned';
  const trials = yardstick.trials;
  return [
    `machine: ${machine.nproc} CPUs, ${machine.cpuModel ?? 'unknown CPU'}, load ${machine.loadAverage.join(' ')} at start, node ${machine.node}`,
    `pinning: ${pinning ? `servers on CPU ${pinning.servers}, client ${client}` : 'none'}`,
    `published ${publish.count} mappings through the management API in ${round(publish.ms / 1000, 1)} s (${round(publish.perSecond)}/s)`,
    `Ed25519 yardstick (node:crypto, one thread): ${round(yardstick.verifiesPerSecond)} verifies/s ` +
      `(median of ${trials.length} trials, ${round(Math.min(...trials))}–${round(Math.max(...trials))}; ` +
      `${round(yardstick.cpuMicrosPerVerify, 1)} µs CPU each); ÷ ${VERIFIES_PER_RESOLUTION} = ` +
      `${round(yardstick.verifiesPerSecond / VERIFIES_PER_RESOLUTION)} resolutions/s`,
    '',
    latency,
    '',
    rates,
    'client µs/res: CPU time of the client process per resolution; verify share: 3 yardstick verifies ÷ that;',
    "calling µs/res: CPU time of the resolver's own thread (the bulk run's thread) per resolution",
    ...warmupLines(bulk),
    ...compareLines(bulk),
    '',
    `target: bulk ≥ ${TARGET_RATIO} × (verifies/s ÷ ${VERIFIES_PER_RESOLUTION}) — best ${round(result.bestRatio, 2)} at concurrency ${result.bestConcurrency}: ${result.met ? 'MET' : 'NOT MET'}`,
  ].join('\n');
}

/** What each bulk run resolved before its timed set. */
export function warmupLines(bulk) {
  const warmup = Math.max(0, ...bulk.map((run) => run.warmup ?? 0));
  return warmup === 0
    ? ['bulk runs: the timed set right after the primer (no JIT warm-up)']
    : [`bulk runs: the primer, then ${warmup} other CSIs untimed (JIT warm-up), then the timed set`];
}

/** With two builds: the median rate of each at each concurrency, and B against A. */
export function compareLines(bulk) {
  const runs = bulk.filter((run) => run.build !== undefined && !run.serverCold);
  if (runs.length === 0) return [];
  const levels = [...new Set(runs.map((run) => run.concurrency))];
  const median = (build, concurrency, value = (run) => run.perSecond) =>
    percentile(runs.filter((run) => run.build === build && run.concurrency === concurrency).map(value), 50);
  const change = (a, b) => `${b >= a ? '+' : ''}${round((b / a - 1) * 100, 1)} %`;
  const calling = (run) => run.callingMicrosPerResolution;
  return [
    '',
    ...levels.flatMap((concurrency) => {
      const a = median('A', concurrency);
      const b = median('B', concurrency);
      const lines = [
        `A/B at concurrency ${concurrency}: median ${round(a)} vs ${round(b)} resolutions/s (B ${change(a, b)})`,
      ];
      if (runs.every((run) => calling(run) !== undefined)) {
        const ca = median('A', concurrency, calling);
        const cb = median('B', concurrency, calling);
        lines.push(
          `A/B at concurrency ${concurrency}: median calling thread ${round(ca)} vs ${round(cb)} µs/res (B ${change(ca, cb)})`,
        );
      }
      return lines;
    }),
  ];
}
