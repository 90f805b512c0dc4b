/**
 * The built `mimi` (resolver-cli/dist/main.js) as a child process, for the end-to-end
 * tests on a running demo network: run as a user would, from a directory holding the
 * demo's `.mimi/client.json`, with a generous timeout for a loaded machine.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const MIMI_MAIN = fileURLToPath(new URL('../../../resolver-cli/dist/main.js', import.meta.url));

/** Generous: a CLI run is well under a second, unless the machine is very busy. */
const CLI_TIMEOUT_MS = 90_000;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function assertBuilt(...scripts: string[]): void {
  for (const script of [MIMI_MAIN, ...scripts]) {
    if (!existsSync(script)) throw new Error(`${script} is missing: run npx tsc -b first`);
  }
}

/** Run `mimi args…` in `cwd`; never rejects for a non-zero exit (the test looks at it). */
export function mimi(args: readonly string[], cwd: string, input = ''): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MIMI_CONFIG;
  delete env.FORCE_COLOR;
  env.NO_COLOR = '1';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MIMI_MAIN, ...args], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mimi ${args.join(' ')} did not finish in ${CLI_TIMEOUT_MS} ms`));
    }, CLI_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** `mimi resolve … --json`: the parsed NDJSON lines. */
export async function resolveJson(csis: readonly string[], cwd: string, extra: readonly string[] = []) {
  const run = await mimi(['resolve', ...csis, '--json', ...extra], cwd);
  if (run.code !== 0) throw new Error(`mimi resolve exited ${run.code}: ${run.stderr}`);
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResolveJson);
}

export interface ResolveJson {
  readonly csi: string;
  readonly status: string;
  readonly mappings: readonly {
    readonly id: string;
    readonly serial: number;
    readonly recipientKey: string;
    readonly csip: string;
    readonly epoch: number;
    readonly expires: string;
    readonly policy: { readonly sameMspOnly?: boolean };
    readonly msps: readonly {
      readonly msp: string;
      readonly pri: number;
      readonly tags: readonly string[];
    }[];
  }[];
  readonly warnings: readonly string[];
  readonly reason: string | null;
  readonly selected?: { readonly msp: string; readonly pri: number; readonly mappingId: string } | null;
}
