/**
 * The command-line flags both servers share (DESIGN §8):
 *
 *   --zone FILE... --key-dir DIR --listen HOST:PORT --tls-cert F --tls-key F
 *   [--do53 ADDR:PORT] [--do53-public] [--log-level LEVEL] [--help] [--version]
 *
 * plus `--rate-limit N` and `--miss-rate-limit N` (per-client queries/s and answer-cache
 * misses/s; 0 turns a limit off) which DESIGN leaves to us, and the privacy features both
 * servers offer (DESIGN §7): `--odoh-keys FILE` (be an Oblivious DoH target, RFC 9230)
 * and `--require-token --token-issuer URL [--token-ca FILE]` (Privacy Pass tokens for
 * CSI lookups). A server adds its own flags through `extraOptions`. Parsed with node:util parseArgs (yargs is the CLI's only);
 * every problem is one `UsageError` line and exit status 2.
 *
 * `--zone` takes one or more files (`--zone a.zone b.zone`, or repeated): positional
 * words right after `--zone` belong to it; anywhere else they are an error.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseIssuerUrl, TokenError } from '@mimi/tokens';
import { type HostPort, parseHostPort } from './address.js';
import { UsageError } from './errors.js';
import { LOG_LEVELS, type LogLevel } from './logger.js';

export interface CommonFlags {
  readonly zones: readonly string[];
  readonly keyDir: string;
  readonly listen: HostPort;
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly do53: HostPort | null;
  readonly do53Public: boolean;
  readonly logLevel: LogLevel;
  readonly queriesPerSecond: number | undefined;
  readonly missesPerSecond: number | undefined;
  /** `--odoh-keys`: the ODoH key ring file, or null when ODoH is off. */
  readonly odohKeys: string | null;
  /** `--require-token --token-issuer URL [--token-ca FILE]`, or null when tokens are not required. */
  readonly tokens: TokenFlags | null;
}

export interface TokenFlags {
  /** The issuer's origin, as clients name it (it is part of the token challenge). */
  readonly issuerUrl: string;
  /** PEM CA to trust for the issuer's TLS certificate instead of the system store. */
  readonly caFile: string | null;
}

export interface ExtraOption {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly required?: boolean;
  /** Shown in --help, e.g. "FILE". */
  readonly valueName?: string;
  readonly description: string;
}

export interface ProgramSpec {
  readonly name: string;
  readonly version: string;
  readonly summary: string;
  readonly extraOptions?: Readonly<Record<string, ExtraOption>>;
}

export type ExtraValues = Record<string, string | boolean | string[] | undefined>;

export type CommandLine =
  | { readonly kind: 'help' | 'version'; readonly text: string }
  | { readonly kind: 'run'; readonly flags: CommonFlags; readonly extra: ExtraValues };

interface CommonOption {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly required?: boolean;
  readonly valueName?: string;
  readonly description: string;
}

const COMMON_OPTIONS: Readonly<Record<string, CommonOption>> = {
  zone: {
    type: 'string',
    multiple: true,
    required: true,
    valueName: 'FILE...',
    description: 'zone and overlay files, in order (later overlays win)',
  },
  'key-dir': {
    type: 'string',
    required: true,
    valueName: 'DIR',
    description: 'directory of the zone signing keys',
  },
  listen: {
    type: 'string',
    required: true,
    valueName: 'HOST:PORT',
    description: 'DoH (HTTPS) listen address',
  },
  'tls-cert': {
    type: 'string',
    required: true,
    valueName: 'FILE',
    description: 'TLS certificate chain (PEM)',
  },
  'tls-key': {
    type: 'string',
    required: true,
    valueName: 'FILE',
    description: 'TLS private key (PEM, mode 0600)',
  },
  do53: {
    type: 'string',
    valueName: 'ADDR:PORT',
    description: 'also serve plain DNS over UDP and TCP (loopback only)',
  },
  'do53-public': { type: 'boolean', description: 'allow --do53 on a non-loopback address' },
  'log-level': {
    type: 'string',
    valueName: 'LEVEL',
    description: `log level: ${LOG_LEVELS.join(', ')} (default info)`,
  },
  'rate-limit': {
    type: 'string',
    valueName: 'N',
    description: 'queries per second per client (0: no limit)',
  },
  'miss-rate-limit': {
    type: 'string',
    valueName: 'N',
    description: 'uncached answers per second per client (0: no limit)',
  },
  'odoh-keys': {
    type: 'string',
    valueName: 'FILE',
    description: 'be an oblivious doh target with the key ring in FILE (created mode 0600)',
  },
  'require-token': {
    type: 'boolean',
    description: 'demand a privacy pass token for doh/odoh lookups of csi names',
  },
  'token-issuer': {
    type: 'string',
    valueName: 'URL',
    description: 'token issuer origin https://host[:port] (with --require-token)',
  },
  'token-ca': {
    type: 'string',
    valueName: 'FILE',
    description: 'CA certificate (PEM) for the issuer instead of the system store',
  },
  help: { type: 'boolean', description: 'show this help' },
  version: { type: 'boolean', description: 'show the version' },
};

