/**
 * A CliIo in memory for in-process runs of `mimi`: captured stdout/stderr with chosen
 * TTY flags, a fixed clock, a chosen environment and working directory, stdin from text.
 */
import type { CliIo, OutputStream } from '../../src/io.js';

/** 2026-01-01T00:00:00Z: the tests' fixed "now" (ms). */
export const FIXED_NOW_MS = 1_767_225_600_000;
export const FIXED_NOW = FIXED_NOW_MS / 1000;

export class Captured implements OutputStream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface MemoryIo extends CliIo {
  readonly stdout: Captured;
  readonly stderr: Captured;
}

export interface MemoryIoOptions {
  readonly cwd: string;
  readonly env?: Record<string, string | undefined>;
  readonly stdin?: string;
  readonly stdoutTty?: boolean;
  readonly stderrTty?: boolean;
  readonly nowMs?: number;
}

export function memoryIo(options: MemoryIoOptions): MemoryIo {
  const stdinText = options.stdin ?? '';
  return {
    stdout: new Captured(options.stdoutTty ?? false),
    stderr: new Captured(options.stderrTty ?? false),
    stdin: (async function* () {
      if (stdinText !== '') yield Buffer.from(stdinText, 'utf8');
    })(),
    env: options.env ?? {},
    cwd: options.cwd,
    now: () => options.nowMs ?? FIXED_NOW_MS,
  };
}
