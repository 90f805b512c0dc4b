/**
 * Shared set-up of the relay loopback tests: a throwaway PKI (openssl), a test ODoH
 * target, relays started in-process whose log lines are collected, and a client that
 * POSTs through them with undici over HTTP/2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { encryptQuery } from '@mimi/odoh';
import { createLogger } from '@mimi/server-core';
import { Agent, request } from 'undici';
import { type RelayOptions, type RunningRelay, startRelay } from '../../src/server.js';
import { parseTargets } from '../../src/targets.js';
import { loadTlsMaterial } from '../../src/tls-files.js';
import { FAULT_PATHS, startTarget, type TestTarget } from './odoh-target.js';
import { makePki, type Pki } from './pki.js';

export const ODOH = 'application/oblivious-dns-message';
export const TARGET = 'target.test';
/** Target names the tests use; none may share a log line with a client address. */
export const TARGET_HOSTS = [TARGET, 'other.test', 'down.test', 'example.com'];
export const CLIENT_ADDRESSES = ['127.0.0.1', '::ffff:127.0.0.1', '::1'];
export const dnsQuery = Uint8Array.from(
  Buffer.from('beef0100000100000000000003777777076578616d706c6503636f6d0000010001', 'hex'),
);

export interface Post {
  host?: string;
  path?: string;
  query?: string;
  contentType?: string | null;
  body?: Uint8Array | Readable;
  headers?: Record<string, string>;
}

export interface RelayFixture {
  readonly target: TestTarget;
  /** The throwaway CA and certificates (relay.test, target.test). */
  readonly pki: Pki;
  readonly agent: Agent;
  /** Every log line of every relay started here. */
  readonly lines: string[];
  relayWith(overrides?: Partial<RelayOptions>): Promise<RunningRelay>;
  post(
    relay: RunningRelay,
    options?: Post,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>;
  close(): Promise<void>;
}

export async function createRelayFixture(): Promise<RelayFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-test-'));
  const pki: Pki = makePki(dir, ['relay.test', TARGET]);
  const target = await startTarget(pki.hosts[TARGET]!.certFile, pki.hosts[TARGET]!.keyFile);
  const agent = new Agent({ allowH2: true, connect: { ca: pki.ca } });
  const lines: string[] = [];
  const relays: RunningRelay[] = [];

  async function relayWith(overrides: Partial<RelayOptions> = {}): Promise<RunningRelay> {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const relay = await startRelay({
      host: '127.0.0.1',
      port: 0,
      tls: await loadTlsMaterial(pki.hosts['relay.test']!.certFile, pki.hosts['relay.test']!.keyFile),
      targets: parseTargets(
        JSON.stringify({
          [TARGET]: {
            address: `127.0.0.1:${target.port}`,
            paths: ['/dns-query', '/redirect', '/huge', '/slow', ...FAULT_PATHS],
          },
          // Listed, but its certificate is target.test's: TLS must refuse it.
          'other.test': `127.0.0.1:${target.port}`,
          // Listed, but nothing listens there.
          'down.test': '127.0.0.1:1',
        }),
        'inline',
      ),
      ca: pki.ca,
      maxBodyBytes: 1024,
      ratePerSecond: 0,
      burst: 1,
      maxClients: 100,
      maxInFlight: 64,
      upstreamTimeoutMs: 3000,
      logger: createLogger({ level: 'info', name: 'mimi-relay', destination: sink }),
      ...overrides,
    });
    relays.push(relay);
    return relay;
  }

  async function post(relay: RunningRelay, options: Post = {}) {
    const query =
      options.query ??
      `targethost=${encodeURIComponent(options.host ?? TARGET)}&targetpath=${encodeURIComponent(options.path ?? '/dns-query')}`;
    const headers: Record<string, string> = { accept: ODOH, ...options.headers };
    if (options.contentType !== null) headers['content-type'] = options.contentType ?? ODOH;
    const response = await request(`${relay.url}?${query}`, {
      method: 'POST',
      dispatcher: agent,
      headers,
      body: options.body ?? encryptQuery(target.key.config, dnsQuery).request,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    return { status: response.statusCode, headers: response.headers, body };
  }

  return {
    target,
    pki,
    agent,
    lines,
    relayWith,
    post,
    async close() {
      for (const relay of relays) await relay.close();
      await agent.close();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lines that name a target host and a client address at once (there must be none). */
export function linesJoiningClientAndTarget(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    if ((JSON.parse(line) as { event?: string }).event === 'listening') return false; // the relay's own address
    return TARGET_HOSTS.some((host) => line.includes(host)) && CLIENT_ADDRESSES.some((a) => line.includes(a));
  });
}
