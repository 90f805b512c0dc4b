/**
 * Start the demo network of DESIGN §9 on 127.0.0.1: the root DP (apex + CSIP zone) and
 * the two authoritative DPs, as child processes of the real server programs, with
 * keys, a throwaway CA and certificates under the state directory (made on first
 * start, re-used after), overlays carrying what only a running network knows, the
 * three files `network.json`, `trust-anchor.txt` and `client.json`, and the seed
 * mappings published through the management API. Tests start the same network in a
 * temporary directory.
 */
import { join } from 'node:path';
import { publicKeyOf } from '@mimi/crypto';
import { dsLine, type ZoneKey } from '@mimi/dnssec';
import { type CsipKeyRecord, csiOwnerName, isSubdomain, normalizeCsi } from '@mimi/protocol';
import { type ClientFile, type NetworkFile, type NetworkServerEntry, readNetworkFile, writeFileAtomic, writeJson } from './files.js';
import { loadOrCreateKey, zoneKeysFor } from './keys.js';
import { APEX, CSIPS, type DemoServer, SERVERS } from './layout.js';
import { overlayRecords, writeOverlay } from './overlays.js';
import { ensureCertificateAuthority, ensureServerCertificate } from './pki.js';
import { pickPort } from './ports.js';
import { type ServerProcess, spawnServer, waitUntilReady } from './processes.js';
import { publishSeeds } from './seed.js';
import { DemoError } from './errors.js';
import { createStateDirs, type DemoPaths, demoPaths } from './state.js';

const CSIP_KEY_DAYS = 730;
const TRUST_ANCHOR_TTL = 3600;

export interface NetworkOptions {
  /** State directory (`.mimi/` for `npm start`). */
  readonly stateDir: string;
  /** The repository checkout: zones/, root-dp/dist, authoritative-dp/dist. */
  readonly repoRoot: string;
  /** Publish the seed mappings (default true). */
  readonly seed?: boolean;
}

export interface RunningNetwork {
  readonly network: NetworkFile;
  readonly paths: DemoPaths;
  readonly trustAnchorLines: readonly string[];
  readonly processes: readonly ServerProcess[];
  stop(): Promise<void>;
}

interface Planned {
  readonly server: DemoServer;
  readonly dohPort: number;
  readonly do53Port: number;
}

async function planPorts(paths: DemoPaths): Promise<Planned[]> {
  const previous = await readNetworkFile(paths.networkJson);
  const taken = new Set<number>();
  const planned: Planned[] = [];
  for (const server of SERVERS) {
    const before = previous?.servers.find((s) => s.name === server.name);
    const oldDoh = before ? Number(new URL(before.doh).port) : undefined;
    const oldDo53 = before ? Number(before.do53.split(':')[1]) : undefined;
    planned.push({
      server,
      dohPort: await pickPort(oldDoh, false, taken),
      do53Port: await pickPort(oldDo53, true, taken),
    });
  }
  return planned;
}

async function csipKeyRecords(paths: DemoPaths): Promise<CsipKeyRecord[]> {
  const exp = Math.floor(Date.now() / 1000) + CSIP_KEY_DAYS * 86_400;
  const records: CsipKeyRecord[] = [];
  for (const csip of CSIPS) {
    const key = await loadOrCreateKey(paths.csipKey(csip.id));
    records.push({ v: 1, id: csip.id, pk: publicKeyOf(key), scope: [...csip.scope], exp });
  }
  return records;
}

function serverArgs(
  plan: Planned,
  options: NetworkOptions,
  paths: DemoPaths,
  tls: { cert: string; key: string },
  overlaysByZone: ReadonlyMap<string, string>,
): string[] {
  const args: string[] = [];
  for (const file of plan.server.zoneFiles) args.push('--zone', join(options.repoRoot, 'zones', file));
  for (const zone of plan.server.zones) {
    const overlay = overlaysByZone.get(zone);
    if (overlay) args.push('--zone', overlay);
  }
  args.push(
    '--key-dir',
    paths.zoneKeys(plan.server.name),
    '--listen',
    `127.0.0.1:${plan.dohPort}`,
    '--tls-cert',
    tls.cert,
    '--tls-key',
    tls.key,
    '--do53',
    `127.0.0.1:${plan.do53Port}`,
  );
  if (plan.server.role === 'authoritative') {
    args.push('--db', paths.database(plan.server.name), '--resolver-config', paths.clientJson);
  }
  return args;
}

