/**
 * The relay's one repeat of a request whose upstream connection was lost before any
 * response byte (upstream-retry.ts, RFC 9113 §6.8 / §8.7): which failures qualify, both
 * ways; on loopback, that a GOAWAY, a refused stream or a reset connection costs the
 * client nothing, that the repeat happens once and only once, never after response
 * bytes, never for a target that is down; the retry counter; and the log lines, which
 * name the target and never the client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryReason } from '../src/upstream-retry.js';
import {
  createRelayFixture,
  linesJoiningClientAndTarget,
  type RelayFixture,
  TARGET,
} from './support/relay-fixture.js';

describe('retryReason: which failures are repeated', () => {
  it.each([
    ['undici SocketError (GOAWAY, other side closed)', { code: 'UND_ERR_SOCKET' }, 'UND_ERR_SOCKET'],
    ['undici ClientClosedError', { code: 'UND_ERR_CLOSED' }, 'UND_ERR_CLOSED'],
    ['a reset connection', { code: 'ECONNRESET' }, 'ECONNRESET'],
    ['a write to a closed connection', { code: 'EPIPE' }, 'EPIPE'],
    [
      'a refused HTTP/2 stream',
      {
        code: 'ERR_HTTP2_STREAM_ERROR',
        message: 'Stream closed with error code NGHTTP2_REFUSED_STREAM',
      },
      'REFUSED_STREAM',
    ],
  ])('%s → %s', (_name, err, reason) => {
    expect(retryReason(Object.assign(new Error('x'), err))).toBe(reason);
  });

  it.each([
    ['a refused connection (target down)', { code: 'ECONNREFUSED' }],
    ['a connect timeout', { code: 'UND_ERR_CONNECT_TIMEOUT' }],
    ['a headers timeout', { code: 'UND_ERR_HEADERS_TIMEOUT' }],
    ['a body timeout', { code: 'UND_ERR_BODY_TIMEOUT' }],
    ['an abort (the relay timeout)', { code: 'ABORT_ERR' }],
    ['a certificate failure', { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }],
    ['a stream closed early (undici InformationalError)', { code: 'UND_ERR_INFO' }],
    [
      'another HTTP/2 stream error',
      { code: 'ERR_HTTP2_STREAM_ERROR', message: 'Stream closed with error code NGHTTP2_INTERNAL_ERROR' },
    ],
    ['no code', {}],
    ['a code that is not a string', { code: 104 }],
  ])('%s → not repeated', (_name, err) => {
    expect(retryReason(Object.assign(new Error('x'), err))).toBeNull();
  });

  it.each([null, undefined, 'ECONNRESET', 42])('a thrown non-object (%s) → not repeated', (err) => {
    expect(retryReason(err)).toBeNull();
  });
});

let fixture: RelayFixture;

beforeAll(async () => {
  fixture = await createRelayFixture();
});

afterAll(async () => {
  await fixture.close();
});

/** How many requests the target received on `path` since `before`. */
function seenOn(path: string, before: number): number {
  return fixture.target.seen.slice(before).filter((request) => request.path === path).length;
}

function retryLines(): Record<string, unknown>[] {
  return fixture.lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.event === 'upstream-retry');
}

describe('on loopback: a lost connection before the answer is repeated once', () => {
  it.each([
    ['a GOAWAY that refuses the stream', 'goaway', 'UND_ERR_SOCKET'],
    ['a refused stream', 'refuse', 'REFUSED_STREAM'],
    ['a connection reset under the request', 'reset', 'UND_ERR_SOCKET'],
  ])('%s: the client gets the answer, the target saw two copies', async (_name, kind, reason) => {
    const relay = await fixture.relayWith();
    const path = `/fault/${kind}/once`;
    const before = fixture.target.seen.length;
    const response = await fixture.post(relay, { path });
    expect(response.status).toBe(200);
    expect(response.headers['proxy-status']).toBe('mimi-relay; received-status=200');
    const copies = fixture.target.seen.slice(before);
    expect(copies.map((request) => request.path)).toEqual([path, path]);
    expect(copies[0]!.body.equals(copies[1]!.body)).toBe(true); // the same sealed bytes, nothing new
    const metrics = await relay.metrics.registry.metrics();
    expect(metrics).toContain(`mimi_relay_upstream_retries_total{target="${TARGET}",reason="${reason}"} 1`);
  });

  it('a target that fails every time is asked twice, no more, and the client gets 502', async () => {
    const relay = await fixture.relayWith();
    const path = '/fault/reset/always';
    const before = fixture.target.seen.length;
    const response = await fixture.post(relay, { path });
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body.toString()).error.code).toBe('upstream-failed');
    expect(response.headers['proxy-status']).toMatch(/^mimi-relay; error=destination_unavailable/);
    expect(seenOn(path, before)).toBe(2);
    const metrics = await relay.metrics.registry.metrics();
    expect(metrics).toMatch(
      /mimi_relay_upstream_retries_total\{target="target\.test",reason="[A-Z_]+"\} 1\n/,
    );
  });

  it('a connection lost after the response headers is not repeated', async () => {
    const relay = await fixture.relayWith();
    const path = '/fault/cut-body/always';
    const before = fixture.target.seen.length;
    const response = await fixture.post(relay, { path });
    expect(response.status).toBe(502);
    expect(seenOn(path, before)).toBe(1);
    expect(await relay.metrics.registry.metrics()).not.toMatch(/mimi_relay_upstream_retries_total\{/);
  });

  it('a target that refuses connections is not repeated', async () => {
    const relay = await fixture.relayWith();
    const response = await fixture.post(relay, { host: 'down.test' });
    expect(response.status).toBe(502);
    expect(response.headers['proxy-status']).toMatch(/^mimi-relay; error=connection_refused/);
    expect(await relay.metrics.registry.metrics()).not.toMatch(/mimi_relay_upstream_retries_total\{/);
  });

  it('retry lines name the target and the reason, never the client', () => {
    const lines = retryLines();
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      expect(line.target).toBe(TARGET);
      expect(typeof line.reason).toBe('string');
      expect(line).not.toHaveProperty('client');
    }
    expect(linesJoiningClientAndTarget(fixture.lines)).toEqual([]);
  });
});
