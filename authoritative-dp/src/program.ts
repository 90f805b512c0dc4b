/**
 * The command line of mimi-authoritative (DESIGN §8): the flags both servers share
 * (@mimi/server-core) plus
 *
 *   --db FILE --resolver-config FILE [--require-token --token-issuer URL]
 *   [--api-rate-limit N]
 *
 * `--api-rate-limit` (management API requests per second per client) is ours; DESIGN
 * §7 only says "429 rate-limited". The token flags are accepted so that the command
 * line of DESIGN §8 parses, and refused until Privacy Pass tokens are built.
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
    'require-token': {
      type: 'boolean',
      description: 'demand a Privacy Pass token per lookup (not yet supported)',
    },
    'token-issuer': { type: 'string', valueName: 'URL', description: 'token issuer (with --require-token)' },
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
  if (extra['require-token'] === true || extra['token-issuer'] !== undefined) {
    throw new UsageError(
      'not-supported',
      '--require-token and --token-issuer are not yet supported (privacy pass tokens are not built yet)',
    );
  }
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