export async function startNetwork(options: NetworkOptions): Promise<RunningNetwork> {
  const paths = demoPaths(options.stateDir);
  await createStateDirs(
    paths,
    SERVERS.map((s) => s.name),
  );
  const ca = await ensureCertificateAuthority(paths.tls);
  const zoneKeys = new Map<string, ZoneKey>();
  for (const server of SERVERS) {
    for (const [zone, key] of await zoneKeysFor(paths.zoneKeys(server.name), server.zones)) zoneKeys.set(zone, key);
  }
  const plans = await planPorts(paths);
  const overlays = overlayRecords(SERVERS, {
    zoneKeys,
    dohPorts: new Map(plans.map((p) => [p.server.host, p.dohPort])),
    csipKeys: await csipKeyRecords(paths),
  });
  const overlaysByZone = new Map<string, string>();
  for (const [zone, records] of overlays) {
    const path = paths.overlay(zone);
    await writeOverlay(path, zone, records);
    overlaysByZone.set(zone, path);
  }

  const rootKey = zoneKeys.get(APEX)!;
  const trustAnchorLines = [dsLine(rootKey, TRUST_ANCHOR_TTL)];
  const entries: NetworkServerEntry[] = plans.map((p) => ({
    name: p.server.name,
    role: p.server.role,
    host: p.server.host,
    zones: [...p.server.zones],
    doh: `https://127.0.0.1:${p.dohPort}/dns-query`,
    do53: `127.0.0.1:${p.do53Port}`,
    ...(p.server.role === 'authoritative' ? { api: `https://127.0.0.1:${p.dohPort}` } : {}),
  }));
  const network: NetworkFile = { apex: APEX, ca: ca.cert, servers: entries, relay: null, issuer: null };
  const client: ClientFile = {
    roots: entries.filter((e) => e.role === 'root').map((e) => e.doh),
    trustAnchors: trustAnchorLines,
    ca: ca.cert,
    relay: null,
    issuer: null,
  };
  // The authoritative DPs read client.json lazily, for CSIP keys; write it before they start.
  await writeJson(paths.networkJson, network);
  await writeFileAtomic(paths.trustAnchor, `${trustAnchorLines.join('\n')}\n`);
  await writeJson(paths.clientJson, client);

  const processes: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  try {
    for (const plan of plans) {
      const tls = await ensureServerCertificate(paths.tls, ca, plan.server.host);
      const script = join(options.repoRoot, plan.server.role === 'root' ? 'root-dp' : 'authoritative-dp', 'dist', 'main.js');
      const args = serverArgs(plan, options, paths, tls, overlaysByZone);
      processes.push(spawnServer(plan.server.name, script, args, paths.log(plan.server.name)));
    }
    await Promise.all(
      processes.map((p, i) => waitUntilReady(p, plans[i]!.dohPort, plans[i]!.server.host, ca.cert, paths.log(p.name))),
    );
    if (options.seed ?? true) {
      await publishSeeds(paths, ca.cert, (csi) => {
        const owner = csiOwnerName(normalizeCsi(csi), APEX);
        const plan = plans.find((p) => p.server.role === 'authoritative' && p.server.zones.some((z) => isSubdomain(owner, z)));
        if (!plan) throw new DemoError('no-dp', `no demo DP serves ${csi}`);
        return { apiBase: `https://127.0.0.1:${plan.dohPort}`, host: plan.server.host };
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { network, paths, trustAnchorLines, processes, stop };
}
