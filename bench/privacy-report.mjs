/**
 * Numbers and the report of the privacy benchmark, pure: the runs of each mode pooled
 * over the rounds (latency samples summarized by nearest rank, bulk rates per round and
 * their median, CPU per resolution of each side the mode's queries pass), the ratios of
 * each mode to `direct`, and the side-by-side table.
 */
import { MODES, ROLES } from './privacy-plan.mjs';
import { formatTable, percentile, round, summarize } from './resolver-stats.mjs';

const SIDES = ['client', 'relay', 'dp', 'root', 'issuer'];

/** Seconds of a role's process in `cpu` ({client, [process]: s}) for `mode`; null when the mode has none. */
export function roleSeconds(cpu, mode, role) {
  if (role === 'client') return cpu.client;
  const name = ROLES[mode][role];
  return name === null ? null : (cpu[name] ?? 0);
}

/**
 * µs of CPU per resolution of each role over `phases` ({cpu, count}), and `total`, the
 * sum over the roles the mode has: what one resolution costs the whole network.
 */
export function cpuPerResolution(phases, mode) {
  const count = phases.reduce((sum, phase) => sum + phase.count, 0);
  const out = {};
  let total = 0;
  for (const role of SIDES) {
    const seconds = phases.map((phase) => roleSeconds(phase.cpu, mode, role));
    out[role] = seconds.includes(null) ? null : (seconds.reduce((a, b) => a + b, 0) * 1e6) / count;
    total += out[role] ?? 0;
  }
  out.total = total;
  return out;
}

/** One mode's runs pooled. */
export function summarizeMode(mode, runs) {
  const mine = runs.filter((run) => run.mode === mode);
  const pool = (phase) => mine.flatMap((run) => run[phase].samples);
  const rates = mine.map((run) => run.bulk.perSecond);
  return {
    mode,
    rounds: mine.length,
    cold: summarize(pool('cold')),
    fresh: summarize(pool('fresh')),
    warm: summarize(pool('warm')),
    freshCpuMicros: cpuPerResolution(
      mine.map((run) => ({ cpu: run.fresh.cpu, count: run.fresh.samples.length })),
      mode,
    ),
    bulk: {
      count: mine[0]?.bulk.count,
      concurrency: mine[0]?.bulk.concurrency,
      perSecond: rates,
      medianPerSecond: percentile(rates, 50),
      bestPerSecond: Math.max(...rates),
      cpuMicros: cpuPerResolution(
        // The client's CPU as measureBulk took it (resolveMany only); the servers' around the
        // whole worker run (its primer and start-up cost them a few milliseconds).
        mine.map((run) => ({
          cpu: { ...run.bulk.sides, client: run.bulk.cpu.clientSeconds },
          count: run.bulk.count,
        })),
        mode,
      ),
    },
  };
}

/** Every mode summarized, and ratios to `direct` (latency: mode ÷ direct; rate: mode ÷ direct). */
export function summarizeAll(runs) {
  const modes = Object.fromEntries(MODES.map((mode) => [mode, summarizeMode(mode, runs)]));
  const base = modes.direct;
  const ratios = {};
  for (const mode of MODES) {
    const m = modes[mode];
    ratios[mode] = {
      coldMedian: m.cold.median / base.cold.median,
      freshMedian: m.fresh.median / base.fresh.median,
      warmMedian: m.warm.median / base.warm.median,
      bulkRate: m.bulk.medianPerSecond / base.bulk.medianPerSecond,
      bulkBestRate: m.bulk.bestPerSecond / base.bulk.bestPerSecond,
      bulkClientCpu: m.bulk.cpuMicros.client / base.bulk.cpuMicros.client,
      bulkTotalCpu: m.bulk.cpuMicros.total / base.bulk.cpuMicros.total,
      freshClientCpu: m.freshCpuMicros.client / base.freshCpuMicros.client,
    };
  }
  return { modes, ratios };
}

