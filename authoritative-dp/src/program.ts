/**
 * The command line of mimi-authoritative (DESIGN §8): the flags both servers share
 * (@mimi/server-core) plus
 *
 *   --db FILE --resolver-config FILE [--api-rate-limit N]
 *
 * `--api-rate-limit` (management API requests per second per client) is ours; DESIGN
 * §7 only says "429 rate-limited". The privacy flags of DESIGN §8 (`--require-token
 * --token-issuer URL`, with `--token-ca FILE` and `--odoh-keys FILE`) are common to
 * both servers and live in @mimi/server-core.
 */
import { createRequire } from 'node:module';
import { type ExtraValues, type ProgramSpec, UsageError } from '@mimi/server-core';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Our default: a publisher sends a handful of objects, not a stream (burst: twice this). */
export const DEFAULT_API_REQUESTS_PER_SECOND = 10;

export const AUTHORITATIVE_PROGRAM: ProgramSpec = {
  name: 'mimi-authoritative',
  version,
  summary: 'authoritative DP of the MIMI discovery network: signed mappings over DoH and the management API',
  extraOptions: {
    db: {
      type: 'string',
      required: true,
      valueName: 'FILE',
      description: 'SQLite mapping store (created on first start)',
    },
    'resolver-config': {
      type: 'string',
      required: true,
      valueName: 'FILE',
      description: 'client.json of the resolver that fetches CSIP keys (read at first use, again on SIGHUP)',
    },
    'api-rate-limit': {
      type: 'string',
      valueName: 'N',
      description: `management API requests per second per client (0: no limit; default ${DEFAULT_API_REQUESTS_PER_SECOND})`,
    },
  },
};

export interface AuthoritativeFlags {
  readonly db: string;
  readonly resolverConfig: string;
  readonly apiRequestsPerSecond: number;
}

/** The authoritative's own flags, checked (UsageError: exit 2). */
export function authoritativeFlags(extra: ExtraValues): AuthoritativeFlags {
  const rate = extra['api-rate-limit'];
  let apiRequestsPerSecond = DEFAULT_API_REQUESTS_PER_SECOND;
  if (rate !== undefined) {
    if (typeof rate !== 'string' || !/^\d{1,9}$/.test(rate)) {
      throw new UsageError('bad-flag', `--api-rate-limit '${String(rate)}' is not a whole number`);
    }
    apiRequestsPerSecond = Number(rate);
  }
  return {
    db: extra.db as string,
    resolverConfig: extra['resolver-config'] as string,
    apiRequestsPerSecond,
  };
}
