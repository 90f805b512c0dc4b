/**
 * Where a network keeps its state (DESIGN §9: everything under `.mimi/` for the demo, a
 * temporary directory for tests; generated on the first start and re-used after).
 * Directories holding private keys are mode 0700.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export interface DemoPaths {
  readonly root: string;
  readonly tls: string;
  readonly zoneKeys: (server: string) => string;
  readonly csipKey: (id: string) => string;
  readonly recipientKey: (name: string) => string;
  readonly overlay: (zone: string) => string;
  readonly database: (server: string) => string;
  readonly log: (server: string) => string;
  readonly seedObject: (name: string) => string;
  readonly networkJson: string;
  readonly trustAnchor: string;
  readonly clientJson: string;
  /** A server's ODoH key ring (`--odoh-keys`; RFC 9230 §5 keys, mode 0600). */
  readonly odohKeys: (server: string) => string;
  /** The token issuer's state directory (its epoch keys and quota logs). */
  readonly issuerState: string;
  /** The issuer's users file (the demo user and its API key, mode 0600). */
  readonly issuerUsers: string;
  /** The relay's allow-list: every server's host name → its 127.0.0.1 DoH address. */
  readonly relayTargets: string;
  /**
   * The DPs' own resolver configuration (`--resolver-config`, for CSIP keys) when the
   * client's has a relay and a user's credential: direct DoH to the root, no token.
   */
  readonly serverClientJson: string;
}

export function demoPaths(stateDir: string): DemoPaths {
  return {
    root: stateDir,
    tls: join(stateDir, 'tls'),
    zoneKeys: (server) => join(stateDir, 'keys', 'zones', server),
    csipKey: (id) => join(stateDir, 'keys', 'csip', `${id}.key`),
    recipientKey: (name) => join(stateDir, 'keys', 'recipients', `${name}.key`),
    overlay: (zone) => join(stateDir, 'zones', `${zone.replace(/\.$/, '')}.overlay.zone`),
    database: (server) => join(stateDir, 'db', `${server}.sqlite`),
    log: (server) => join(stateDir, 'logs', `${server}.log`),
    seedObject: (name) => join(stateDir, 'seed', `${name}.b64`),
    networkJson: join(stateDir, 'network.json'),
    trustAnchor: join(stateDir, 'trust-anchor.txt'),
    clientJson: join(stateDir, 'client.json'),
    odohKeys: (server) => join(stateDir, 'keys', 'odoh', `${server}.json`),
    issuerState: join(stateDir, 'issuer'),
    issuerUsers: join(stateDir, 'keys', 'issuer-users.json'),
    relayTargets: join(stateDir, 'relay-targets.json'),
    serverClientJson: join(stateDir, 'server-client.json'),
  };
}

export async function createStateDirs(paths: DemoPaths, servers: readonly string[]): Promise<void> {
  const secret = { recursive: true, mode: 0o700 } as const;
  await fs.mkdir(paths.root, secret);
  await fs.mkdir(paths.tls, secret);
  for (const server of servers) await fs.mkdir(paths.zoneKeys(server), secret);
  await fs.mkdir(join(paths.root, 'keys', 'csip'), secret);
  await fs.mkdir(join(paths.root, 'keys', 'recipients'), secret);
  await fs.mkdir(join(paths.root, 'keys', 'odoh'), secret);
  await fs.mkdir(join(paths.root, 'zones'), { recursive: true });
  await fs.mkdir(join(paths.root, 'db'), secret);
  await fs.mkdir(join(paths.root, 'logs'), { recursive: true });
  await fs.mkdir(join(paths.root, 'seed'), { recursive: true });
}
