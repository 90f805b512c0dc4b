/**
 * Command line of `npm run bench:privacy` (bench/privacy.mjs). Every option has a
 * default that reproduces the documented run; a bad value is a BenchError `bad-option`
 * naming the option.
 */

import { parseFlags, wholeNumber } from './lib/cli.mjs';
import { BenchError } from './lib/errors.mjs';
import { MODES } from './privacy-plan.mjs';
import { MAX_CSIS } from './resolver-publish.mjs';

export const USAGE = `npm run bench:privacy -- [options]

  --csis N            distinct CSIs of each bulk run (default 2000)
  --cold N            cold single resolves per mode, a fresh resolver each (default 30)
  --fresh N           new CSIs per mode on a resolver with warm delegations (default 30)
  --warm N            warm single resolves per mode, each a cache hit (default 30)
  --rounds N          rounds; each runs every mode once, the order rotated (default 2)
  --concurrency N     resolveMany concurrency of the bulk runs (default 64)
  --quota N           the bench network issuer's tokens per user per epoch (default 1000000)
  --pin MODE          split: servers on the first half of the CPUs, this process on the
                      rest (default); none
  --cost-samples N    operations per per-query cost measurement (default 300)
  --out FILE          results file (default bench/results/privacy-<date>.json)
  --help              this text

Modes (${MODES.join(', ')}): direct DoH without tokens, ODoH through a relay without
tokens, ODoH through the relay with tokens (the demo's client.json).`;

/** Parse argv (without node and script). */
export function parseOptions(argv) {
  const values = parseFlags(argv, {
    csis: { type: 'string', default: '2000' },
    cold: { type: 'string', default: '30' },
    fresh: { type: 'string', default: '30' },
    warm: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '64' },
    quota: { type: 'string', default: '1000000' },
    pin: { type: 'string', default: 'split' },
    'cost-samples': { type: 'string', default: '300' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (!['split', 'none'].includes(values.pin)) {
    throw new BenchError('bad-option', `--pin '${values.pin}' is not one of split, none`);
  }
  const options = {
    csis: wholeNumber(values.csis, 'csis', MAX_CSIS),
    cold: wholeNumber(values.cold, 'cold', MAX_CSIS),
    fresh: wholeNumber(values.fresh, 'fresh', MAX_CSIS),
    warm: wholeNumber(values.warm, 'warm', MAX_CSIS),
    rounds: wholeNumber(values.rounds, 'rounds', 20),
    concurrency: wholeNumber(values.concurrency, 'concurrency', 4096),
    quota: wholeNumber(values.quota, 'quota', 1_000_000_000),
    pin: values.pin,
    costSamples: wholeNumber(values['cost-samples'], 'cost-samples', 100_000),
    out: values.out,
    help: values.help,
  };
  // Two primers, then per round and mode its own cold, fresh, warm and bulk CSIs.
  const total =
    2 + MODES.length * (options.rounds * options.csis + options.cold + options.fresh + options.warm);
  if (total > MAX_CSIS)
    throw new BenchError('bad-option', `the run needs ${total} csis, more than ${MAX_CSIS}`);
  for (const name of ['cold', 'fresh', 'warm']) {
    if (options[name] < options.rounds) {
      throw new BenchError(
        'bad-option',
        `--${name} ${options[name]} is fewer than one per round (--rounds ${options.rounds})`,
      );
    }
  }
  return options;
}
