/**
 * External tools the interop tests drive (unbound, dig, kdig, ldns, knot). On a laptop
 * a missing tool skips its tests with a loud message; under CI=true it fails them,
 * because a suite that silently skips its interop checks proves nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const SEARCH_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

/** Absolute path of an executable on PATH or in the sbin directories, or undefined. */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SEARCH_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface ToolCheck {
  /** Paths of the tools, when all were found. */
  readonly paths: Readonly<Record<string, string>>;
  /** Undefined when every tool is present; else a message to skip with. */
  readonly skipReason: string | undefined;
}

/**
 * Look up tools for a test file. Under CI=true a missing tool throws at once (the file
 * fails); elsewhere the caller skips with `skipReason`, printed loudly here.
 */
export function requireTools(...names: string[]): ToolCheck {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const path = findTool(name);
    if (path) paths[name] = path;
    else missing.push(name);
  }
  if (missing.length === 0) return { paths, skipReason: undefined };
  const message = `interop tools missing: ${missing.join(', ')} (install the Debian packages listed in .ci/run)`;
  if (process.env.CI === 'true') throw new Error(`${message} — required under CI`);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
  return { paths, skipReason: message };
}

/** Run a tool synchronously with a time limit; returns status and output. */
export function runTool(
  path: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number; cwd?: string } = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(path, args, {
    input: options.input,
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