/** Parse `argv` (without node and script) for a server program. */
export function parseServerArgs(argv: readonly string[], spec: ProgramSpec): CommandLine {
  const all: Record<string, CommonOption> = { ...COMMON_OPTIONS, ...(spec.extraOptions ?? {}) };
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, option] of Object.entries(all)) {
    options[name] = option.multiple ? { type: option.type, multiple: true } : { type: option.type };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (cause) {
    throw new UsageError('bad-flag', lowerFirst((cause as Error).message), { cause });
  }
  const values = parsed.values as ExtraValues;
  if (values.help === true) return { kind: 'help', text: usageText(spec) };
  if (values.version === true) return { kind: 'version', text: `${spec.name} ${spec.version}` };

  // Zone files in command-line order (overlays: later files win); positional words
  // directly after --zone are more zone files.
  const zones: string[] = [];
  let lastOption: string | undefined;
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'option') {
      lastOption = token.name;
      if (token.name === 'zone' && token.value !== undefined) zones.push(token.value);
    } else if (token.kind === 'positional') {
      if (lastOption !== 'zone') throw new UsageError('bad-flag', `unexpected argument '${token.value}'`);
      zones.push(token.value);
    } else lastOption = undefined;
  }
  for (const [name, option] of Object.entries(all)) {
    if (option.required && (values[name] === undefined || (name === 'zone' && zones.length === 0))) {
      throw new UsageError('missing-flag', `--${name} is required (see --help)`);
    }
  }
  const logLevel = (values['log-level'] as string | undefined) ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new UsageError('bad-flag', `--log-level '${logLevel}' is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const do53Text = values.do53 as string | undefined;
  const flags: CommonFlags = {
    zones,
    keyDir: values['key-dir'] as string,
    listen: parseHostPort(values.listen as string, '--listen'),
    tlsCert: values['tls-cert'] as string,
    tlsKey: values['tls-key'] as string,
    do53: do53Text === undefined ? null : parseHostPort(do53Text, '--do53'),
    do53Public: values['do53-public'] === true,
    logLevel: logLevel as LogLevel,
    queriesPerSecond: rate(values['rate-limit'], '--rate-limit'),
    missesPerSecond: rate(values['miss-rate-limit'], '--miss-rate-limit'),
    odohKeys: nonEmpty(values['odoh-keys'], '--odoh-keys'),
    tokens: tokenFlags(values),
  };
  if (flags.do53Public && flags.do53 === null) throw new UsageError('bad-flag', '--do53-public needs --do53');
  const extra: ExtraValues = {};
  for (const name of Object.keys(spec.extraOptions ?? {})) extra[name] = values[name];
  return { kind: 'run', flags, extra };
}

function nonEmpty(value: unknown, flag: string): string | null {
  if (value === undefined) return null;
  if (value === '') throw new UsageError('bad-flag', `${flag} needs a file name`);
  return String(value);
}

/** The token flags go together: --require-token needs an issuer, and they mean nothing without it. */
function tokenFlags(values: ExtraValues): TokenFlags | null {
  const required = values['require-token'] === true;
  const issuer = values['token-issuer'] as string | undefined;
  const caFile = nonEmpty(values['token-ca'], '--token-ca');
  if (!required) {
    if (issuer !== undefined) throw new UsageError('bad-flag', '--token-issuer needs --require-token');
    if (caFile !== null) throw new UsageError('bad-flag', '--token-ca needs --require-token');
    return null;
  }
  if (issuer === undefined) throw new UsageError('missing-flag', '--require-token needs --token-issuer URL');
  try {
    parseIssuerUrl(issuer);
  } catch (cause) {
    if (cause instanceof TokenError)
      throw new UsageError('bad-flag', `--token-issuer: ${cause.message}`, { cause });
    throw cause;
  }
  return { issuerUrl: issuer, caFile };
}

function rate(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d{1,9}$/.test(text)) throw new UsageError('bad-flag', `${flag} '${text}' is not a whole number`);
  return Number(text);
}

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}

/** The --help text. */
export function usageText(spec: ProgramSpec): string {
  const all: Record<string, CommonOption> = { ...COMMON_OPTIONS, ...(spec.extraOptions ?? {}) };
  const lines = Object.entries(all).map(([name, option]) => {
    const left = `  --${name}${option.valueName ? ` ${option.valueName}` : ''}`;
    return `${left.padEnd(34)}${option.description}${option.required ? ' (required)' : ''}`;
  });
  return `${spec.name} ${spec.version}: ${spec.summary}\n\nusage: ${spec.name} [options]\n\n${lines.join('\n')}\n`;
}
