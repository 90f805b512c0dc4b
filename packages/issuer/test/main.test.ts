/**
 * The `mimi-issuer` program (DESIGN §8): --help/--version, one-line errors with exit 2
 * for bad usage and unsafe files, a served directory, and a clean stop on SIGTERM.
 * Runs the built dist/main.js (`npm test` builds first).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchDirectory, IssuerHttp } from '@mimi/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTlsFiles, makeUsersFile, type TlsFiles } from './helpers.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let tls: TlsFiles;
let users: string;

beforeAll(async () => {
  tls = makeTlsFiles();
  users = await makeUsersFile(tls.dir);
});

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function flags(overrides: Record<string, string> = {}): string[] {
  const values = {
    '--listen': '127.0.0.1:0',
    '--tls-cert': tls.cert,
    '--tls-key': tls.key,
    '--state-dir': join(mkdtempSync(join(tmpdir(), 'mimi-issuer-main-')), 'state'),
    '--users': users,
    ...overrides,
  };
  return Object.entries(values).flat();
}

describe('mimi-issuer command line', () => {
  it('--help prints usage, exit 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: mimi-issuer --listen HOST:PORT/);
  });

  it('--version prints the version, exit 0', () => {
    expect(run(['--version'])).toMatchObject({ status: 0, stdout: 'mimi-issuer 0.1.0\n' });
  });

  it.each([
    [['--listen', '127.0.0.1:0'], 'mimi-issuer: --tls-cert is required (see --help)\n'],
    [['--frobnicate'], "mimi-issuer: unknown option '--frobnicate' (see --help)\n"],
  ])('%j is one line on stderr, exit 2', (args, line) => {
    expect(run(args)).toMatchObject({ status: 2, stderr: line });
  });

  it('refuses a tls key readable by others (exit 2, names the file and mode)', () => {
    const key = join(tls.dir, 'open-key.pem');
    copyFileSync(tls.key, key);
    chmodSync(key, 0o640);
    const result = run(flags({ '--tls-key': key }));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `mimi-issuer: tls key ${key} is accessible by group or others (mode 0640); run chmod 600 ${key}\n`,
    );
  });

  it('refuses a users file readable by others (exit 2)', () => {
    const open = join(tls.dir, 'open-users.json');
    copyFileSync(users, open);
    chmodSync(open, 0o644);
    const result = run(flags({ '--users': open }));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^mimi-issuer: users file .* \(mode 0644\); run chmod 600 /);
  });
});

describe('a running mimi-issuer', () => {
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    child = spawn(process.execPath, [MAIN, ...flags({ '--quota': '3', '--epoch-seconds': '60' })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /listening on (https:\/\/127\.0\.0\.1:\d+) /.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`issuer exited with ${code}`)));
    });
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves its directory with one key and a max-age within the 60 s epoch', async () => {
    const http = new IssuerHttp({ ca: readFileSync(tls.cert, 'utf8') });
    try {
      const fetched = await fetchDirectory(http, url, Date.now());
      expect(fetched.directory.keys).toHaveLength(1);
      expect(fetched.directory.issuerRequestUri).toBe(`${url}/token-request`);
      const maxAge = (fetched.freshUntilMs - fetched.fetchedAtMs) / 1000;
      expect(maxAge).toBeGreaterThanOrEqual(1);
      expect(maxAge).toBeLessThanOrEqual(60);
    } finally {
      await http.close();
    }
  });

  it('stops cleanly on SIGTERM (exit 0)', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
