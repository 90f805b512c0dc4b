/**
 * The two privacy programs of a network (DESIGN §2, §7): `mimi-issuer`, which hands the
 * demo user Privacy Pass tokens (RFC 9578 type 2) against its API key, and `mimi-relay`,
 * the oblivious relay (RFC 9230 §4) that forwards only to the network's own servers.
 * Each runs from the checkout's build on a loopback port chosen beforehand (ports.ts),
 * moved to a fresh one when it was taken meanwhile, with a certificate from the network's
 * CA. Their files: the issuer's users file (one user, `demo`, its key made on first start
 * with `generateApiKey` and kept) and the relay's targets file (docs/internals/odoh.md:
 * host name → `address:port`).
 */
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { generateApiKey, writeUsersFile } from 'mimi-issuer';
import { DemoError } from './errors.js';
import type { PrivacySpec } from './layout.js';
import { writeJson } from './network-files.js';
import type { CertificateFiles } from './pki.js';
import { pickPort } from './ports.js';
import { type LogLine, ServerProcess } from './server-process.js';

/** Starts on fresh ports after an EADDRINUSE, at most this many in all (server-launch.ts). */
const LAUNCH_ATTEMPTS = 5;
const LISTENING_TIMEOUT_MS = 60_000;
const LOOPBACK = '127.0.0.1';
/** The one user of a network's issuer (docs/internals/tokens.md users file). */
export const DEMO_USER = 'demo';
/** What mimi-issuer prints on stdout once it listens (issuer main.ts), then its URL. */
const ISSUER_LISTENING = 'mimi-issuer listening on ';

export type PrivacyProgram = 'relay' | 'issuer';

/** The built program, in the checkout at `repoRoot`. */
export function privacyProgramPath(repoRoot: string, program: PrivacyProgram): string {
  return join(repoRoot, 'packages', program, 'dist', 'main.js');
}

export function assertPrivacyBuilt(repoRoot: string): void {
  for (const program of ['relay', 'issuer'] as const) {
    const script = privacyProgramPath(repoRoot, program);
    if (!existsSync(script)) throw new DemoError('not-built', `${script} is missing: run npx tsc -b first`);
  }
}

/** The demo user's API key in `path`, the file made (mode 0600) on first use. */
export async function ensureDemoUser(path: string): Promise<string> {
  if (!existsSync(path)) {
    const apiKey = generateApiKey();
    await writeUsersFile(path, [{ id: DEMO_USER, apiKey }]);
    return apiKey;
  }
  let users: unknown;
  try {
    users = (JSON.parse(await fs.readFile(path, 'utf8')) as { users?: unknown }).users;
  } catch (cause) {
    throw new DemoError('issuer-users', `issuer users file ${path} is not json`, { cause });
  }
  const demo = Array.isArray(users)
    ? (users as { id?: unknown; apiKey?: unknown }[]).find((user) => user?.id === DEMO_USER)
    : undefined;
  if (typeof demo?.apiKey !== 'string') {
    throw new DemoError(
      'issuer-users',
      `issuer users file ${path} has no '${DEMO_USER}' user with an apiKey`,
    );
  }
  return demo.apiKey;
}

/** The relay's targets file: every server's host name (no trailing dot) → its DoH address. */
export async function writeRelayTargets(
  path: string,
  servers: readonly { readonly host: string; readonly doh: string }[],
): Promise<void> {
  const targets: Record<string, string> = {};
  for (const server of servers) targets[server.host.replace(/\.$/, '')] = new URL(server.doh).host;
  await writeJson(path, targets);
}

export interface PrivacyProcess {
  readonly process: ServerProcess;
  /** The relay's `https://127.0.0.1:PORT/proxy`, the issuer's `https://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
}

interface ProgramPlan {
  readonly program: PrivacyProgram;
  readonly repoRoot: string;
  readonly logFile: string;
  readonly args: (port: number) => string[];
  /** The URL the program announces in its ready line, or undefined for any other line. */
  readonly ready: (line: LogLine) => string | undefined;
}

async function launchProgram(plan: ProgramPlan, port: number, taken: Set<number>): Promise<PrivacyProcess> {
  const script = privacyProgramPath(plan.repoRoot, plan.program);
  for (let attempt = 1; ; attempt++) {
    const child = ServerProcess.spawn(plan.program, script, plan.args(port), { logFile: plan.logFile });
    try {
      const line = await child.waitForLog(
        (candidate) => plan.ready(candidate) !== undefined,
        LISTENING_TIMEOUT_MS,
      );
      const url = plan.ready(line)!;
      return { process: child, url, port: Number(new URL(url).port) };
    } catch (err) {
      await child.stop();
      if (!child.addressInUse || attempt >= LAUNCH_ATTEMPTS) throw err;
      port = await pickPort(undefined, false, taken);
    }
  }
}

export interface IssuerPlan {
  readonly repoRoot: string;
  readonly spec: PrivacySpec;
  readonly tls: CertificateFiles;
  readonly stateDir: string;
  readonly usersFile: string;
  readonly logFile: string;
}

export function launchIssuer(plan: IssuerPlan, port: number, taken: Set<number>): Promise<PrivacyProcess> {
  return launchProgram(
    {
      program: 'issuer',
      repoRoot: plan.repoRoot,
      logFile: plan.logFile,
      args: (p) => [
        ...['--listen', `${LOOPBACK}:${p}`, '--tls-cert', plan.tls.cert, '--tls-key', plan.tls.key],
        ...['--state-dir', plan.stateDir, '--users', plan.usersFile],
        ...['--quota', String(plan.spec.quota), '--epoch-seconds', String(plan.spec.epochSeconds)],
        ...(plan.spec.issuerArgs ?? []),
      ],
      ready: (line) => {
        const text = typeof line.text === 'string' ? line.text : '';
        return text.startsWith(ISSUER_LISTENING)
          ? text.slice(ISSUER_LISTENING.length).split(' ')[0]
          : undefined;
      },
    },
    port,
    taken,
  );
}

export interface RelayPlan {
  readonly repoRoot: string;
  readonly spec: PrivacySpec;
  readonly tls: CertificateFiles;
  readonly targetsFile: string;
  /** The CA the targets' certificates are checked against (`--ca`). */
  readonly ca: string;
  readonly logFile: string;
}

export function launchRelay(plan: RelayPlan, port: number, taken: Set<number>): Promise<PrivacyProcess> {
  return launchProgram(
    {
      program: 'relay',
      repoRoot: plan.repoRoot,
      logFile: plan.logFile,
      args: (p) => [
        ...['--listen', `${LOOPBACK}:${p}`, '--tls-cert', plan.tls.cert, '--tls-key', plan.tls.key],
        ...['--targets', plan.targetsFile, '--ca', plan.ca],
        ...(plan.spec.relayArgs ?? []),
      ],
      ready: (line) => (line.event === 'listening' && typeof line.url === 'string' ? line.url : undefined),
    },
    port,
    taken,
  );
}
