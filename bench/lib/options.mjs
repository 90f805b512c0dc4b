/**
 * Command line of `npm run bench:servers` (node:util parseArgs). Every value is checked
 * here; a bad one is a BenchError naming the flag.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { MAX_MAPPINGS } from './data/csi-set.mjs';
import { BenchError } from './errors.mjs';

export const USAGE = `usage: npm run bench:servers -- [options]

  --mappings N      CSIs with one mapping each in the zone (default 100000, max ${MAX_MAPPINGS})
  --queries N       questions in the query file, looped over by dnsperf (default 100000)
  --duration S      seconds of each measured run (default 10)
  --rounds N        measured runs per server and transport; the median is reported (default 3)
  --warmup S        warm-up: one pass over the queries, cut at S seconds (default 120)
  --cores N         CPUs for the server under test; dnsperf gets the rest (default 1)
  --servers LIST    comma-separated, in order: ours,bind,nsd,knot,floor (default all; floor:
                    Node answering canned bytes, Do53 and DoH)
  --transports LIST udp,doh (default both)
  --clients N       sockets (dnsperf -c), or DoH connections (h2load -c) (default 10)
  --outstanding N   queries in flight (dnsperf -q), or streams per DoH connection (h2load -m) (default 100)
  --doh-client C    DoH load generator: h2load or dnsperf (default h2load when installed)
  --doh-method M    GET or POST, for dnsperf's DoH (default GET; h2load sends GET)
  --seed TEXT       seed of keys, data and query order (default mimi-bench-1)
  --data-dir DIR    where built data sets are kept and re-used (default bench/results/data)
  --keep            keep the run's temporary directory (configs, logs)
  --help`;

const DEFAULTS = {
  mappings: '100000',
  queries: '100000',
  duration: '10',
  rounds: '3',
  warmup: '120',
  cores: '1',
  servers: 'ours,bind,nsd,knot,floor',
  transports: 'udp,doh',
  clients: '10',
  outstanding: '100',
  'doh-method': 'GET',
  'doh-client': undefined,
  seed: 'mimi-bench-1',
};

function positiveInt(name, text, max = Number.MAX_SAFE_INTEGER) {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new BenchError('bad-option', `--${name} '${text}' is not an integer from 1 to ${max}`);
  }
  return value;
}

function list(name, text, allowed) {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const unknown = items.filter((item) => !allowed.includes(item));
  if (items.length === 0 || unknown.length > 0) {
    throw new BenchError('bad-option', `--${name} '${text}' must list some of ${allowed.join(', ')}`);
  }
  return [...new Set(items)];
}

/**
 * Parse `argv`; `nproc` is injectable for tests, `defaultDohClient` is what is installed.
 * Returns `{help: true}` for --help.
 */
export function parseOptions(
  argv,
  { nproc = availableParallelism(), serverIds, defaultDataDir, defaultDohClient = 'h2load' } = {},
) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        [...Object.keys(DEFAULTS), 'data-dir', 'keep', 'help'].map((name) => [
          name,
          { type: name === 'keep' || name === 'help' ? 'boolean' : 'string' },
        ]),
      ),
      strict: true,
      allowPositionals: false,
    });
  } catch (cause) {
    throw new BenchError('bad-option', cause.message.toLowerCase().split('\n')[0], { cause });
  }
  const v = { ...DEFAULTS, ...parsed.values };
  if (v.help) return { help: true };
  const cores = positiveInt('cores', v.cores);
  if (cores >= nproc) {
    throw new BenchError(
      'bad-option',
      `--cores ${cores} leaves no cpu for dnsperf on this ${nproc}-cpu machine`,
    );
  }
  const dohClient = v['doh-client'] ?? defaultDohClient;
  if (dohClient !== 'h2load' && dohClient !== 'dnsperf') {
    throw new BenchError('bad-option', `--doh-client '${dohClient}' is not h2load or dnsperf`);
  }
  const method = v['doh-method'].toUpperCase();
  if (method !== 'GET' && method !== 'POST') {
    throw new BenchError('bad-option', `--doh-method '${v['doh-method']}' is not GET or POST`);
  }
  return {
    help: false,
    mappings: positiveInt('mappings', v.mappings, MAX_MAPPINGS),
    queries: positiveInt('queries', v.queries, 10_000_000),
    durationSeconds: positiveInt('duration', v.duration, 3600),
    warmupSeconds: positiveInt('warmup', v.warmup, 3600),
    rounds: positiveInt('rounds', v.rounds, 100),
    serverCpus: Array.from({ length: cores }, (_, i) => i),
    clientCpus: Array.from({ length: nproc - cores }, (_, i) => cores + i),
    servers: list('servers', v.servers, serverIds ?? ['ours', 'bind', 'nsd', 'knot', 'floor']),
    transports: list('transports', v.transports, ['udp', 'doh']),
    clients: positiveInt('clients', v.clients, 1000),
    outstanding: positiveInt('outstanding', v.outstanding, 65_535),
    dohClient,
    dohMethod: method,
    seed: v.seed,
    dataDir: v['data-dir'] ?? defaultDataDir,
    keep: v.keep === true,
  };
}
