/**
 * The three files scripts and people rely on (DESIGN §9), in exactly the shapes given
 * there: `network.json` (every server's zones and endpoints), `trust-anchor.txt` (the
 * root's DS lines, as unbound's `trust-anchor-file` reads them) and `client.json` (the
 * stub resolver's configuration). Each is written atomically (temporary file + rename).
 */
import { promises as fs } from 'node:fs';

export interface NetworkServerEntry {
  readonly name: string;
  readonly role: 'root' | 'authoritative';
  readonly zones: readonly string[];
  /** `https://127.0.0.1:PORT/dns-query` */
  readonly doh: string;
  /** `127.0.0.1:PORT` */
  readonly do53: string;
  /** `https://127.0.0.1:PORT`: the management API's base (authoritative DPs only). */
  readonly api?: string;
}

export interface NetworkFile {
  readonly apex: string;
  /** Path of the CA certificate. */
  readonly ca: string;
  readonly servers: readonly NetworkServerEntry[];
  readonly relay: string | null;
  readonly issuer: string | null;
}

export interface ClientFile {
  readonly roots: readonly string[];
  readonly trustAnchors: readonly string[];
  readonly ca: string;
  readonly relay: string | null;
  readonly issuer: string | null;
}

/** The endpoints `network.json` lists for a server. */
interface ServerEndpoints {
  readonly name: string;
  readonly role: 'root' | 'authoritative';
  readonly zones: readonly string[];
  readonly doh: string;
  readonly do53: string;
  readonly api: string;
}

/** `network.json` of a network without relay and issuer (yet). */
export function networkFile(apex: string, ca: string, servers: readonly ServerEndpoints[]): NetworkFile {
  return {
    apex,
    ca,
    servers: servers.map(({ name, role, zones, doh, do53, api }) => ({
      name,
      role,
      zones,
      doh,
      do53,
      ...(role === 'authoritative' ? { api } : {}),
    })),
    relay: null,
    issuer: null,
  };
}

/** `client.json`: the roots' DoH URLs, the trust anchor lines, the CA. */
export function clientFile(
  roots: readonly { readonly doh: string }[],
  trustAnchors: readonly string[],
  ca: string,
): ClientFile {
  return { roots: roots.map((root) => root.doh), trustAnchors, ca, relay: null, issuer: null };
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await fs.writeFile(temporary, text);
  await fs.rename(temporary, path);
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** `trust-anchor.txt`: one presentation-format DS line each. */
export async function writeTrustAnchor(path: string, lines: readonly string[]): Promise<void> {
  await writeFileAtomic(path, `${lines.join('\n')}\n`);
}

/** The `network.json` of an earlier start, or undefined when there is none (or it is unreadable). */
export async function readNetworkFile(path: string): Promise<NetworkFile | undefined> {
  try {
    return JSON.parse(await fs.readFile(path, 'utf8')) as NetworkFile;
  } catch {
    return undefined;
  }
}
