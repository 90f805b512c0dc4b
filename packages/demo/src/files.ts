/**
 * The three files scripts and people rely on (DESIGN §9): `network.json`,
 * `trust-anchor.txt` (unbound's `trust-anchor-file` format) and `client.json` (the
 * stub resolver's configuration). Written atomically.
 */
import { promises as fs } from 'node:fs';

export interface NetworkServerEntry {
  readonly name: string;
  readonly role: 'root' | 'authoritative';
  readonly host: string;
  readonly zones: readonly string[];
  readonly doh: string;
  readonly do53: string;
  readonly api?: string;
}

export interface NetworkFile {
  readonly apex: string;
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

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await fs.writeFile(temporary, text);
  await fs.rename(temporary, path);
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function readNetworkFile(path: string): Promise<NetworkFile | undefined> {
  try {
    return JSON.parse(await fs.readFile(path, 'utf8')) as NetworkFile;
  } catch {
    return undefined;
  }
}
