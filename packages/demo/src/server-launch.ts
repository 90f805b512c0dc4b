/**
 * Start one server of a network (DESIGN §8 command lines): `mimi-root` or
 * `mimi-authoritative` from the checkout's build, its zone files followed by its overlays,
 * its key directory, TLS files and loopback listeners (DoH always, Do53 too: DESIGN §9
 * "every server also listens for Do53 on a loopback port"), with the privacy layer its ODoH
 * key ring and, for an authoritative DP, the token flags (DESIGN §7), then the layout's
 * extra flags.
 * The ports are chosen beforehand (ports.ts); when one was taken meanwhile the server
 * exits with EADDRINUSE and starts again on fresh ones. Its `listening` line says what it
 * really bound.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DemoError } from './errors.js';
import type { ServerRole, ServerSpec } from './layout.js';
import type { CertificateFiles } from './pki.js';
import { pickPort, type ServerPorts } from './ports.js';
import { type ListeningLine, ServerProcess } from './server-process.js';

/** Starts on fresh ports after an EADDRINUSE, at most this many in all. */
const LAUNCH_ATTEMPTS = 5;
const LISTENING_TIMEOUT_MS = 60_000;
const LOOPBACK = '127.0.0.1';

export type { ServerPorts } from './ports.js';

export interface LaunchPlan {
  readonly spec: ServerSpec;
  readonly repoRoot: string;
  /** Overlay files of the zones it serves, after its static zone files. */
  readonly overlays: readonly string[];
  readonly keyDir: string;
  readonly tls: CertificateFiles;
  /** Authoritative DPs: the mapping store and the stub's configuration (for CSIP keys). */
  readonly database?: string;
  readonly resolverConfig?: string;
  /** `--odoh-keys`: be an Oblivious DoH target with this key ring (RFC 9230). */
  readonly odohKeys?: string;
  /** `--require-token --token-issuer URL --token-ca FILE` (DESIGN §7). */
  readonly tokens?: { readonly issuer: string; readonly ca: string };
  readonly logFile: string;
}

export interface LaunchedServer {
  readonly process: ServerProcess;
  readonly listening: ListeningLine;
  readonly ports: ServerPorts;
}

/** The built program of a role, in the checkout at `repoRoot`. */
export function programPath(repoRoot: string, role: ServerRole): string {
  return join(repoRoot, role === 'root' ? 'root-dp' : 'authoritative-dp', 'dist', 'main.js');
}

export function assertBuilt(repoRoot: string, roles: Iterable<ServerRole>): void {
  for (const role of new Set(roles)) {
    const script = programPath(repoRoot, role);
    if (!existsSync(script)) throw new DemoError('not-built', `${script} is missing: run npx tsc -b first`);
  }
}

/** The command line of `plan` listening on `ports` (what `ServerProcess.args` records). */
export function serverArgs(plan: LaunchPlan, ports: ServerPorts): string[] {
  const args = [
    '--zone',
    ...plan.spec.zones.map((zone) => resolve(plan.repoRoot, zone.file)),
    ...plan.overlays,
    '--key-dir',
    plan.keyDir,
    '--listen',
    `${LOOPBACK}:${ports.doh}`,
    '--tls-cert',
    plan.tls.cert,
    '--tls-key',
    plan.tls.key,
    '--do53',
    `${LOOPBACK}:${ports.do53}`,
  ];
  if (plan.database !== undefined) args.push('--db', plan.database);
  if (plan.resolverConfig !== undefined) args.push('--resolver-config', plan.resolverConfig);
  if (plan.odohKeys !== undefined) args.push('--odoh-keys', plan.odohKeys);
  if (plan.tokens !== undefined) {
    args.push('--require-token', '--token-issuer', plan.tokens.issuer, '--token-ca', plan.tokens.ca);
  }
  return [...args, ...(plan.spec.args ?? [])];
}

function portsOf(listening: ListeningLine): ServerPorts {
  const do53 =
    listening.do53 === null ? Number.NaN : Number(listening.do53.slice(listening.do53.lastIndexOf(':') + 1));
  return { doh: Number(new URL(listening.doh).port), do53 };
}

/** Start `plan` on `ports` and wait until it listens; `taken` holds the network's ports. */
export async function launchServer(
  plan: LaunchPlan,
  ports: ServerPorts,
  taken: Set<number>,
): Promise<LaunchedServer> {
  const script = programPath(plan.repoRoot, plan.spec.role);
  for (let attempt = 1; ; attempt++) {
    const child = ServerProcess.spawn(plan.spec.name, script, serverArgs(plan, ports), {
      logFile: plan.logFile,
    });
    try {
      const listening = await child.started(LISTENING_TIMEOUT_MS);
      return { process: child, listening, ports: portsOf(listening) };
    } catch (err) {
      await child.stop();
      if (!child.addressInUse || attempt >= LAUNCH_ATTEMPTS) throw err;
      // Someone took a port between our check and the server's bind: fresh ones.
      ports = { doh: await pickPort(undefined, false, taken), do53: await pickPort(undefined, true, taken) };
    }
  }
}
