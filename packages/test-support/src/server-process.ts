/**
 * A server program (mimi-root, mimi-authoritative, later the relay and the issuer) run
 * as a child process for integration tests: its pino JSON log lines are collected from
 * stdout, `started()` waits for the `listening` line (which names the ports chosen with
 * port 0), and `stop()` sends SIGTERM and waits for the exit. A child still running
 * when the test process exits is killed, so no test leaves servers behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MimiError } from '@mimi/errors';

/** A failure of the test network helpers (a server that would not start, a timeout). */
export class TestNetworkError extends MimiError {}

/** One pino line, parsed. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/** What a server's `listening` line says (server-core). */
export interface ListeningLine {
  /** `https://HOST:PORT/dns-query` */
  readonly doh: string;
  /** `HOST:PORT`, or null without --do53. */
  readonly do53: string | null;
  readonly zones: readonly string[];
}

const STOP_GRACE_MS = 8000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export class ServerProcess {
  readonly lines: LogLine[] = [];
  private stderrText = '';
  private waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    /** The script and arguments it was started with (to start it again). */
    readonly script: string,
    readonly args: readonly string[],
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    const reader = createInterface({ input: child.stdout! });
    reader.on('line', (text) => this.onLine(text));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrText += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        this.exitCode = code ?? (signal === null ? null : 128);
        resolve(this.exitCode);
        for (const waiter of this.waiters.splice(0)) waiter.resolve({ msg: '<exited>' });
      });
    });
  }

  /** Run `node <script> ...args` with stdout and stderr piped. */
  static spawn(name: string, script: string, args: readonly string[], cwd?: string): ServerProcess {
    installExitHook();
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    return new ServerProcess(name, script, args, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What the process wrote on stderr so far (start-up errors are one line there). */
  get stderr(): string {
    return this.stderrText;
  }

  /** Resolves with the exit code (null if killed by a signal that gave none). */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /** The first log line (already seen or still to come) that passes `test`. */
  waitForLog(test: (line: LogLine) => boolean, timeoutMs = 20_000, from = 0): Promise<LogLine> {
    const seen = this.lines.slice(from).find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.exitCode !== undefined)
      return Promise.reject(this.failure('exited before the expected log line'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(this.failure(`no expected log line within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry = {
        test: (line: LogLine) => line.msg === '<exited>' || test(line),
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          if (line.msg === '<exited>') reject(this.failure('exited before the expected log line'));
          else resolve(line);
        },
      };
      this.waiters.push(entry);
    });
  }

  /** Wait for the `listening` line. */
  async started(timeoutMs = 20_000): Promise<ListeningLine> {
    const line = await this.waitForLog((candidate) => candidate.msg === 'listening', timeoutMs);
    return line as unknown as ListeningLine;
  }

  /** SIGHUP, then wait for the engine's reload line (server-core logs one either way). */
  async reload(timeoutMs = 20_000): Promise<void> {
    const from = this.lines.length;
    this.child.kill('SIGHUP');
    const line = await this.waitForLog(
      (candidate) =>
        candidate.msg === 'zones reloaded' ||
        candidate.msg === 'zone reload failed; still serving the previous data',
      timeoutMs,
      from,
    );
    if (line.msg !== 'zones reloaded') throw this.failure('zone reload failed');
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM and wait; SIGKILL if it has not exited after a grace period. */
  async stop(): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private onLine(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: '<not json>', text };
    }
    this.lines.push(line);
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.test(line)) waiter.resolve(line);
      else this.waiters.push(waiter);
    }
  }

  private failure(what: string): TestNetworkError {
    const stderr = this.stderrText.trim();
    return new TestNetworkError(
      'server-process',
      `${this.name} (pid ${this.child.pid}): ${what}${stderr === '' ? '' : `; stderr: ${stderr}`}`,
    );
  }
}
