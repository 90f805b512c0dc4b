/**
 * `startTestNetwork()`: a whole discovery network on 127.0.0.1 for integration tests — the
 * demo layout of DESIGN §9, or a smaller one, with or without the privacy layer — started
 * by @mimi/demo's `launchNetwork`
 * (the real servers as child processes of their built programs: build first with
 * `npx tsc -b`) in a new temporary directory that `stop()` removes.
 */
import { promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchNetwork, type NetworkPrivacy, type NetworkServer, type ServerProcess } from '@mimi/demo';
import { joinNames } from '@mimi/protocol';
import {
  type AuthoritativeSpec,
  type CsipSpec,
  DEFAULT_AUTHORITATIVES,
  DEFAULT_CSIPS,
  type PrivacySpec,
  REPO_ROOT,
  type TestCsip,
  testLayout,
} from './network-layout.js';
import { TestNetworkError } from './server-process.js';

export interface TestNetworkOptions {
  /** Where keys, certificates, overlays, databases and client.json go; default a new temp dir, removed by stop(). */
  readonly dir?: string;
  readonly authoritatives?: readonly AuthoritativeSpec[];
  readonly csips?: readonly CsipSpec[];
  /** More arguments for the root. */
  readonly rootArgs?: readonly string[];
  /**
   * Run the privacy layer too (relay, issuer, every server an ODoH target, the DPs with
   * `--require-token`); @mimi/demo's `DEMO_PRIVACY` is the demo's. Default: none.
   */
  readonly privacy?: PrivacySpec;
}

/** One server of a test network: its endpoints, key directory and process. */
export type TestServer = NetworkServer;

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
  /** The relay, the issuer and the user's API key; null without `privacy`. */
  readonly privacy: NetworkPrivacy | null;
  /** Every process: the servers, then the relay and the issuer. */
  readonly processes: readonly ServerProcess[];
  /** The authoritative DP named `name`. */
  authoritative(name: string): TestServer;
  /** The Do53 address of each zone (for unbound stub zones). */
  do53Zones(): { zone: string; do53: string }[];
  /** Stop every server (SIGTERM) and remove the directory if startTestNetwork made it. */
  stop(): Promise<void>;
}

export async function startTestNetwork(options: TestNetworkOptions = {}): Promise<TestNetwork> {
  const dir = options.dir ?? (await fs.mkdtemp(join(tmpdir(), 'mimi-network-')));
  // A directory we made is ours to remove; one the caller gave is theirs.
  const cleanUp = () =>
    options.dir === undefined ? fs.rm(dir, { recursive: true, force: true }) : undefined;
  const layout = testLayout(
    options.authoritatives ?? DEFAULT_AUTHORITATIVES,
    options.csips ?? DEFAULT_CSIPS,
    options.rootArgs,
    options.privacy,
  );
  let launched: Awaited<ReturnType<typeof launchNetwork>>;
  try {
    launched = await launchNetwork({ layout, stateDir: dir, repoRoot: REPO_ROOT });
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const { root, paths } = launched;
  const authoritatives = launched.servers.filter((server) => server.role === 'authoritative');
  return {
    dir,
    apex: launched.apex,
    caFile: launched.ca.cert,
    ca: readFileSync(launched.ca.cert, 'utf8'),
    trustAnchor: launched.trustAnchorLines[0]!,
    trustAnchorFile: paths.trustAnchor,
    clientConfigFile: paths.clientJson,
    networkFile: paths.networkJson,
    root,
    rootOverlayFile: paths.overlay(launched.apex),
    csipOverlayFile: paths.overlay(joinNames('csip', launched.apex)),
    authoritatives,
    csips: launched.csips,
    privacy: launched.privacy,
    processes: launched.processes,
    authoritative(name) {
      const found = authoritatives.find((server) => server.name === name);
      if (found === undefined)
        throw new TestNetworkError('no-such-server', `no authoritative dp named '${name}'`);
      return found;
    },
    do53Zones() {
      return launched.servers.flatMap((server) => server.zones.map((zone) => ({ zone, do53: server.do53 })));
    },
    async stop() {
      await launched.stop();
      await cleanUp();
    },
  };
}
