/**
 * The relay's allow-list (DESIGN §7: "it forwards only to allow-listed host names, each
 * mapped to an address and port in its configuration"). A JSON file:
 *
 *   { "dp1.nic.mimi.arpa": "127.0.0.1:8443",
 *     "dp2.nic.mimi.arpa": { "address": "[::1]:8444", "paths": ["/dns-query"] } }
 *
 * Host names are compared lowercase without a trailing dot. `paths` lists the target
 * paths the relay accepts for that host (default `/dns-query`), so `targetpath` can
 * never aim the relay at another resource of the target.
 */
import { promises as fs } from 'node:fs';
import { isIP } from 'node:net';
import { DEFAULT_TARGET_PATH } from './constants.js';
import { RelayConfigError } from './errors.js';

export interface TargetEntry {
  /** The host name: TLS server name, `:authority`, and the certificate's name. */
  readonly host: string;
  /** Where to connect: an IP literal or name. */
  readonly address: string;
  readonly port: number;
  readonly paths: readonly string[];
}

export type TargetTable = ReadonlyMap<string, TargetEntry>;

const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Lowercase, no trailing dot; null when it is not an LDH host name. */
export function normalizeHost(host: string): string | null {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > 253) return null;
  return name.split('.').every((label) => LDH_LABEL.test(label)) ? name : null;
}

/** `host:port`, `[v6]:port` → address and port; null when malformed. Port 0 (any) only for listening. */
export function parseHostPort(text: string, allowPortZero = false): { address: string; port: number } | null {
  const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  if (match === null) return null;
  const address = match[1]!;
  const port = Number(match[2]);
  if (port < (allowPortZero ? 0 : 1) || port > 65535) return null;
  if (text.startsWith('[') && isIP(address) !== 6) return null;
  if (!text.startsWith('[') && isIP(address) === 0 && normalizeHost(address) === null) return null;
  return { address, port };
}

export function parseTargets(text: string, file: string): TargetTable {
  const bad = (why: string) =>
    new RelayConfigError('targets-file', `targets file ${file}: ${why}`, { details: { file } });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw bad('not json');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw bad('must be an object mapping host names to "address:port"');
  }
  const table = new Map<string, TargetEntry>();
  for (const [rawHost, value] of Object.entries(data)) {
    const host = normalizeHost(rawHost);
    if (host === null) throw bad(`"${rawHost}" is not a host name`);
    if (table.has(host)) throw bad(`"${rawHost}" is listed twice`);
    const spec = typeof value === 'string' ? { address: value } : value;
    if (typeof spec !== 'object' || spec === null || typeof spec.address !== 'string') {
      throw bad(`"${rawHost}" needs "address:port"`);
    }
    const hostPort = parseHostPort(spec.address);
    if (hostPort === null) throw bad(`"${rawHost}": "${spec.address}" is not address:port`);
    const paths = spec.paths ?? [DEFAULT_TARGET_PATH];
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every(isTargetPath)) {
      throw bad(`"${rawHost}": paths must be a non-empty list of absolute paths without query`);
    }
    table.set(host, { host, ...hostPort, paths: [...paths] });
  }
  if (table.size === 0) throw bad('lists no target');
  return table;
}

function isTargetPath(path: unknown): path is string {
  return typeof path === 'string' && /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(path) && !path.includes('..');
}

export async function readTargetsFile(file: string): Promise<TargetTable> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (cause) {
    throw new RelayConfigError('targets-file', `cannot read targets file ${file}`, {
      cause,
      details: { file },
    });
  }
  return parseTargets(text, file);
}
