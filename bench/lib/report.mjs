/**
 * The side-by-side table and the issue's targets, from the run results (pure).
 *
 * Targets (the issue): Do53 queries/s ≥ 1.0× BIND 9 and ≥ 0.5× NSD; DoH requests/s ≥
 * 1.0× BIND 9's DoH — each a ratio of two numbers measured in the same run with the
 * same number of server cores.
 */

export const TARGETS = Object.freeze([
  { transport: 'udp', versus: 'bind', atLeast: 1.0 },
  { transport: 'udp', versus: 'nsd', atLeast: 0.5 },
  { transport: 'doh', versus: 'bind', atLeast: 1.0 },
]);

const TRANSPORT_NAMES = { udp: 'Do53/UDP', doh: 'DoH' };

/** One row per measured (server, transport), with ratios against BIND and NSD on that transport. */
export function summarize(results) {
  const measured = results.filter((r) => r.stats);
  const qpsOf = (server, transport) =>
    measured.find((r) => r.server === server && r.transport === transport)?.stats.qps;
  return measured.map((r) => {
    const bind = qpsOf('bind', r.transport);
    const nsd = qpsOf('nsd', r.transport);
    const floor = qpsOf('floor', r.transport);
    return {
      server: r.server,
      transport: r.transport,
      qps: r.stats.qps,
      completed: r.stats.completed,
      lost: r.stats.lost ?? 0,
      avgMs: r.stats.avgLatency === undefined ? undefined : r.stats.avgLatency * 1000,
      p99Ms: r.stats.latency?.p99 === undefined ? undefined : r.stats.latency.p99 * 1000,
      tool: r.stats.tool,
      serverCpu: r.stats.serverCpu,
      clientCpu: r.stats.clientCpu,
      warmupQps: r.warmup?.qps,
      vsBind: bind ? r.stats.qps / bind : undefined,
      vsNsd: nsd ? r.stats.qps / nsd : undefined,
      vsFloor: floor ? r.stats.qps / floor : undefined,
    };
  });
}

/** Each target with its measured ratio (undefined when ours or the peer did not run). */
export function checkTargets(rows) {
  return TARGETS.map((target) => {
    const row = rows.find((r) => r.server === 'ours' && r.transport === target.transport);
    const ratio = target.versus === 'bind' ? row?.vsBind : row?.vsNsd;
    return { ...target, ratio, met: ratio === undefined ? undefined : ratio >= target.atLeast };
  });
}

const fixed = (value, digits) => (value === undefined ? '–' : value.toFixed(digits));
const percent = (share) => (share === undefined ? '–' : `${Math.round(share * 100)} %`);
const ratio = (value) => (value === undefined ? '–' : `${value.toFixed(2)}×`);

/**
 * Plain-text table, columns padded; `names` maps server ids to display names. `srv cpu`
 * and `cli cpu` are the shares of their cores the server and the load tool used during
 * the run (the one near 100 % set the pace); `1st pass` is the warm-up's rate, cold
 * caches included; `vs floor` is the ratio to Node answering canned bytes on the same
 * transport (the cost of Node's UDP or HTTP/2 stack alone, servers/node-floor.mjs).
 */
