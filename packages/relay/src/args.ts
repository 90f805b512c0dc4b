/**
 * The command line of `mimi-relay` (DESIGN §8: `--help`, `--version`, errors one line,
 * exit 2 on bad usage). Parsing only: files are read by main.ts.
 */
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '@mimi/server-core/basics';
import {
  DEFAULT_BURST,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_RATE_PER_SECOND,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
} from './constants.js';
import { RelayConfigError } from './errors.js';
import { parseHostPort } from './targets.js';

export const USAGE = `usage: mimi-relay --listen HOST:PORT --tls-cert FILE --tls-key FILE --targets FILE [options]

Oblivious DoH relay (RFC 9230 proxy): POST /proxy?targethost=HOST&targetpath=/dns-query
forwards an encrypted query to an allow-listed target and returns its answer.

  --listen HOST:PORT     address to listen on (HTTPS, HTTP/2)
  --tls-cert FILE        certificate chain (PEM)
  --tls-key FILE         private key (PEM, mode 0600)
  --targets FILE         JSON allow-list: {"host.name": "address:port", ...}
  --ca FILE              CA bundle to check targets' certificates (default: system roots)
  --max-body BYTES       request body limit (default ${DEFAULT_MAX_REQUEST_BYTES})
  --rate N               requests per second per client, 0 for no limit (default ${DEFAULT_RATE_PER_SECOND})
  --burst N              bucket size per client (default ${DEFAULT_BURST})
  --max-in-flight N      requests forwarded at once (default ${DEFAULT_MAX_IN_FLIGHT})
  --timeout MS           upstream timeout (default ${DEFAULT_UPSTREAM_TIMEOUT_MS})
  --log-level LEVEL      ${LOG_LEVELS.join(', ')} (default info)
  --help, --version
`;

export interface RelayArgs {
  readonly host: string;
  readonly port: number;
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly targets: string;
  readonly ca?: string;
  readonly maxBodyBytes: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly maxInFlight: number;
  readonly timeoutMs: number;
  readonly logLevel: LogLevel;
}

export type ParsedArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly args: RelayArgs };

function usage(message: string): RelayConfigError {
  return new RelayConfigError('usage', message);
}

function count(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw usage(`${flag} ${value} is not a whole number ≥ ${min}`);
  }
  return Number(value);
}

export function parseRelayArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        listen: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        targets: { type: 'string' },
        ca: { type: 'string' },
        'max-body': { type: 'string' },
        rate: { type: 'string' },
        burst: { type: 'string' },
        'max-in-flight': { type: 'string' },
        timeout: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean' },
        version: { type: 'boolean' },
      },
    }));
  } catch (cause) {
    throw new RelayConfigError(
      'usage',
      (cause as Error).message.split('\n')[0]!.replace(/^[A-Z]/, (c) => c.toLowerCase()),
      {
        cause,
      },
    );
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const text = (flag: string): string => {
    const value = values[flag];
    if (typeof value !== 'string' || value === '') throw usage(`--${flag} is required`);
    return value;
  };
  const listen = parseHostPort(text('listen'), true);
  if (listen === null) throw usage(`--listen ${String(values.listen)} is not HOST:PORT`);
  const logLevel = (values['log-level'] ?? 'info') as string;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw usage(`--log-level ${logLevel} is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const rate = count(values.rate as string | undefined, '--rate', DEFAULT_RATE_PER_SECOND, 0);
  return {
    kind: 'run',
    args: {
      host: listen.address,
      port: listen.port,
      tlsCert: text('tls-cert'),
      tlsKey: text('tls-key'),
      targets: text('targets'),
      ...(typeof values.ca === 'string' ? { ca: values.ca } : {}),
      maxBodyBytes: count(
        values['max-body'] as string | undefined,
        '--max-body',
        DEFAULT_MAX_REQUEST_BYTES,
        1,
      ),
      ratePerSecond: rate,
      burst: count(values.burst as string | undefined, '--burst', Math.max(DEFAULT_BURST, rate), 1),
      maxInFlight: count(
        values['max-in-flight'] as string | undefined,
        '--max-in-flight',
        DEFAULT_MAX_IN_FLIGHT,
        1,
      ),
      timeoutMs: count(values.timeout as string | undefined, '--timeout', DEFAULT_UPSTREAM_TIMEOUT_MS, 1),
      logLevel: logLevel as LogLevel,
    },
  };
}
