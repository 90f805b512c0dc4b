/**
 * dnsperf (DNS-OARC, 2.10 here): the command line for one run and the reading of its
 * output. dnsperf prints averages only, so runs use `-v`, which adds one line per
 * answered query (`> RCODE <query> <latency seconds>`); those lines go to a file and the
 * percentiles are computed from it after the run, while nothing else competes for a core.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { BenchError } from './errors.mjs';

/**
 * Arguments of one run. `transport` is `udp` or `doh` (then `dohPath`, `dohMethod`);
 * queries come from the binary file (`-B`, see query-file.mjs); `durationSeconds` bounds
 * the run (`-l`) and `passes`, when given, to that many passes over the file (`-n`);
 * `clients` sockets (`-c`; for DoH, connections), `outstanding` queries in flight (`-q`;
 * for DoH, the streams per connection), `threads` (`-T`), `verbose` (`-v`).
 */
export function dnsperfArgs(options) {
  const { transport, port, queryFile, durationSeconds, passes, clients, outstanding, threads = 1 } = options;
  const args = ['-s', '127.0.0.1', '-p', String(port), '-B', '-d', queryFile];
  args.push(
    '-l',
    String(durationSeconds),
    '-c',
    String(clients),
    '-q',
    String(outstanding),
    '-T',
    String(threads),
  );
  if (passes !== undefined) args.push('-n', String(passes));
  if (transport === 'doh') {
    const uri = `https://127.0.0.1:${port}${options.dohPath}`;
    args.push('-m', 'doh', '-O', `doh-uri=${uri}`, '-O', `doh-method=${options.dohMethod}`);
  } else if (transport !== 'udp') {
    throw new BenchError('bad-transport', `transport '${transport}' is not udp or doh`);
  }
  if (options.verbose) args.push('-v');
  return args;
}

const NUMBER = '([0-9]+(?:\\.[0-9]+)?)';
const STAT_PATTERNS = {
  sent: new RegExp(`Queries sent:\\s+${NUMBER}`),
  completed: new RegExp(`Queries completed:\\s+${NUMBER}`),
  lost: new RegExp(`Queries lost:\\s+${NUMBER}`),
  runSeconds: new RegExp(`Run time \\(s\\):\\s+${NUMBER}`),
  qps: new RegExp(`Queries per second:\\s+${NUMBER}`),
  avgLatency: new RegExp(`Average Latency \\(s\\):\\s+${NUMBER}`),
  minLatency: new RegExp(`Average Latency \\(s\\):.*min ${NUMBER}`),
  maxLatency: new RegExp(`Average Latency \\(s\\):.*max ${NUMBER}`),
  stddevLatency: new RegExp(`Latency StdDev \\(s\\):\\s+${NUMBER}`),
};

/** dnsperf errors we know the cause of. */
const KNOWN_FAILURES = [
  [
    /already having a dns msg/,
    'dnsperf reads one DNS message per TLS record and this server packs several HTTP/2 responses into one; use --doh-client h2load',
  ],
];

/**
 * The "Statistics:" block of dnsperf's output (and, for DoH/TCP, the "Connection
 * Statistics:" block after it); BenchError `dnsperf-output` when absent.
 */
export function parseDnsperfStatistics(text) {
  const heading = [...text.matchAll(/^Statistics:$/gm)].pop();
  if (!heading) {
    const fatal = /^Error: (.*)$/m.exec(text)?.[1];
    if (!fatal) throw new BenchError('dnsperf-output', 'dnsperf output has no statistics block');
    const hint = KNOWN_FAILURES.find(([pattern]) => pattern.test(fatal))?.[1];
    throw new BenchError('dnsperf-failed', `dnsperf stopped: ${fatal}${hint ? ` (${hint})` : ''}`);
  }
  const rest = text.slice(heading.index);
  const connectionAt = rest.search(/^Connection Statistics:$/m);
  const block = connectionAt < 0 ? rest : rest.slice(0, connectionAt);
  const stats = {};
  for (const [key, pattern] of Object.entries(STAT_PATTERNS)) {
    const match = pattern.exec(block);
    if (match) stats[key] = Number(match[1]);
  }
  for (const key of ['sent', 'completed', 'qps']) {
    if (stats[key] === undefined) throw new BenchError('dnsperf-output', `dnsperf statistics lack '${key}'`);
  }
  const codes = /Response codes:\s+(.*)/.exec(block);
  stats.rcodes = {};
  for (const [, name, count] of (codes?.[1] ?? '').matchAll(/([A-Z]+) ([0-9]+) \(/g)) {
    stats.rcodes[name] = Number(count);
  }
  const sizes = /Average packet size:\s+request ([0-9]+), response ([0-9]+)/.exec(block);
  if (sizes) stats.packetSize = { request: Number(sizes[1]), response: Number(sizes[2]) };
  if (connectionAt >= 0) {
    const connection = rest.slice(connectionAt);
    stats.connections = {
      reconnections: Number(/Reconnections:\s+([0-9]+)/.exec(connection)?.[1] ?? Number.NaN),
      avgLatency: Number(STAT_PATTERNS.avgLatency.exec(connection)?.[1] ?? Number.NaN),
    };
  }
  return stats;
}

/** Latency (seconds) of one `-v` line, or undefined for any other line. */
export function verboseLatency(line) {
  if (!line.startsWith('> ')) return undefined;
  const last = line.slice(line.lastIndexOf(' ') + 1);
  const value = Number(last);
  return last !== '' && Number.isFinite(value) ? value : undefined;
}

/** Nearest-rank percentile (p in (0, 100]) of sorted values. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50/p99/p99.9 (seconds) of the `-v` lines in `file`. */
export async function latencyPercentiles(file) {
  const values = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const latency = verboseLatency(line);
    if (latency !== undefined) values.push(latency);
  }
  const sorted = Float64Array.from(values).sort();
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
  };
}
