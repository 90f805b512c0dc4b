/**
 * `HOST:PORT` listen addresses (DESIGN §8 `--listen`, `--do53`) and the loopback rule
 * of DESIGN §7: plain DNS "only on a loopback address unless `--do53-public` is also
 * given". IPv6 literals are written in brackets (`[::1]:8053`, RFC 3986 §3.2.2).
 */
import { isIP } from 'node:net';
import { ServerConfigError, UsageError } from './errors.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parse `HOST:PORT` / `[V6]:PORT`; port 0 asks the system for a free port. */
export function parseHostPort(text: string, flag: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (match === null)
    throw new UsageError('bad-address', `${flag} '${text}' is not HOST:PORT (IPv6 as [ADDR]:PORT)`);
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (port > 65_535) throw new UsageError('bad-address', `${flag} '${text}': port ${port} is above 65535`);
  if (match[1] !== undefined && isIP(host) !== 6) {
    throw new UsageError('bad-address', `${flag} '${text}': '${host}' in brackets is not an IPv6 address`);
  }
  return { host, port };
}

/** `HOST:PORT` text of an address, IPv6 in brackets. */
export function formatHostPort(address: HostPort): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3). */
export function isLoopback(host: string): boolean {
  const lower = host.toLowerCase();
  if (isIP(lower) === 4) return lower.startsWith('127.');
  if (isIP(lower) === 6) {
    if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return lower.slice(7).startsWith('127.');
    return expandsToLoopback(lower);
  }
  return false;
}

function expandsToLoopback(v6: string): boolean {
  const [head = '', tail = ''] = v6.split('::');
  const groups = v6.includes('::')
    ? [
        ...splitGroups(head),
        ...new Array(8 - splitGroups(head).length - splitGroups(tail).length).fill(0),
        ...splitGroups(tail),
      ]
    : splitGroups(v6);
  return groups.length === 8 && groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1;
}

function splitGroups(text: string): number[] {
  return text === '' ? [] : text.split(':').map((group) => Number.parseInt(group, 16));
}

/**
 * The Do53 address check: an IP literal, and loopback unless the operator said
 * `--do53-public` (plain DNS is neither encrypted nor token-checked).
 */
export function checkDo53Address(address: HostPort, allowPublic: boolean): void {
  if (isIP(address.host) === 0) {
    throw new ServerConfigError('do53-address', `--do53 needs an IP address, not '${address.host}'`);
  }
  if (!allowPublic && !isLoopback(address.host)) {
    throw new ServerConfigError(
      'do53-not-loopback',
      `--do53 ${formatHostPort(address)} is not a loopback address; add --do53-public to serve plain dns on it`,
    );
  }
}
