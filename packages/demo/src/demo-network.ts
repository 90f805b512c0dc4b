/**
 * `startNetwork`: the demo network of DESIGN §9 — the shared launcher (network.ts) with
 * the demo's layout (demo-layout.ts, privacy on: relay, issuer, ODoH, tokens) and state
 * directory (`.mimi/` for `npm start`), then the seed mappings published through the
 * management API (seed.ts; the API is not token-gated). Tests start the same
 * network in a temporary directory.
 */
import { csiOwnerName, isSubdomain, normalizeCsi } from '@mimi/protocol';
import { DEMO_LAYOUT } from './demo-layout.js';
import { DemoError } from './errors.js';
import type { NetworkLayout } from './layout.js';
import { launchNetwork, type NetworkPrivacy, type NetworkServer } from './network.js';
import type { NetworkFile } from './network-files.js';
import { publishSeeds } from './seed.js';
import type { ServerProcess } from './server-process.js';
import type { DemoPaths } from './state.js';

export interface NetworkOptions {
  /** State directory (`.mimi/` for `npm start`). */
  readonly stateDir: string;
  /** The repository checkout: zones/, root-dp/dist, authoritative-dp/dist. */
  readonly repoRoot: string;
  /** Publish the seed mappings (default true). */
  readonly seed?: boolean;
  /**
   * The demo layout with changes (tests: extra server flags such as `--log-level debug`);
   * its DPs must still serve the seeds. Default DEMO_LAYOUT.
   */
  readonly layout?: NetworkLayout;
  /** Lines for a person about what happens later (an ODoH key republished). */
  readonly report?: (message: string) => void;
}

export interface RunningNetwork {
  /** What network.json holds. */
  readonly network: NetworkFile;
  readonly paths: DemoPaths;
  readonly trustAnchorLines: readonly string[];
  /** Every process, named after its server (`root`, `tel`, `mail`), then `relay`, `issuer`. */
  readonly processes: readonly ServerProcess[];
  readonly servers: readonly NetworkServer[];
  /** The relay, the issuer and the demo user's API key. */
  readonly privacy: NetworkPrivacy | null;
  stop(): Promise<void>;
}

export async function startNetwork(options: NetworkOptions): Promise<RunningNetwork> {
  const launched = await launchNetwork({
    layout: options.layout ?? DEMO_LAYOUT,
    stateDir: options.stateDir,
    repoRoot: options.repoRoot,
    ...(options.report === undefined ? {} : { report: options.report }),
  });
  try {
    if (options.seed ?? true) {
      await publishSeeds(launched.paths, launched.ca.cert, (csi) => {
        const owner = csiOwnerName(normalizeCsi(csi), launched.apex);
        // The demo's DP zones do not nest: the one enclosing the owner name serves it.
        const server = launched.servers.find(
          (s) => s.role === 'authoritative' && s.zones.some((zone) => isSubdomain(owner, zone)),
        );
        if (server === undefined) throw new DemoError('no-dp', `no demo dp serves ${csi}`);
        return { apiBase: server.api, host: server.host };
      });
    }
  } catch (err) {
    await launched.stop();
    throw err;
  }
  return {
    network: launched.network,
    paths: launched.paths,
    trustAnchorLines: launched.trustAnchorLines,
    processes: launched.processes,
    servers: launched.servers,
    privacy: launched.privacy,
    stop: launched.stop,
  };
}
