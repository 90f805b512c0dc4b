/**
 * `launchNetwork`: a whole discovery network on 127.0.0.1 from a layout (layout.ts) and a
 * state directory — the one way both `npm start` (demo-network.ts) and the integration
 * tests (@mimi/test-support) start one. It makes or re-uses zone keys, CSIP keys, a
 * throwaway CA and server certificates; writes the overlays (overlays.ts) and the three
 * files of DESIGN §9; and runs the real server programs as child processes.
 *
 * Order: keys, ports and overlays → trust-anchor.txt → root → client.json (the root's
 * DoH URL; the authoritative DPs read it for CSIP keys) → authoritative DPs → if a port
 * had to change, the apex overlay rewritten and the root reloaded (SIGHUP) → network.json.
 */
import { dsLine, type ZoneKey } from '@mimi/dnssec';
import { canonicalName } from '@mimi/protocol';
import { loadCsips, type NetworkCsip } from './csips.js';
import { zoneKeysFor } from './keys.js';
import { checkLayout, type NetworkLayout, type ServerRole, type ServerSpec } from './layout.js';
import {
  clientFile,
  type NetworkFile,
  networkFile,
  readNetworkFile,
  writeJson,
  writeTrustAnchor,
} from './network-files.js';
import { overlayRecords, writeOverlays } from './overlays.js';
import { type CertificateFiles, ensureCertificateAuthority, ensureServerCertificate } from './pki.js';
import { pickPort } from './ports.js';
import {
  assertBuilt,
  type LaunchedServer,
  type LaunchPlan,
  launchServer,
  type ServerPorts,
} from './server-launch.js';
import type { ServerProcess } from './server-process.js';
import { createStateDirs, type DemoPaths, demoPaths } from './state.js';

/** TTL of the trust anchor's DS line (DESIGN §9: `mimi.arpa. 3600 IN DS …`). */
const TRUST_ANCHOR_TTL = 3600;

export interface LaunchOptions {
  readonly layout: NetworkLayout;
  /** Where keys, certificates, overlays, databases, logs and the three files go. */
  readonly stateDir: string;
  /** The repository checkout: zone files and root-dp/dist, authoritative-dp/dist. */
  readonly repoRoot: string;
  /** Unix seconds the CSIPKEY lifetimes count from; default the current time. */
  readonly now?: number;
}

export interface NetworkServer {
  readonly name: string;
  readonly role: ServerRole;
  readonly host: string;
  readonly zones: readonly string[];
  /** `https://127.0.0.1:PORT/dns-query` */
  readonly doh: string;
  /** `127.0.0.1:PORT` */
  readonly do53: string;
  /** `https://127.0.0.1:PORT`: the management API's base (authoritative DPs). */
  readonly api: string;
  readonly keyDir: string;
  readonly process: ServerProcess;
}

export interface LaunchedNetwork {
  readonly apex: string;
  readonly paths: DemoPaths;
  readonly ca: CertificateFiles;
  /** The root's DS lines, as in trust-anchor.txt. */
  readonly trustAnchorLines: readonly string[];
  /** What network.json holds. */
  readonly network: NetworkFile;
  readonly root: NetworkServer;
  /** Every server, in layout order. */
  readonly servers: readonly NetworkServer[];
  readonly csips: ReadonlyMap<string, NetworkCsip>;
  /** Stop every server (SIGTERM, then SIGKILL after a grace period). Safe to call twice. */
  stop(): Promise<void>;
}

function networkServer(spec: ServerSpec, keyDir: string, launched: LaunchedServer): NetworkServer {
  return {
    name: spec.name,
    role: spec.role,
    host: spec.host,
    zones: spec.zones.map((zone) => canonicalName(zone.apex)),
    doh: launched.listening.doh,
    do53: launched.listening.do53 ?? '',
    api: new URL(launched.listening.doh).origin,
    keyDir,
    process: launched.process,
  };
}

