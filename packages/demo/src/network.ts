/**
 * `launchNetwork`: a whole discovery network on 127.0.0.1 from a layout (layout.ts) and a
 * state directory — the one way both `npm start` (demo-network.ts) and the integration
 * tests (@mimi/test-support) start one. It makes or re-uses zone keys, CSIP keys, ODoH key
 * rings, a throwaway CA and certificates; writes the overlays (overlays.ts) and the three
 * files of DESIGN §9; and runs the real programs as child processes.
 *
 * Order: keys, ports and overlays → trust-anchor.txt → issuer (privacy) → root → the DPs'
 * resolver configuration (the root's DoH URL, for CSIP keys) → authoritative DPs → if a
 * port had to change, the apex overlay rewritten and the root reloaded (SIGHUP) → relay
 * (privacy: its targets are the servers' real addresses) → network.json, client.json.
 * With privacy, each server's `odoh configs` line is then followed (odoh-publisher.ts).
 */
import { dsLine, type ZoneKey } from '@mimi/dnssec';
import { canonicalName } from '@mimi/protocol';
import { loadCsips, type NetworkCsip } from './csips.js';
import { shareZoneKeys, zoneKeysFor } from './keys.js';
import { checkLayout, type NetworkLayout, type ServerRole, type ServerSpec } from './layout.js';
import { clientFile, type NetworkFile, networkFile, writeJson, writeTrustAnchor } from './network-files.js';
import { type OdohConfigs, prepareOdohKeys } from './odoh-keys.js';
import { OdohPublisher } from './odoh-publisher.js';
import { overlayRecords, writeOverlays } from './overlays.js';
import { type CertificateFiles, ensureCertificateAuthority, ensureServerCertificate } from './pki.js';
import { planPorts } from './ports.js';
import {
  assertPrivacyBuilt,
  ensureDemoUser,
  launchIssuer,
  launchRelay,
  type PrivacyProcess,
  writeRelayTargets,
} from './privacy-launch.js';
import { assertBuilt, type LaunchedServer, type LaunchPlan, launchServer } from './server-launch.js';
import type { ServerProcess } from './server-process.js';
import { createStateDirs, type DemoPaths, demoPaths } from './state.js';

/** TTL of the trust anchor's DS line (DESIGN §9: `mimi.arpa. 3600 IN DS …`). */
const TRUST_ANCHOR_TTL = 3600;
/** Certificate names of the relay and the issuer (RFC 6761 §6.3: loopback names). */
export const RELAY_HOST = 'relay.localhost';
export const ISSUER_HOST = 'issuer.localhost';

export interface LaunchOptions {
  readonly layout: NetworkLayout;
  /** Where keys, certificates, overlays, databases, logs and the three files go. */
  readonly stateDir: string;
  /** The repository checkout: zone files and the built programs. */
  readonly repoRoot: string;
  /** Unix seconds the CSIPKEY lifetimes count from; default the current time. */
  readonly now?: number;
  /** One line for a person about what happens after the start (an ODoH key republished). */
  readonly report?: (message: string) => void;
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

/** The privacy layer as it runs (DESIGN §7): relay, issuer and the demo user's API key. */
export interface NetworkPrivacy {
  /** `url` is `https://127.0.0.1:PORT/proxy`. */
  readonly relay: PrivacyProcess;
  /** `url` is `https://127.0.0.1:PORT`, the issuer name the DPs check tokens against. */
  readonly issuer: PrivacyProcess;
  readonly issuerAuth: string;
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
  /** Null when the layout has no privacy layer. */
  readonly privacy: NetworkPrivacy | null;
  /** Every process: the servers in layout order, then the relay and the issuer. */
  readonly processes: readonly ServerProcess[];
  /** Stop every process (SIGTERM, then SIGKILL after a grace period). Safe to call twice. */
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

export async function launchNetwork(options: LaunchOptions): Promise<LaunchedNetwork> {
  const { layout, repoRoot } = options;
  const privacy = layout.privacy;
  const rootSpec = checkLayout(layout);
  assertBuilt(
    repoRoot,
    layout.servers.map((server) => server.role),
  );
  if (privacy !== undefined) assertPrivacyBuilt(repoRoot);
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
    // A zone on several servers is one zone: its replicas sign with the same key (the one
    // its first server has), so any of them validates against the one DS in the parent.
    await shareZoneKeys(paths.zoneKeys(server.name), zones, zoneKeys);
    for (const [zone, key] of await zoneKeysFor(paths.zoneKeys(server.name), zones)) zoneKeys.set(zone, key);
  }
  const csips = await loadCsips(paths, layout.csips, options.now ?? Math.floor(Date.now() / 1000));
  const odohConfigs = new Map<string, OdohConfigs>();
  if (privacy !== undefined) {
    for (const server of layout.servers)
      odohConfigs.set(server.name, await prepareOdohKeys(paths.odohKeys(server.name)));
  }
  const taken = new Set<number>();
  const planned = await planPorts(layout, paths, taken);
  let dohPorts = new Map([...planned.servers].map(([name, ports]) => [name, ports.doh]));
  const writeAllOverlays = () =>
    writeOverlays(overlayRecords(layout, { zoneKeys, dohPorts, csips, odohConfigs }), paths.overlay);
  const overlayFiles = await writeAllOverlays();

