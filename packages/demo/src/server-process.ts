/**
 * A server program (`mimi-root`, `mimi-authoritative`, `mimi-relay`, `mimi-issuer`) run
 * as a child process: its pino JSON log lines (one per event, never per query below
 * `debug`: server-core logger.ts) are parsed from stdout and kept (a line that is not JSON
 * as `{msg: '<not json>', text}`), offered to `onLog` listeners, and copied with stderr
 * to a log file when one is given; `started()` waits for the `listening` line, which
 * names the addresses the server really bound; `reload()` sends SIGHUP and waits for the
 * reload line; `stop()` sends SIGTERM and waits. A child still running when this process exits is killed, so
 * nothing is left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DemoError } from './errors.js';
import { shebangNodeFlags } from './node-flags.js';

/** One pino line, parsed. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/** What a server's `listening` line says (server-core server.ts). */
export interface ListeningLine {
  /** `https://HOST:PORT/dns-query` */
  readonly doh: string;
  /** `HOST:PORT`, or null without --do53. */
  readonly do53: string | null;
  readonly zones: readonly string[];
}

export interface SpawnOptions {
  readonly cwd?: string;
  /** Append stdout and stderr here too (the demo's `logs/<server>.log`). */
  readonly logFile?: string;
}

/** SIGKILL after this long without an exit after SIGTERM (server-core drains for less). */
const STOP_GRACE_MS = 10_000;
const DEFAULT_WAIT_MS = 30_000;
const EXITED = '<exited>';
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
  private readonly listeners = new Set<(line: LogLine) => void>();
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    /** A short name for messages (the demo's server name: `root`, `tel`, `mail`). */
    readonly name: string,
    /** The script and arguments it was started with (to start it again). */
    readonly script: string,
    readonly args: readonly string[],
    readonly child: ChildProcess,
    log: WriteStream | undefined,
  ) {
    running.add(child);
    if (log !== undefined) {
      child.stdout!.pipe(log, { end: false });
      child.stderr!.pipe(log, { end: false });
    }
    createInterface({ input: child.stdout! }).on('line', (text) => this.onLine(text));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrText += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': by then stdout and stderr are read to the end.
      child.once('close', (code, signal) => {
        running.delete(child);
        log?.end();
        this.exitCode = code ?? (signal === null ? null : 128);
        resolve(this.exitCode);
        for (const waiter of this.waiters.splice(0)) waiter.resolve({ msg: EXITED });
      });
    });
  }

  /** Run `node <script> ...args` with stdout and stderr piped. */
  static spawn(
    name: string,
    script: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ): ServerProcess {
    installExitHook();
    const child = spawn(process.execPath, [...shebangNodeFlags(script), script, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const log =
      options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
    return new ServerProcess(name, script, args, child, log);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What the process wrote on stderr so far (start-up errors are one line there). */
  get stderr(): string {
    return this.stderrText;
  }

  /** True once it has exited because an address it was to listen on was taken. */
  get addressInUse(): boolean {
    return this.exitCode !== undefined && this.stderrText.includes('EADDRINUSE');
  }

  /** Resolves with the exit code (null if killed by a signal that gave none). */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /** The first log line (already seen or still to come, from index `from`) that passes `test`. */
  waitForLog(test: (line: LogLine) => boolean, timeoutMs = DEFAULT_WAIT_MS, from = 0): Promise<LogLine> {
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
        test: (line: LogLine) => line.msg === EXITED || test(line),
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          if (line.msg === EXITED) reject(this.failure('exited before the expected log line'));
          else resolve(line);
        },
      };
      this.waiters.push(entry);
    });
  }

  /** Call `listener` with every log line from now on; returns the function that stops it. */
  onLog(listener: (line: LogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Wait for the `listening` line. */
  async started(timeoutMs = DEFAULT_WAIT_MS): Promise<ListeningLine> {
    const line = await this.waitForLog((candidate) => candidate.msg === 'listening', timeoutMs);
    return line as unknown as ListeningLine;
  }

  /** SIGHUP, then wait for the engine's reload line (server-core logs one either way). */
  async reload(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
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

  /** SIGTERM and wait; SIGKILL if it has not exited after a grace period. Safe to call twice. */
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
    for (const listener of this.listeners) listener(line);
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.test(line)) waiter.resolve(line);
      else this.waiters.push(waiter);
    }
  }

  private failure(what: string): DemoError {
    const stderr = this.stderrText.trim();
    return new DemoError(
      'server-process',
      `${this.name} (pid ${this.child.pid}): ${what}${stderr === '' ? '' : `; stderr: ${stderr}`}`,
    );
  }
}
