/**
 * Runs the built `mimi` (resolver-cli/dist/main.js, built by `npx tsc -b resolver-cli` or
 * `npm test`) as a child process, as a user would; and under a pseudo-terminal via
 * util-linux `script` for the TTY rules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.NO_COLOR;
  delete base.MIMI_CONFIG;
  delete base.FORCE_COLOR;
  return { ...base, ...env };
}

export function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npx tsc -b resolver-cli first`);
}

export function mimi(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined>; input?: string },
): CliRun {
  const child = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env ?? {}),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** True when util-linux `script` can give a child a terminal here. */
export function hasScript(): boolean {
  return spawnSync('script', ['-qec', 'true', '/dev/null'], { encoding: 'utf8' }).status === 0;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `mimi` with stdout and stderr on a pseudo-terminal; both arrive merged in `stdout`. */
export function mimiOnTty(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): CliRun {
  const command = [process.execPath, MAIN, ...args].map(shellQuote).join(' ');
  const child = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: options.cwd,
    env: childEnv(options.env ?? {}),
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}
