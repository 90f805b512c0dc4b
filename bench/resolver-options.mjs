/**
 * Command line of `npm run bench:resolver` (bench/resolver.mjs). Every option has a
 * default that reproduces the documented run; a bad value is a BenchError
 * `bad-option` naming the option.
 */
import { parseFlags, wholeNumber } from './lib/cli.mjs';
import { BenchError } from './lib/errors.mjs';
import { MAX_CSIS } from './resolver-publish.mjs';

export const USAGE = `npm run bench:resolver -- [options]

  --csis N            distinct CSIs resolved in each bulk run (default 10000)
  --cold N            cold single resolves, a fresh resolver each (default 50)
  --warm N            warm single resolves, each a cache hit (default 50)
  --warmup N          other CSIs each bulk run resolves first, untimed, so that the JIT
                      has compiled the hot paths (default 8000; 0: none)
  --concurrency LIST  resolveMany concurrency levels, comma-separated (default 16,64,256)
  --verify-seconds S  length of one Ed25519 yardstick trial (default 2)
  --verify-trials N   yardstick trials before and after the bulk runs, each (default 3)
  --pin MODE          servers: the servers on the first half of the CPUs, this process
                      unpinned, so the resolver's verification workers can use every CPU
                      (default); split: this process on the other half only (one core
                      here: no worker); none
  --out FILE          results file (default bench/results/resolver-<date>.json)
  --cpu-prof DIR      write a V8 CPU profile of each bulk run to DIR (slows the runs a little)
  --stub MODULE       import createResolver from MODULE instead of @mimi/stub-resolver
                      (a path: to measure a changed build of the resolver side by side)
  --compare MODULE    a second resolver module (build B): every judged bulk run is made
                      with both, alternating (A B, then B A, ...), on the same network
  --rounds N          how many times the judged bulk runs are repeated (default 1)
  --workers N         createResolver's verifyWorkers for the bulk runs (default: the
                      resolver's own default; 0: none)
  --help              this text`;

function positiveNumber(text, name) {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0)) {
    throw new BenchError('bad-option', `--${name} '${text}' is not a positive number`);
  }
  return value;
}

function workerCount(text) {
  if (!/^\d{1,2}$/.test(text) || Number(text) > 64) {
    throw new BenchError('bad-option', `--workers '${text}' is not a whole number in 0..64`);
  }
  return Number(text);
}

/** How servers and client share the CPUs (resolver-network.mjs). */
export const PIN_MODES = ['split', 'servers', 'none'];

function pinMode(text) {
  if (!PIN_MODES.includes(text)) {
    throw new BenchError('bad-option', `--pin '${text}' is not one of ${PIN_MODES.join(', ')}`);
  }
  return text;
}

/** Parse argv (without node and script). */
export function parseOptions(argv) {
  const values = parseFlags(argv, {
    csis: { type: 'string', default: '10000' },
    cold: { type: 'string', default: '50' },
    warm: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '8000' },
    concurrency: { type: 'string', default: '16,64,256' },
    'verify-seconds': { type: 'string', default: '2' },
    'verify-trials': { type: 'string', default: '3' },
    pin: { type: 'string', default: 'servers' },
    out: { type: 'string' },
    'cpu-prof': { type: 'string' },
    stub: { type: 'string' },
    compare: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    workers: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  const csis = wholeNumber(values.csis, 'csis');
  const cold = wholeNumber(values.cold, 'cold');
  const warm = wholeNumber(values.warm, 'warm');
  const warmup = values.warmup === '0' ? 0 : wholeNumber(values.warmup, 'warmup');
  // The bulk, cold, warm and warm-up sets and the primer are disjoint.
  if (csis + cold + warm + warmup + 1 > MAX_CSIS) {
    throw new BenchError('bad-option', `--csis + --cold + --warm + --warmup must stay below ${MAX_CSIS}`);
  }
  const concurrency = values.concurrency
    .split(',')
    .map((level) => wholeNumber(level.trim(), 'concurrency', 10_000));
  return {
    help: values.help,
    csis,
    cold,
    warm,
    warmup,
    concurrency,
    verifySeconds: positiveNumber(values['verify-seconds'], 'verify-seconds'),
    verifyTrials: wholeNumber(values['verify-trials'], 'verify-trials', 100),
    pin: pinMode(values.pin),
    out: values.out,
    cpuProfileDir: values['cpu-prof'],
    stub: values.stub,
    compare: values.compare,
    rounds: wholeNumber(values.rounds, 'rounds', 100),
    workers: values.workers === undefined ? undefined : workerCount(values.workers),
  };
}