  const trustAnchorLines = [dsLine(zoneKeys.get(apex)!, TRUST_ANCHOR_TTL)];
  await writeTrustAnchor(paths.trustAnchor, trustAnchorLines);

  const started: ServerProcess[] = [];
  let publisher: OdohPublisher | undefined;
  const stop = async () => {
    const closing = publisher?.close();
    await Promise.all(started.map((process) => process.stop()));
    await closing;
  };
  try {
    let issuer: PrivacyProcess | undefined;
    let issuerAuth = '';
    if (privacy !== undefined) {
      issuerAuth = await ensureDemoUser(paths.issuerUsers);
      const plan = {
        repoRoot,
        spec: privacy,
        tls: await ensureServerCertificate(paths.tls, ca, ISSUER_HOST),
        stateDir: paths.issuerState,
        usersFile: paths.issuerUsers,
        logFile: paths.log('issuer'),
      };
      issuer = await launchIssuer(plan, planned.issuer, taken);
      started.push(issuer.process);
    }
    // With privacy, client.json names the relay and the user's key: the DPs get their own.
    const serverClientJson = privacy === undefined ? paths.clientJson : paths.serverClientJson;
    const planFor = async (spec: ServerSpec): Promise<LaunchPlan> => ({
      spec,
      repoRoot,
      overlays: spec.zones.flatMap((zone) => overlayFiles.get(canonicalName(zone.apex)) ?? []),
      keyDir: paths.zoneKeys(spec.name),
      tls: await ensureServerCertificate(paths.tls, ca, spec.host),
      ...(spec.role === 'authoritative'
        ? { database: paths.database(spec.name), resolverConfig: serverClientJson }
        : {}),
      ...(privacy === undefined ? {} : { odohKeys: paths.odohKeys(spec.name) }),
      ...(issuer !== undefined && spec.role === 'authoritative'
        ? { tokens: { issuer: issuer.url, ca: ca.cert } }
        : {}),
      logFile: paths.log(spec.name),
    });
    const start = async (spec: ServerSpec) => {
      const launched = await launchServer(await planFor(spec), planned.servers.get(spec.name)!, taken);
      started.push(launched.process);
      return networkServer(spec, paths.zoneKeys(spec.name), launched);
    };

    const root = await start(rootSpec);
    await writeJson(serverClientJson, clientFile([root], trustAnchorLines, ca.cert));
    // In parallel; every one that started is stopped again if another failed.
    const results = await Promise.allSettled(layout.servers.filter((spec) => spec !== rootSpec).map(start));
    for (const result of results) if (result.status === 'rejected') throw result.reason;
    const others = results.map((result) => (result as PromiseFulfilledResult<NetworkServer>).value);
    const servers = layout.servers.map(
      (spec) => [root, ...others].find((server) => server.name === spec.name)!,
    );

    // A server that had to move to fresh ports: publish its real DoH endpoint (RFC 9461).
    const realPorts = new Map(servers.map((server) => [server.name, Number(new URL(server.doh).port)]));
    if (servers.some((server) => realPorts.get(server.name) !== dohPorts.get(server.name))) {
      dohPorts = realPorts;
      await writeAllOverlays();
      await root.process.reload();
    }

    let running: NetworkPrivacy | null = null;
    if (privacy !== undefined && issuer !== undefined) {
      await writeRelayTargets(paths.relayTargets, servers);
      const plan = {
        repoRoot,
        spec: privacy,
        tls: await ensureServerCertificate(paths.tls, ca, RELAY_HOST),
        targetsFile: paths.relayTargets,
        ca: ca.cert,
        logFile: paths.log('relay'),
      };
      const relay = await launchRelay(plan, planned.relay, taken);
      started.push(relay.process);
      running = { relay, issuer, issuerAuth };
      const republish = async () => {
        await writeAllOverlays();
        await root.process.reload();
      };
      publisher = new OdohPublisher(odohConfigs, republish, options.report);
      for (const server of servers) publisher.watch(server.name, server.process);
      // A key the server rotated at its start is published before anyone asks.
      await publisher.settled();
    }
    const endpoints =
      running === null
        ? undefined
        : { relay: running.relay.url, issuer: running.issuer.url, issuerAuth: running.issuerAuth };
    const network = networkFile(layout.apex, ca.cert, servers, endpoints);
    await writeJson(paths.networkJson, network);
    // It holds the user's API key (issuerAuth): readable by its owner only.
    if (endpoints !== undefined)
      await writeJson(paths.clientJson, clientFile([root], trustAnchorLines, ca.cert, endpoints), 0o600);
    const processes = [
      ...servers.map((server) => server.process),
      ...(running === null ? [] : [running.relay.process, running.issuer.process]),
    ];
    const csipsById = new Map(csips.map((csip) => [csip.id, csip]));
    return {
      apex: layout.apex,
      paths,
      ca,
      trustAnchorLines,
      network,
      root,
      servers,
      csips: csipsById,
      privacy: running,
      processes,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
