/**
 * The shared server main: --help/--version, one-line errors with DESIGN §8 exit codes, a
 * clean start, and the privacy flags every server takes (--odoh-keys, --require-token).
 */
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { EdnsOptionCode, parseExtendedError, RRType, tokenOption } from '@mimi/protocol';
import { networkChallenge, TOKEN_LENGTH } from '@mimi/tokens';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerConfigError, UsageError } from '../src/errors.js';
import { exitCodeFor, runServerMain } from '../src/main.js';
import { h2request, h2session, udpQuery } from './clients.js';
import { decode, makeQuery } from './dns-messages.js';
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

describe('runServerMain with the privacy flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-main-privacy-'));
  const lines = (stdout: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const withLogs = (extra: string[]) => args(extra).map((arg) => (arg === 'silent' ? 'info' : arg));

  it('--odoh-keys creates the key ring (0600), logs its configs before listening, serves them', async () => {
    const file = join(dir, 'odoh.json');
    const result = await main(withLogs(['--odoh-keys', file]));
    expect(result.exits).toEqual([]);
    const server = result.server!;
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const logged = lines(result.stdout);
      const configsAt = logged.findIndex((line) => line.msg === 'odoh configs');
      expect(configsAt).toBeGreaterThanOrEqual(0);
      expect(configsAt).toBeLessThan(logged.findIndex((line) => line.msg === 'listening'));
      const session = await h2session(server.addresses.doh.port, certificate.cert);
      const served = await h2request(session, { path: '/.well-known/odohconfigs' });
      session.close();
      expect(served.body.toString('base64url')).toBe(logged[configsAt]!.configs);
      expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('refuses a group-readable --odoh-keys file with exit 2 and one line naming it', async () => {
    const file = join(dir, 'loose.json');
    await (await main(args(['--odoh-keys', file]))).server!.close();
    chmodSync(file, 0o640);
    const result = await main(args(['--odoh-keys', file]));
    expect(result.exits).toEqual([2]);
    expect(result.stderr).toBe(
      `mimi-test: odoh key file ${file} is accessible by group or others (mode 0640); run chmod 600 ${file}\n`,
    );
  });

  it('refuses an unreadable --token-ca with exit 2', async () => {
    const missing = join(dir, 'no-ca.pem');
    const result = await main(
      args(['--require-token', '--token-issuer', 'https://127.0.0.1:1', '--token-ca', missing]),
    );
    expect(result.exits).toEqual([2]);
    expect(result.stderr).toBe(`mimi-test: cannot read token ca file ${missing}\n`);
  });

  it('starts with an unreachable issuer: logs it, refuses CSI lookups, answers the rest', async () => {
    const result = await main(withLogs(['--require-token', '--token-issuer', 'https://127.0.0.1:1']));
    expect(result.exits).toEqual([]);
    const server = result.server!;
    try {
      expect(lines(result.stdout).map((line) => line.msg)).toContain(
        'token issuer directory unavailable; token-bearing queries are refused until it loads',
      );
      const session = await h2session(server.addresses.doh.port, certificate.cert);
      // A well-formed token for this issuer's challenge, under a key nobody knows yet.
      const token = new Uint8Array(TOKEN_LENGTH);
      token.set([0x00, 0x02], 0);
      token.set(networkChallenge('127.0.0.1:1').digest, 34);
      const ask = async (name: string) => {
        const query = makeQuery({ name, type: RRType.A, edns: { options: [tokenOption(token)] } });
        const answer = await h2request(session, { path: `/dns-query?dns=${query.toString('base64url')}` });
        return decode(answer.body);
      };
      const refused = await ask('1.e164.mimi.arpa.');
      const apex = await ask('mimi.arpa.');
      session.close();
      expect(refused.flags.rcode).toBe(5);
      const ede = refused.edns!.options.find((option) => option.code === EdnsOptionCode.EXTENDED_ERROR)!;
      expect(parseExtendedError(ede)).toEqual({
        infoCode: 18,
        extraText: 'token-unknown-key: directory of issuer 127.0.0.1:1 not loaded yet',
      });
      expect(apex.flags.rcode).toBe(0);
    } finally {
      await server.close();
    }
  });
});
