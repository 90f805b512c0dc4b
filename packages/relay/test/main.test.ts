/**
 * `mimi-relay` as a process (the built dist/main.js; `npm test` builds first): --help
 * and --version, bad usage and a group-readable key as one line and exit 2, and SIGTERM
 * draining to exit 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from './support/pki.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let dir: string;
let pki: Pki;
let targetsFile: string;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], onStdout?: (text: string, child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relay-main-'));
  pki = makePki(dir, ['relay.test']);
  targetsFile = join(dir, 'targets.json');
  writeFileSync(targetsFile, JSON.stringify({ 'dp.test': '127.0.0.1:9' }));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function flags(keyFile = pki.hosts['relay.test']!.keyFile): string[] {
  return [
    '--listen',
    '127.0.0.1:0',
    '--tls-cert',
    pki.hosts['relay.test']!.certFile,
    '--tls-key',
    keyFile,
    '--targets',
    targetsFile,
  ];
}

describe('mimi-relay', () => {
  it('--help prints the usage and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: mimi-relay --listen HOST:PORT/);
  });

  it('--version prints the version and exits 0', async () => {
    const result = await run(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: 'mimi-relay 0.1.0\n' });
  });

  it('bad usage: one line on stderr, exit 2', async () => {
    const result = await run(['--listen', 'nowhere']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('mimi-relay: --listen nowhere is not HOST:PORT (see --help)\n');
  });

  it('a tls key readable by others: refused, exit 2', async () => {
    const loose = join(dir, 'loose.key');
    copyFileSync(pki.hosts['relay.test']!.keyFile, loose);
    chmodSync(loose, 0o640);
    const result = await run(flags(loose));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `mimi-relay: tls key ${loose} is accessible by group or others (mode 0640); run chmod 600 ${loose}\n`,
    );
  });

  it('a missing targets file: refused, exit 2', async () => {
    const args = flags();
    args[args.length - 1] = join(dir, 'absent.json');
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`mimi-relay: cannot read targets file ${join(dir, 'absent.json')}\n`);
  });

  it('logs where it listens, and drains and exits 0 on SIGTERM', async () => {
    let signalled = false;
    const result = await run(flags(), (stdout, child) => {
      if (!signalled && stdout.includes('"event":"listening"')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual(['listening', 'signal', 'stopped']);
  });
});
