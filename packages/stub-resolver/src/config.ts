/**
 * The client configuration (DESIGN §8 "Client configuration", §9 `client.json`):
 *
 *   {"roots": ["<root DoH URL>", ...], "trustAnchors": ["<DS or DNSKEY line>", ...],
 *    "ca": "<CA path>" | null, "relay": <URL|null>, "issuer": <URL|null>,
 *    "issuerAuth": <credential|null>, "region": <"GB"|null>, "tokenPool": <0..256|null>}
 *
 * "more keys may follow; these keep their meaning": unknown keys are ignored, so an
 * older resolver reads a newer file. Known keys are checked strictly, and every error
 * names the file and the key.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { parseTrustAnchor } from '@mimi/dnssec';
import { isMimiError } from '@mimi/errors';
import { MAX_TOKEN_POOL } from './constants.js';
import { ResolverError } from './errors.js';

export interface ClientConfig {
  /** DoH URLs of the root DP(s) (https). */
  readonly roots: readonly string[];
  /** DS or DNSKEY records of the apex, one presentation-format line each. */
  readonly trustAnchors: readonly string[];
  /** Path of a PEM CA file to trust instead of the system store (absolute once loaded). */
  readonly ca?: string | null;
  /** Oblivious relay URL (DESIGN §7); used by the privacy transport, not the direct one. */
  readonly relay?: string | null;
  /** Privacy Pass token issuer URL (DESIGN §7). */
  readonly issuer?: string | null;
  /** The user's credential at the issuer. */
  readonly issuerAuth?: string | null;
  /** ISO 3166 alpha-2 region for national phone formats (DESIGN §3). */
  readonly region?: string | null;
  /**
   * Privacy Pass tokens kept ready (0–256; default 8). A one-shot run wants 0: pooled
   * tokens die with the process, and each one cost quota.
   */
  readonly tokenPool?: number | null;
}

const REGION = /^[A-Z]{2}$/;

function invalid(source: string, key: string, what: string): ResolverError {
  return new ResolverError('config-invalid', `${source}: '${key}' ${what}`, {
    details: { file: source, key },
  });
}

function optionalString(
  source: string,
  raw: Record<string, unknown>,
  key: string,
  check?: (value: string) => string | undefined,
): string | null {
  const value = raw[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '')
    throw invalid(source, key, 'must be a non-empty string or null');
  const problem = check?.(value);
  if (problem !== undefined) throw invalid(source, key, problem);
  return value;
}

function httpsUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a url: '${value}'`;
  }
  if (url.protocol !== 'https:') return `must be an https url: '${value}'`;
  if (url.username !== '' || url.password !== '') return `must not carry credentials: '${value}'`;
  return undefined;
}

function stringArray(source: string, raw: Record<string, unknown>, key: string): string[] {
  const value = raw[key];
  if (!Array.isArray(value) || value.length === 0)
    throw invalid(source, key, 'must be a non-empty array of strings');
  return value.map((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw invalid(source, `${key}[${index}]`, 'must be a non-empty string');
    }
    return item;
  });
}

/**
 * Check a parsed configuration object. `source` names it in errors (a file path);
 * a relative `ca` is taken relative to `baseDir` (the file's directory).
 */
export function parseClientConfig(
  raw: unknown,
  source = 'client configuration',
  baseDir?: string,
): ClientConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ResolverError('config-invalid', `${source}: must be a json object`, {
      details: { file: source },
    });
  }
  const record = raw as Record<string, unknown>;
  const roots = stringArray(source, record, 'roots');
  roots.forEach((url, index) => {
    const problem = httpsUrlProblem(url);
    if (problem !== undefined) throw invalid(source, `roots[${index}]`, problem);
  });
  const trustAnchors = stringArray(source, record, 'trustAnchors');
  try {
    parseTrustAnchor(trustAnchors.join('\n'));
  } catch (cause) {
    const message = isMimiError(cause) ? cause.message : String(cause);
    throw invalid(source, 'trustAnchors', `is not a set of ds/dnskey lines for one zone: ${message}`);
  }
  const ca = optionalString(source, record, 'ca');
  return {
    roots,
    trustAnchors,
    ca: ca === null || isAbsolute(ca) || baseDir === undefined ? ca : resolvePath(baseDir, ca),
    relay: optionalString(source, record, 'relay', httpsUrlProblem),
    issuer: optionalString(source, record, 'issuer', httpsUrlProblem),
    issuerAuth: optionalString(source, record, 'issuerAuth'),
    region: optionalString(source, record, 'region', (value) =>
      REGION.test(value) ? undefined : `must be an ISO 3166 alpha-2 code such as 'GB', got '${value}'`,
    ),
    tokenPool: optionalPoolSize(source, record),
  };
}

function optionalPoolSize(source: string, raw: Record<string, unknown>): number | null {
  const value = raw.tokenPool;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_TOKEN_POOL) {
    throw invalid(source, 'tokenPool', `must be an integer from 0 to ${MAX_TOKEN_POOL}`);
  }
  return value;
}

/** Read and check a `client.json`. */
export function loadClientConfig(path: string): ClientConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? 'error';
    throw new ResolverError('config-read', `${path}: cannot read (${code.toLowerCase()})`, {
      cause,
      details: { file: path },
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ResolverError(
      'config-json',
      `${path}: not valid json (${(cause as Error).message.replace(/^./, (c) => c.toLowerCase())})`,
      {
        cause,
        details: { file: path },
      },
    );
  }
  return parseClientConfig(raw, path, dirname(resolvePath(path)));
}

/** The PEM text of the configured CA file, or undefined for the system store. */
export function readCaFile(config: ClientConfig): string | undefined {
  if (config.ca === undefined || config.ca === null) return undefined;
  try {
    return readFileSync(config.ca, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? 'error';
    throw new ResolverError('config-ca', `ca file '${config.ca}': cannot read (${code.toLowerCase()})`, {
      cause,
      details: { file: config.ca, key: 'ca' },
    });
  }
}
