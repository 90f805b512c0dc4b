/**
 * The layout of a test network (DESIGN §9): where the built servers are, the demo's
 * zones, authoritative DPs and CSIPs, and the overlay records a running network needs
 * (zones/README.md): CSIPKEY lines for the CSIP zone, `_dns` SVCB endpoints (RFC 9461).
 */
import type { KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEd25519, writePrivateKeyFile } from '@mimi/crypto';
import { CLASS_IN, encodeCsipKeyRecord, formatRecord, RRType } from '@mimi/protocol';

/** The repository root (this file is packages/test-support/{src,dist}/network.*). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ROOT_MAIN = join(REPO_ROOT, 'root-dp/dist/main.js');
export const AUTHORITATIVE_MAIN = join(REPO_ROOT, 'authoritative-dp/dist/main.js');

export const APEX = 'mimi.arpa.';
export const ROOT_HOST = `root.nic.${APEX}`;
/** TTL of the overlay records. */
export const TTL = 3600;
const DAY = 86_400;

export interface ZoneSpec {
  readonly apex: string;
  /** Master file with the SOA (relative paths are relative to the repository root). */
  readonly file: string;
}

export interface AuthoritativeSpec {
  /** Short name for files and logs, e.g. `tel`. */
  readonly name: string;
  /** The server's host name under `nic.` (its NS target and TLS name). */
  readonly host: string;
  readonly zones: readonly ZoneSpec[];
  /** More command-line arguments (e.g. `--api-rate-limit 2`). */
  readonly args?: readonly string[];
}

export interface CsipSpec {
  readonly id: string;
  readonly scope: readonly string[];
  /** Lifetime of the CSIPKEY record; default 730 days. */
  readonly days?: number;
}

export interface TestCsip {
  readonly id: string;
  readonly scope: readonly string[];
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
  readonly keyFile: string;
  readonly exp: number;
}

/** DESIGN §9's servers: `tel` for +44 and +1, `mail` for example.com. */
export const DEFAULT_AUTHORITATIVES: readonly AuthoritativeSpec[] = [
  {
    name: 'tel',
    host: `tel.nic.${APEX}`,
    zones: [
      { apex: `4.4.e164.${APEX}`, file: 'zones/4.4.e164.zone' },
      { apex: `1.e164.${APEX}`, file: 'zones/1.e164.zone' },
    ],
  },
  {
    name: 'mail',
    host: `mail.nic.${APEX}`,
    zones: [{ apex: `example.com.email.${APEX}`, file: 'zones/example.com.email.zone' }],
  },
];

/** DESIGN §9's CSIPs. */
export const DEFAULT_CSIPS: readonly CsipSpec[] = [
  { id: 'uk-carrier', scope: ['+44'] },
  { id: 'us-carrier', scope: ['+1'] },
  { id: 'example-mail', scope: ['example.com'] },
];

export const ROOT_ZONES: readonly ZoneSpec[] = [
  { apex: APEX, file: 'zones/root.zone' },
  { apex: `csip.${APEX}`, file: 'zones/csip.zone' },
];

export function svcbLine(host: string, port: number): string {
  return `_dns.${host} ${TTL} IN SVCB 1 ${host} alpn=h2 port=${port} dohpath=/dns-query{?dns}`;
}

/** A CSIP key pair (file mode 0600) and its CSIPKEY line. */
export async function makeCsip(
  dir: string,
  spec: CsipSpec,
  now: number,
): Promise<{ csip: TestCsip; line: string }> {
  const { privateKey, publicKey } = generateEd25519();
  const keyFile = join(dir, 'keys', 'csip', `${spec.id}.key`);
  await fs.mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  await writePrivateKeyFile(keyFile, privateKey);
  const exp = now + (spec.days ?? 730) * DAY;
  const rdata = encodeCsipKeyRecord({ v: 1, id: spec.id, pk: publicKey, scope: [...spec.scope], exp });
  const line = formatRecord({
    name: `${spec.id}.csip.${APEX}`,
    type: RRType.CSIPKEY,
    class: CLASS_IN,
    ttl: TTL,
    rdata,
  });
  return { csip: { id: spec.id, scope: spec.scope, privateKey, publicKey, keyFile, exp }, line };
}
