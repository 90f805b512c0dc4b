/**
 * h2load (nghttp2) as the DoH load generator: RFC 8484 §4.1 GET requests
 * (`/dns-query?dns=<base64url of the query, ID 0>`) over HTTP/2 with TLS, many streams
 * per connection. dnsperf 2.10's DoH client keeps one DNS message per TLS record read and
 * aborts ("frame received when already having a dns msg") when a server packs several
 * responses into one record, as Node's HTTP/2 does under load; h2load reads HTTP/2
 * properly, so it can drive every server the same way.
 *
 * Per-request times come from `--log-file` (start µs, HTTP status, duration µs).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { encodeQuery } from './data/query-file.mjs';
import { percentile } from './dnsperf.mjs';
import { BenchError } from './errors.mjs';

/**
 * The `-i` file: one GET URI per question. h2load takes scheme, host and port from the
 * first line only, so the file names the server. RFC 8484 §4.1: "the DNS ID SHOULD be 0".
 */
export function dohUriFile(questions, port, path = '/dns-query') {
  const base = `https://127.0.0.1:${port}${path}?dns=`;
  return questions.map((q) => `${base}${Buffer.from(encodeQuery(q, 0)).toString('base64url')}\n`).join('');
}

/**
 * Arguments of one run: `requests` bounds it to that many requests (`-n`, a warm-up
 * pass), else `durationSeconds` (`-D`); `clients` connections (`-c`), `streams` per
 * connection (`-m`), `threads` (`-t`), per-request log to `logFile`.
 */
export function h2loadArgs({ uriFile, durationSeconds, requests, clients, streams, threads = 1, logFile }) {
  const args = ['-i', uriFile, '-c', String(clients), '-m', String(streams), '-t', String(threads)];
  args.push('-H', 'accept: application/dns-message');
  if (requests !== undefined) args.push('-n', String(requests));
  else args.push('-D', String(durationSeconds));
  if (logFile) args.push(`--log-file=${logFile}`);
  return args;
}

const UNIT_SECONDS = { us: 1e-6, ms: 1e-3, s: 1 };

/** `908us`, `27.61ms`, `1.2s` → seconds. */
export function h2loadDuration(text) {
  const match = /^([0-9]+(?:\.[0-9]+)?)(us|ms|s)$/.exec(text);
  if (!match)
    throw new BenchError('h2load-output', `h2load duration '${text}' is not a number with us, ms or s`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

/** The summary h2load prints; BenchError `h2load-output` when it is not there. */
export function parseH2loadOutput(text) {
  const finished = /finished in (\S+), ([0-9.]+) req\/s/.exec(text);
  const requests =
    /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(
      text,
    );
  if (!finished || !requests) throw new BenchError('h2load-output', 'h2load output has no summary');
  const [, , started, , succeeded, failed, errored, timeout] = requests.map(Number);
  const stats = {
    sent: started,
    completed: succeeded,
    lost: failed + errored + timeout,
    runSeconds: h2loadDuration(finished[1]),
    qps: Number(finished[2]),
  };
  const times = /time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(text);
  if (times) {
    stats.minLatency = h2loadDuration(times[1]);
    stats.maxLatency = h2loadDuration(times[2]);
    stats.avgLatency = h2loadDuration(times[3]);
    stats.stddevLatency = h2loadDuration(times[4]);
  }
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(text);
  if (codes) stats.httpStatus = { '2xx': +codes[1], '3xx': +codes[2], '4xx': +codes[3], '5xx': +codes[4] };
  return stats;
}

/** p50/p99/p99.9 (seconds) of the requests answered 200 in an h2load `--log-file`. */
export async function h2loadPercentiles(file) {
  const values = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const [, status, micros] = line.split('\t');
    if (status === '200' && micros !== undefined) values.push(Number(micros) / 1e6);
  }
  const sorted = Float64Array.from(values).sort();
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
  };
}
