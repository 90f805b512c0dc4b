/**
 * `startTestNetwork()`: a whole discovery network on 127.0.0.1 for integration tests
 * (the demo layout of DESIGN §9, smaller if asked): a throwaway CA and certificates
 * (@mimi/demo), zone keys made beforehand so that DS records can be written, CSIP keys
 * with their CSIPKEY records, overlays (zones/README.md), then the built servers as
 * child processes — `node root-dp/dist/main.js …` and `node authoritative-dp/dist/main.js …`
 * on port 0 (build first: `npx tsc -b`).
 *
 * Order: keys and overlays → root → client.json (its DoH URL and DS) → authoritative
 * DPs → the root overlay rewritten with the SVCB ports the servers chose, and SIGHUP.
 */
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureCertificateAuthority, ensureServerCertificate } from '@mimi/demo';
import { dsLine, loadOrCreateZoneKey } from '@mimi/dnssec';
import {
  APEX,
  AUTHORITATIVE_MAIN,
  type AuthoritativeSpec,
  type CsipSpec,
  DEFAULT_AUTHORITATIVES,
  DEFAULT_CSIPS,
  makeCsip,
  REPO_ROOT,
  ROOT_HOST,
  ROOT_MAIN,
  ROOT_ZONES,
  svcbLine,
  type TestCsip,
  TTL,
  type ZoneSpec,
} from './network-layout.js';
import { type ListeningLine, ServerProcess, TestNetworkError } from './server-process.js';

export interface TestNetworkOptions {
  /** Where keys, certificates, overlays, databases and client.json go; default a new temp dir, removed by stop(). */
  readonly dir?: string;
  readonly authoritatives?: readonly AuthoritativeSpec[];
  readonly csips?: readonly CsipSpec[];
  /** More arguments for the root. */
  readonly rootArgs?: readonly string[];
}

export interface TestServer {
  readonly name: string;
  readonly host: string;
  readonly zones: readonly string[];
  /** `https://127.0.0.1:PORT/dns-query` */
  readonly doh: string;
  /** `127.0.0.1:PORT` */
  readonly do53: string | null;
  /** `https://127.0.0.1:PORT`: the management API's base (authoritative DPs). */
  readonly api: string;
  readonly keyDir: string;
  readonly process: ServerProcess;
}

export interface TestNetwork {
  readonly dir: string;
  readonly apex: string;
  /** CA certificate path and PEM. */
  readonly caFile: string;
  readonly ca: string;
  /** The root's DS line (`mimi.arpa. 3600 IN DS …`) and the file holding it. */
  readonly trustAnchor: string;
  readonly trustAnchorFile: string;
  /** The stub's configuration (DESIGN §9 client.json). */
  readonly clientConfigFile: string;
  /** DESIGN §9 network.json. */
  readonly networkFile: string;
  readonly root: TestServer;
  readonly rootOverlayFile: string;
  readonly csipOverlayFile: string;
  readonly authoritatives: readonly TestServer[];
  readonly csips: ReadonlyMap<string, TestCsip>;
  /** The authoritative DP named `name`. */
  authoritative(name: string): TestServer;
  /** The Do53 address of each zone (for unbound stub zones). */
  do53Zones(): { zone: string; do53: string }[];
  /** Stop every server (SIGTERM) and remove the directory if startTestNetwork made it. */
  stop(): Promise<void>;
}

function serverOf(
  name: string,
  host: string,
  zones: readonly ZoneSpec[],
  keyDir: string,
  process: ServerProcess,
  listening: ListeningLine,
): TestServer {
  return {
    name,
    host,
    zones: zones.map((zone) => zone.apex),
    doh: listening.doh,
    do53: listening.do53,
    api: new URL(listening.doh).origin,
    keyDir,
    process,
  };
}

function portOf(server: TestServer): number {
  return Number(new URL(server.doh).port);
}

