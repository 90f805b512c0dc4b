/**
 * The demo's servers run as child processes of the real programs (`mimi-root`,
 * `mimi-authoritative`), each with its log in the state directory. Ready means its
 * DoH listener answers `/healthz` over TLS checked against its host name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { DemoError } from './errors.js';

export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export function spawnServer(name: string, script: string, args: readonly string[], logFile: string): ServerProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

/** Wait until `https://127.0.0.1:port/healthz` answers 200 with a certificate for `host`. */
export async function waitUntilReady(
  server: ServerProcess,
  port: number,
  host: string,
  caFile: string,
  logFile: string,
): Promise<void> {
  const agent = new Agent({ connect: { ca: readFileSync(caFile), servername: host.replace(/\.$/, '') } });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (server.child.exitCode !== null) {
        throw new DemoError('server-exited', `${server.name} exited with code ${server.child.exitCode}; see ${logFile}`);
      }
      try {
        const response = await request(`https://127.0.0.1:${port}/healthz`, { dispatcher: agent });
        await response.body.dump();
        if (response.statusCode === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new DemoError('server-not-ready', `${server.name} did not become ready; see ${logFile}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await agent.close();
  }
}