/** Ports per server: the previous start's when free (readNetworkFile), else fresh. */
async function planPorts(
  layout: NetworkLayout,
  paths: DemoPaths,
  taken: Set<number>,
): Promise<Map<string, ServerPorts>> {
  const previous = await readNetworkFile(paths.networkJson);
  const planned = new Map<string, ServerPorts>();
  for (const server of layout.servers) {
    const before = previous?.servers?.find((entry) => entry.name === server.name);
    const oldDoh = before?.doh ? Number(new URL(before.doh).port) : undefined;
    const oldDo53 = before?.do53 ? Number(before.do53.slice(before.do53.lastIndexOf(':') + 1)) : undefined;
    planned.set(server.name, {
      doh: await pickPort(oldDoh, false, taken),
      do53: await pickPort(oldDo53, true, taken),
    });
  }
  return planned;
}

export async function launchNetwork(options: LaunchOptions): Promise<LaunchedNetwork> {
  const { layout, repoRoot } = options;
  const rootSpec = checkLayout(layout);
  assertBuilt(
    repoRoot,
    layout.servers.map((server) => server.role),
  );
  const apex = canonicalName(layout.apex);
  const paths = demoPaths(options.stateDir);
  await createStateDirs(
    paths,
    layout.servers.map((server) => server.name),
  );
  const ca = await ensureCertificateAuthority(paths.tls);
  const zoneKeys = new Map<string, ZoneKey>();
  for (const server of layout.servers) {
    const zones = server.zones.map((zone) => canonicalName(zone.apex));
    for (const [zone, key] of await zoneKeysFor(paths.zoneKeys(server.name), zones)) zoneKeys.set(zone, key);
  }
  const csips = await loadCsips(paths, layout.csips, options.now ?? Math.floor(Date.now() / 1000));
  const taken = new Set<number>();
  const planned = await planPorts(layout, paths, taken);
  const writeAllOverlays = (dohPorts: ReadonlyMap<string, number>) =>
    writeOverlays(overlayRecords(layout, { zoneKeys, dohPorts, csips }), paths.overlay);
  const overlayFiles = await writeAllOverlays(
    new Map([...planned].map(([name, ports]) => [name, ports.doh])),
  );

  const trustAnchorLines = [dsLine(zoneKeys.get(apex)!, TRUST_ANCHOR_TTL)];
  await writeTrustAnchor(paths.trustAnchor, trustAnchorLines);

  const planFor = async (spec: ServerSpec): Promise<LaunchPlan> => ({
    spec,
    repoRoot,
    overlays: spec.zones.flatMap((zone) => overlayFiles.get(canonicalName(zone.apex)) ?? []),
    keyDir: paths.zoneKeys(spec.name),
    tls: await ensureServerCertificate(paths.tls, ca, spec.host),
    ...(spec.role === 'authoritative'
      ? { database: paths.database(spec.name), resolverConfig: paths.clientJson }
      : {}),
    logFile: paths.log(spec.name),
  });
  const start = async (spec: ServerSpec) =>
    networkServer(
      spec,
      paths.zoneKeys(spec.name),
      await launchServer(await planFor(spec), planned.get(spec.name)!, taken),
    );

  const started: NetworkServer[] = [];
  const stop = async () => {
    await Promise.all(started.map((server) => server.process.stop()));
  };
  try {
    const root = await start(rootSpec);
    started.push(root);
    await writeJson(paths.clientJson, clientFile([root], trustAnchorLines, ca.cert));
    // In parallel; every one that started is stopped again if another failed.
    const results = await Promise.allSettled(layout.servers.filter((spec) => spec !== rootSpec).map(start));
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
    const servers = layout.servers.map((spec) => started.find((server) => server.name === spec.name)!);

    // A server that had to move to fresh ports: publish its real DoH endpoint (RFC 9461).
    const dohPorts = new Map(servers.map((server) => [server.name, Number(new URL(server.doh).port)]));
    if (servers.some((server) => dohPorts.get(server.name) !== planned.get(server.name)!.doh)) {
      await writeAllOverlays(dohPorts);
      await root.process.reload();
    }
    const network = networkFile(layout.apex, ca.cert, servers);
    await writeJson(paths.networkJson, network);
    const csipsById = new Map(csips.map((csip) => [csip.id, csip]));
    return { apex: layout.apex, paths, ca, trustAnchorLines, network, root, servers, csips: csipsById, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