export async function startTestNetwork(options: TestNetworkOptions = {}): Promise<TestNetwork> {
  for (const main of [ROOT_MAIN, AUTHORITATIVE_MAIN]) {
    if (!existsSync(main))
      throw new TestNetworkError('not-built', `${main} is missing: run npx tsc -b first`);
  }
  const dir = options.dir ?? (await fs.mkdtemp(join(tmpdir(), 'mimi-network-')));
  const specs = options.authoritatives ?? DEFAULT_AUTHORITATIVES;
  const now = Math.floor(Date.now() / 1000);
  const pkiDir = join(dir, 'pki');
  const zonesDir = join(dir, 'zones');
  await fs.mkdir(zonesDir, { recursive: true });
  const ca = await ensureCertificateAuthority(pkiDir);
  const caPem = await fs.readFile(ca.cert, 'utf8');

  // Zone keys first: the root's overlay carries the children's DS records.
  const rootKeyDir = join(dir, 'keys', 'root');
  const dsLines: string[] = [];
  let trustAnchor = '';
  for (const zone of ROOT_ZONES) {
    const { key } = await loadOrCreateZoneKey(rootKeyDir, zone.apex);
    if (zone.apex === APEX) trustAnchor = dsLine(key, TTL);
    else dsLines.push(dsLine(key, TTL));
  }
  const delegationLines: string[] = [];
  for (const spec of specs) {
    for (const zone of spec.zones) {
      const { key } = await loadOrCreateZoneKey(join(dir, 'keys', spec.name), zone.apex);
      delegationLines.push(`${zone.apex} ${TTL} IN NS ${spec.host}`, dsLine(key, TTL));
    }
  }

  const csips = new Map<string, TestCsip>();
  const csipLines: string[] = [];
  for (const spec of options.csips ?? DEFAULT_CSIPS) {
    const { csip, line } = await makeCsip(dir, spec, now);
    csips.set(csip.id, csip);
    csipLines.push(line);
  }
  const csipOverlayFile = join(zonesDir, `csip.${APEX}overlay.zone`);
  await fs.writeFile(csipOverlayFile, `; CSIP keys of the test network\n${csipLines.join('\n')}\n`);

  const rootOverlayFile = join(zonesDir, `${APEX}overlay.zone`);
  const writeRootOverlay = (ports: ReadonlyMap<string, number>) => {
    const hostLines = [...ports].flatMap(([host, port]) => [
      `${host} ${TTL} IN A 127.0.0.1`,
      svcbLine(host, port),
    ]);
    const text = ['; written by startTestNetwork', ...dsLines, ...delegationLines, ...hostLines, ''].join(
      '\n',
    );
    return fs.writeFile(rootOverlayFile, text);
  };
  await writeRootOverlay(new Map());

  const started: ServerProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((server) => server.stop()));
    // A directory we made is ours to remove; one the caller gave is theirs.
    if (options.dir === undefined) await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    const rootCert = await ensureServerCertificate(pkiDir, ca, ROOT_HOST);
    const rootArgs = [
      '--zone',
      ...ROOT_ZONES.map((zone) => resolve(REPO_ROOT, zone.file)),
      rootOverlayFile,
      csipOverlayFile,
      '--key-dir',
      rootKeyDir,
      '--listen',
      '127.0.0.1:0',
      '--tls-cert',
      rootCert.cert,
      '--tls-key',
      rootCert.key,
      '--do53',
      '127.0.0.1:0',
      ...(options.rootArgs ?? []),
    ];
    const rootProcess = ServerProcess.spawn('mimi-root', ROOT_MAIN, rootArgs);
    started.push(rootProcess);
    const root = serverOf(
      'root',
      ROOT_HOST,
      ROOT_ZONES,
      rootKeyDir,
      rootProcess,
      await rootProcess.started(),
    );

    const trustAnchorFile = join(dir, 'trust-anchor.txt');
    await fs.writeFile(trustAnchorFile, `${trustAnchor}\n`);
    const clientConfigFile = join(dir, 'client.json');
    const clientConfig = {
      roots: [root.doh],
      trustAnchors: [trustAnchor],
      ca: ca.cert,
      relay: null,
      issuer: null,
    };
    await fs.writeFile(clientConfigFile, `${JSON.stringify(clientConfig, null, 2)}\n`);

    const authoritatives = await Promise.all(
      specs.map(async (spec) => {
        const cert = await ensureServerCertificate(pkiDir, ca, spec.host);
        const keyDir = join(dir, 'keys', spec.name);
        const child = ServerProcess.spawn(`mimi-authoritative ${spec.name}`, AUTHORITATIVE_MAIN, [
          '--zone',
          ...spec.zones.map((zone) => resolve(REPO_ROOT, zone.file)),
          '--key-dir',
          keyDir,
          '--db',
          join(dir, `${spec.name}.db`),
          '--resolver-config',
          clientConfigFile,
          '--listen',
          '127.0.0.1:0',
          '--tls-cert',
          cert.cert,
          '--tls-key',
          cert.key,
          '--do53',
          '127.0.0.1:0',
          ...(spec.args ?? []),
        ]);
        started.push(child);
        return serverOf(spec.name, spec.host, spec.zones, keyDir, child, await child.started());
      }),
    );

    // Now that every port is known, publish the DoH endpoints (RFC 9461 SVCB) and reload.
    await writeRootOverlay(
      new Map([
        [ROOT_HOST, portOf(root)],
        ...authoritatives.map((server) => [server.host, portOf(server)] as const),
      ]),
    );
    await rootProcess.reload();

    const networkFile = join(dir, 'network.json');
    const servers = [root, ...authoritatives].map((server) => ({
      name: server.name,
      role: server === root ? 'root' : 'authoritative',
      zones: server.zones,
      doh: server.doh,
      do53: server.do53,
      ...(server === root ? {} : { api: server.api }),
    }));
    await fs.writeFile(
      networkFile,
      `${JSON.stringify({ apex: APEX, ca: ca.cert, servers, relay: null, issuer: null }, null, 2)}\n`,
    );

    return {
      dir,
      apex: APEX,
      caFile: ca.cert,
      ca: caPem,
      trustAnchor,
      trustAnchorFile,
      clientConfigFile,
      networkFile,
      root,
      rootOverlayFile,
      csipOverlayFile,
      authoritatives,
      csips,
      authoritative(name) {
        const found = authoritatives.find((server) => server.name === name);
        if (found === undefined)
          throw new TestNetworkError('no-such-server', `no authoritative dp named '${name}'`);
        return found;
      },
      do53Zones() {
        return [root, ...authoritatives].flatMap((server) =>
          server.do53 === null ? [] : server.zones.map((zone) => ({ zone, do53: server.do53! })),
        );
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