export function formatTable(rows, names = {}) {
  const header = [
    'server',
    'transport',
    'client',
    'qps',
    'avg ms',
    'p99 ms',
    'lost',
    'srv cpu',
    'cli cpu',
    '1st pass',
    'vs BIND',
    'vs NSD',
    'vs floor',
  ];
  const lines = rows.map((r) => [
    names[r.server] ?? r.server,
    TRANSPORT_NAMES[r.transport] ?? r.transport,
    r.tool ?? '–',
    Math.round(r.qps).toLocaleString('en-US'),
    fixed(r.avgMs, 3),
    fixed(r.p99Ms, 3),
    String(r.lost),
    percent(r.serverCpu),
    percent(r.clientCpu),
    r.warmupQps === undefined ? '–' : Math.round(r.warmupQps).toLocaleString('en-US'),
    ratio(r.vsBind),
    ratio(r.vsNsd),
    ratio(r.vsFloor),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const pad = (cells) =>
    cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [pad(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(pad)].join('\n');
}

/** One line per target: `Do53/UDP ≥ 1.0× BIND: 1.12× met`, or `not measured`. */
export function formatTargets(checks) {
  return checks
    .map((c) => {
      const what = `${TRANSPORT_NAMES[c.transport]} ≥ ${c.atLeast.toFixed(1)}× ${c.versus === 'bind' ? 'BIND' : 'NSD'}`;
      return c.ratio === undefined
        ? `${what}: not measured`
        : `${what}: ${ratio(c.ratio)} ${c.met ? 'met' : 'missed'}`;
    })
    .join('\n');
}

const RCODE_NAMES = { 0: 'NOERROR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

/**
 * What each server answered to one query of each mix entry, one line per (server,
 * transport): `RCODE/bytes` per entry, `*` when the reply carried an RRSIG.
 */
export function formatSamples(results, names = {}) {
  const measured = results.filter((r) => r.samples);
  const labels = measured[0]?.samples.map((s) => s.label) ?? [];
  const width = Math.max(
    0,
    ...measured.map((r) => `${names[r.server] ?? r.server} ${TRANSPORT_NAMES[r.transport]}`.length),
  );
  const lines = measured.map((r) => {
    const who = `${names[r.server] ?? r.server} ${TRANSPORT_NAMES[r.transport]}`.padEnd(width);
    const cells = r.samples.map((s) =>
      `${RCODE_NAMES[s.rcode] ?? s.rcode}/${s.bytes}${s.signed ? '*' : ''}`.padEnd(14),
    );
    return `  ${who}  ${cells.join(' ').trimEnd()}`;
  });
  return [`  columns: ${labels.join(' | ')}`, ...lines].join('\n');
}

/**
 * A run neither the server nor the load tool could keep its cores busy for was starved
 * by other processes: below this share of their cores for both, the numbers say more
 * about the machine than about the server.
 */
export const CONTENDED_BELOW = 0.8;

/** Warnings for rows measured on a contended machine. */
export function contentionWarnings(rows, names = {}) {
  return rows
    .filter((r) => r.serverCpu !== undefined && r.clientCpu !== undefined)
    .filter((r) => Math.max(r.serverCpu, r.clientCpu) < CONTENDED_BELOW)
    .map(
      (r) =>
        `warning: ${names[r.server] ?? r.server} ${TRANSPORT_NAMES[r.transport]}: server at ${percent(r.serverCpu)} and ` +
        `load tool at ${percent(r.clientCpu)} of their cores: other processes took the cpus, do not trust this row`,
    );
}

/** One line per server that could not be measured. */
export function formatFailures(results, names = {}) {
  return results.filter((r) => r.error).map((r) => `${names[r.server] ?? r.server}: failed: ${r.error}`);
}

/** Everything printed at the end of a run. */
export function formatReport({ options, machine, rows, results, targets, mix, unavailable, servers }) {
  const names = Object.fromEntries(
    servers.map((s) => [s.id, `${s.name} ${machine.servers[s.id] ?? ''}`.trim()]),
  );
  const load = machine.loadAverage.map((l) => l.toFixed(2)).join(' ');
  return `${[
    `\nservers under test on cpu ${options.serverCpus.join(',')}, dnsperf on cpu ${options.clientCpus.join(',')}; ` +
      `${options.mappings} mappings, ${options.queries} queries looped, median of ${options.rounds} × ${options.durationSeconds} s`,
    formatTable(rows, names),
    ...unavailable.map((id) => `${id}: not available`),
    ...formatFailures(results, names),
    ...contentionWarnings(rows, names),
    `\nanswers to one query of each kind (rcode/bytes, * = signed):\n${formatSamples(results)}`,
    `\ntargets (ours vs peers, same run, same cores):\n${formatTargets(targets)}`,
    `\nquery mix (EDNS 1232, DO set, RD clear):\n${mix.map((m) => `  ${String(m.weight).padStart(3)} %  ${m.label}`).join('\n')}`,
    `\nmachine: ${machine.nproc} cpus, ${machine.cpuModel}, linux ${machine.kernel}, node ${machine.node}, ` +
      `dnsperf ${machine.dnsperf}, h2load ${machine.h2load ?? 'not installed'}, load average ${load} at start`,
  ].join('\n')}\n`;
}
