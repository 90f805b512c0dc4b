/**
 * Command line of `mimi-issuer` (DESIGN §8 conventions; node:util parseArgs):
 *
 *   mimi-issuer --listen HOST:PORT --tls-cert F --tls-key F --state-dir DIR --users FILE
 *               [--quota N] [--epoch-seconds S] [--help] [--version]
 *
 * Every problem is one `usage` error (exit 2).
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { IssuerError } from './errors.js';

/** Defaults: 100 tokens per user per hour. */
export const DEFAULT_QUOTA = 100;
export const DEFAULT_EPOCH_SECONDS = 3600;
/** Shortest epoch: RSA key generation must fit well inside one. */
export const MIN_EPOCH_SECONDS = 10;
/** Longest: 30 days; a key should not outlive that (RFC 9578 §4 recommends regular rotation). */
export const MAX_EPOCH_SECONDS = 30 * 86_400;

export const USAGE = `usage: mimi-issuer --listen HOST:PORT --tls-cert FILE --tls-key FILE --state-dir DIR --users FILE
                   [--quota N] [--epoch-seconds S]

Privacy Pass token issuer (RFC 9578, token type 0x0002 Blind RSA 2048) for the MIMI
discovery network: each user, named by its API key (Authorization: Bearer), gets up to
N tokens per epoch; the signing key rotates every epoch.

  --listen HOST:PORT    HTTPS listen address (IPv6 as [ADDR]:PORT; port 0 picks one)
  --tls-cert FILE       TLS certificate chain (PEM)
  --tls-key FILE        TLS private key (PEM, mode 0600)
  --state-dir DIR       issuer keys and quota logs (created mode 0700)
  --users FILE          {"users": [{"id": ..., "apiKey": ...}]} (mode 0600)
  --quota N             tokens per user per epoch (default ${DEFAULT_QUOTA})
  --epoch-seconds S     key and quota epoch, ${MIN_EPOCH_SECONDS}-${MAX_EPOCH_SECONDS} (default ${DEFAULT_EPOCH_SECONDS})
  --help, --version
`;

export interface IssuerFlags {
  readonly host: string;
  readonly port: number;
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly stateDir: string;
  readonly users: string;
  readonly quota: number;
  readonly epochSeconds: number;
}

export type IssuerCommand =
  | { readonly kind: 'help' | 'version' }
  | { readonly kind: 'run'; readonly flags: IssuerFlags };

function usage(message: string): IssuerError {
  return new IssuerError('usage', message);
}

export function parseIssuerArgs(argv: readonly string[]): IssuerCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        listen: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'state-dir': { type: 'string' },
        users: { type: 'string' },
        quota: { type: 'string' },
        'epoch-seconds': { type: 'string' },
        help: { type: 'boolean' },
        version: { type: 'boolean' },
      },
    }).values;
  } catch (cause) {
    throw new IssuerError('usage', (cause as Error).message.split('\n')[0]!.toLowerCase(), { cause });
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const required = (name: string): string => {
    const value = values[name];
    if (typeof value !== 'string' || value === '') throw usage(`--${name} is required`);
    return value;
  };
  const { host, port } = parseListen(required('listen'));
  return {
    kind: 'run',
    flags: {
      host,
      port,
      tlsCert: required('tls-cert'),
      tlsKey: required('tls-key'),
      stateDir: required('state-dir'),
      users: required('users'),
      quota: integerFlag(values.quota, 'quota', DEFAULT_QUOTA, 1, 1_000_000_000),
      epochSeconds: integerFlag(
        values['epoch-seconds'],
        'epoch-seconds',
        DEFAULT_EPOCH_SECONDS,
        MIN_EPOCH_SECONDS,
        MAX_EPOCH_SECONDS,
      ),
    },
  };
}

function integerFlag(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw usage(`--${name} '${String(value)}' must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}

/** `HOST:PORT` or `[V6]:PORT` (RFC 3986 §3.2.2 brackets). */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (match === null) throw usage(`--listen '${text}' is not HOST:PORT (IPv6 as [ADDR]:PORT)`);
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (port > 65_535) throw usage(`--listen '${text}': port ${port} is above 65535`);
  if (match[1] !== undefined && isIP(host) !== 6)
    throw usage(`--listen '${text}': '${host}' is not an ipv6 address`);
  return { host, port };
}
