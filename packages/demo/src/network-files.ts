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
  /** The user's API key at the issuer (DESIGN §8 "the user's credential for it"). */
  readonly issuerAuth?: string;
}

/** The privacy endpoints of a network (DESIGN §9): relay and issuer URLs, the demo user's key. */
export interface PrivacyEndpoints {
  /** `https://127.0.0.1:PORT/proxy` */
  readonly relay: string;
  /** `https://127.0.0.1:PORT`: the issuer's origin, named exactly as the DPs name it. */
  readonly issuer: string;
  readonly issuerAuth: string;
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

/** `network.json`; `relay` and `issuer` are null without the privacy layer. */
export function networkFile(
  apex: string,
  ca: string,
  servers: readonly ServerEndpoints[],
  privacy?: PrivacyEndpoints,
): NetworkFile {
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
    relay: privacy?.relay ?? null,
    issuer: privacy?.issuer ?? null,
  };
}

/**
 * `client.json`: the roots' DoH URLs, the trust anchor lines, the CA, and with the privacy
 * layer the relay (every query through it), the issuer and the user's key there.
 */
export function clientFile(
  roots: readonly { readonly doh: string }[],
  trustAnchors: readonly string[],
  ca: string,
  privacy?: PrivacyEndpoints,
): ClientFile {
  const base = { roots: roots.map((root) => root.doh), trustAnchors, ca };
  if (privacy === undefined) return { ...base, relay: null, issuer: null };
  return { ...base, relay: privacy.relay, issuer: privacy.issuer, issuerAuth: privacy.issuerAuth };
}

/** `mode` for a file holding a secret (0o600); the default is the umask's. */
export async function writeFileAtomic(path: string, text: string, mode?: number): Promise<void> {
  const temporary = `${path}.tmp`;
  await fs.rm(temporary, { force: true });
  await fs.writeFile(temporary, text, mode === undefined ? {} : { mode });
  await fs.rename(temporary, path);
}

export async function writeJson(path: string, value: unknown, mode?: number): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode);
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
