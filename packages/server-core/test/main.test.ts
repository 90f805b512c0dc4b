/** The shared server main: --help/--version, one-line errors with DESIGN §8 exit codes, a clean start. */
import { chmodSync, copyFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerConfigError, UsageError } from '../src/errors.js';
import { exitCodeFor, runServerMain } from '../src/main.js';
import { udpQuery } from './clients.js';
import { makeQuery } from './dns-messages.js';
import { FakeEngine } from './fake-engine.js';
import { makeTestCertificate } from './tls-fixture.js';

const certificate = makeTestCertificate();
afterAll(() => certificate.remove());

const SPEC = { name: 'mimi-test', version: '9.9.9', summary: 'test server' };

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk, _encoding, callback) {
        text += chunk.toString();
        callback();
      },
    }),
    text: () => text,
  };
}

async function main(argv: string[]) {
  const stdout = sink();
  const stderr = sink();
  const exits: number[] = [];
  let engine: FakeEngine | null = null;
  const server = await runServerMain(
    SPEC,
    async () => {
      engine = new FakeEngine();
      return { engine };
    },
    {
      argv,
      stdout: stdout.stream,
      stderr: stderr.stream,
      exit: (code) => exits.push(code),
      installSignals: false,
    },
  );
  return { server, stdout: stdout.text(), stderr: stderr.text(), exits, engine };
}

const args = (extra: string[] = [], key = certificate.keyFile) => [
  '--zone',
  'root.zone',
  '--key-dir',
  'keys',
  '--listen',
  '127.0.0.1:0',
  '--tls-cert',
  certificate.certFile,
  '--tls-key',
  key,
  '--log-level',
  'silent',
  ...extra,
];

describe('runServerMain', () => {
  it('prints --help and --version on stdout and starts nothing', async () => {
    const help = await main(['--help']);
    expect(help.server).toBeNull();
    expect(help.stdout).toMatch(/^mimi-test 9\.9\.9: test server\n\nusage: mimi-test/);
    expect((await main(['--version'])).stdout).toBe('mimi-test 9.9.9\n');
  });

  it('reports a bad flag as one line and exit 2', async () => {
    const result = await main(['--frobnicate']);
    expect(result.exits).toEqual([2]);
    expect(result.stderr).toMatch(/^mimi-test: unknown option '--frobnicate'[^\n]*\n$/i);
  });

  it('refuses a group-readable TLS key with exit 2', async () => {
    const loose = `${certificate.dir}/loose.key.pem`;
    copyFileSync(certificate.keyFile, loose);
    chmodSync(loose, 0o640);
    const result = await main(args([], loose));
    expect(result.exits).toEqual([2]);
    expect(result.stderr).toContain('is accessible by group or others');
  });

  it('starts DoH and Do53 and serves queries', async () => {
    const result = await main(args(['--do53', '127.0.0.1:0']));
    expect(result.exits).toEqual([]);
    const server = result.server!;
    const response = await udpQuery(
      server.addresses.do53udp!.port,
      makeQuery({ name: 'x.example.', type: 1 }),
    );
    expect(response).not.toBeNull();
    await server.close();
  });

  it('maps errors to exit codes: usage and configuration 2, anything else 3', () => {
    expect(exitCodeFor(new UsageError('x', 'x'))).toBe(2);
    expect(exitCodeFor(new ServerConfigError('x', 'x'))).toBe(2);
    expect(exitCodeFor(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }))).toBe(3);
  });
});
