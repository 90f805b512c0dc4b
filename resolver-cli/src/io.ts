/**
 * Everything the CLI touches outside its arguments, injectable so that commands run
 * in-process in tests: the three standard streams, the environment, the working
 * directory and the clock (DESIGN §8; STYLE "unit tests use an injected fixed clock").
 */
import { resolve as resolvePath } from 'node:path';

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line are taken from here. */
  readonly cwd: string;
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The process's own streams, environment, directory and clock. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    now: Date.now,
  };
}

/** A path given on the command line, made absolute against the CLI's working directory. */
export function pathFrom(io: CliIo, path: string): string {
  return resolvePath(io.cwd, path);
}

/** Unix seconds of the CLI clock. */
export function nowSeconds(io: CliIo): number {
  return Math.floor(io.now() / 1000);
}

/** All of standard input as UTF-8 text. */
export async function readAll(input: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