const ms = (value) => (value >= 10 ? round(value, 1) : round(value, 3));
const us = (value) => (value === null ? '–' : Math.round(value));
const ratio = (value) => `×${round(value, 2)}`;
/** The rows of the CPU table that get a ratio to direct. */
const CPU_RATIOS = { client: (r) => r.bulkClientCpu, total: (r) => r.bulkTotalCpu };

/** The side-by-side table of `summary` (summarizeAll). */
export function formatSummary(summary) {
  const { modes, ratios } = summary;
  const head = ['', ...MODES, ...MODES.slice(1).map((mode) => `${mode} / direct`)];
  const row = (label, pick, fmt, pickRatio) => [
    label,
    ...MODES.map((mode) => fmt(pick(modes[mode]))),
    ...MODES.slice(1).map((mode) => (pickRatio === undefined ? '' : ratio(pickRatio(ratios[mode])))),
  ];
  const rows = [
    head,
    row(
      'cold median ms',
      (m) => m.cold.median,
      ms,
      (r) => r.coldMedian,
    ),
    row('cold p95 ms', (m) => m.cold.p95, ms),
    row(
      'new CSI median ms',
      (m) => m.fresh.median,
      ms,
      (r) => r.freshMedian,
    ),
    row('new CSI p95 ms', (m) => m.fresh.p95, ms),
    row(
      'warm median ms',
      (m) => m.warm.median,
      ms,
      (r) => r.warmMedian,
    ),
    row('warm p95 ms', (m) => m.warm.p95, ms),
    row(
      'bulk res/s (median)',
      (m) => m.bulk.medianPerSecond,
      Math.round,
      (r) => r.bulkRate,
    ),
    row(
      'bulk res/s (best)',
      (m) => m.bulk.bestPerSecond,
      Math.round,
      (r) => r.bulkBestRate,
    ),
    row('bulk res/s (rounds)', (m) => m.bulk.perSecond.map(Math.round).join(' '), String),
    ...[...SIDES, 'total'].map((role) =>
      row(`bulk ${role} CPU µs/res`, (m) => m.bulk.cpuMicros[role], us, CPU_RATIOS[role]),
    ),
    // Only the client's: /proc counts server CPU in 10 ms ticks, too coarse for a few dozen lookups.
    row(
      'new CSI client CPU µs/res',
      (m) => m.freshCpuMicros.client,
      us,
      (r) => r.freshClientCpu,
    ),
  ];
  return formatTable(rows);
}

/** Per-query costs (privacy-costs.mjs) as lines. */
export function formatCosts(costs) {
  const line = (label, op) => `  ${label.padEnd(44)} ${Math.round(op.cpuMicros)} µs CPU (n=${op.n})`;
  return [
    'per-query costs (one thread, this process):',
    line('client token: blind (RFC 9474 §4.2)', costs.tokens.clientBlind),
    line('client token: finalize + PSS verify (§4.3)', costs.tokens.clientFinalize),
    line('client token via the privacypass-ts library', costs.tokens.libraryClientPerToken),
    line('issuer: blind sign (RSASP1 + check)', costs.tokens.issuerSign),
    line('DP: token verification (RFC 9578 §6.4)', costs.tokens.dpVerify),
    line('client: HPKE seal of the query', costs.hpke.clientSeal),
    line('target: HPKE open of the query', costs.hpke.targetOpen),
    line('target: seal of the response', costs.hpke.targetSeal),
    line('client: open of the response', costs.hpke.clientOpen),
  ].join('\n');
}

export function formatReport(record) {
  const m = record.machine;
  return [
    `privacy benchmark: ${record.options.rounds} rounds × ${MODES.join(', ')}; bulk ${record.options.csis} CSIs at concurrency ${record.options.concurrency}`,
    `machine: ${m.nproc} CPUs ${m.cpuModel ?? ''}, load ${m.loadAverage.join(' ')} at start, ${m.loadAverageAtEnd.join(' ')} at end; pinning ${record.pinning?.mode ?? 'none'}`,
    '',
    formatSummary(record.summary),
    '',
    formatCosts(record.costs),
  ].join('\n');
}
