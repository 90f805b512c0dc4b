/**
 * The relay on loopback (RFC 9230 §4.1, §4.3, §4.5): a client encrypts a query to a test
 * ODoH target, the relay forwards it and the answer decrypts; what the target receives
 * (three headers, nothing about the client); no redirect followed; every refusal with
 * its status and Proxy-Status; upstream failures as 502; and no log line joining a
 * client address to a target host.
 */
import { Readable } from 'node:stream';
import { decryptResponse, encryptQuery, generateTargetKey } from '@mimi/odoh';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFor } from './support/odoh-target.js';
import {
  createRelayFixture,
  dnsQuery,
  linesJoiningClientAndTarget,
  ODOH,
  type Post,
  type RelayFixture,
  TARGET,
} from './support/relay-fixture.js';

let fixture: RelayFixture;
let target: RelayFixture['target'];
let agent: RelayFixture['agent'];
const relayWith: RelayFixture['relayWith'] = (overrides) => fixture.relayWith(overrides);
const post: RelayFixture['post'] = (relay, options) => fixture.post(relay, options);

beforeAll(async () => {
  fixture = await createRelayFixture();
  target = fixture.target;
  agent = fixture.agent;
});

afterAll(async () => {
  await fixture.close();
});

describe('forwarding (RFC 9230 §4.1, §4.3)', () => {
  it('carries an encrypted query to the target and its answer back, which decrypts', async () => {
    const relay = await relayWith();
    const { request: body, context } = encryptQuery(target.key.config, dnsQuery);
    const response = await post(relay, { body });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(ODOH);
    expect(response.headers['proxy-status']).toBe('mimi-relay; received-status=200');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-target-secret']).toBeUndefined();
    expect(decryptResponse(context, response.body)).toEqual(answerFor(dnsQuery));
  });

  it('sends the target only content-type, accept and content-length — nothing about the client', async () => {
    const relay = await relayWith();
    const before = target.seen.length;
    const response = await post(relay, {
      headers: {
        cookie: 'session=abc',
        'x-forwarded-for': '192.0.2.7',
        forwarded: 'for=192.0.2.7',
        via: '1.1 client-proxy',
        authorization: 'Bearer secret',
        'user-agent': 'client/1.0',
        'x-client-id': 'me',
      },
    });
    expect(response.status).toBe(200);
    const seen = target.seen.slice(before);
    expect(seen).toHaveLength(1);
    const { headers, path } = seen[0]!;
    expect(path).toBe('/dns-query');
    const names = Object.keys(headers)
      .filter((name) => !name.startsWith(':'))
      .sort();
    expect(names).toEqual(['accept', 'content-length', 'content-type']);
    expect(headers['content-type']).toBe(ODOH);
    expect(headers.accept).toBe(ODOH);
    expect(headers[':method']).toBe('POST');
    expect(headers[':authority']).toBe(`${TARGET}:${target.port}`);
  });

  it('the same query twice reaches the target as two different ciphertexts', async () => {
    const relay = await relayWith();
    const before = target.seen.length;
    await post(relay);
    await post(relay);
    const [first, second] = target.seen.slice(before);
    expect(first!.body.length).toBe(second!.body.length);
    expect(first!.body.equals(second!.body)).toBe(false);
  });

  it('passes a target error status through (401 for an unknown key id)', async () => {
    const relay = await relayWith();
    const other = generateTargetKey();
    const response = await post(relay, { body: encryptQuery(other.config, dnsQuery).request });
    expect(response.status).toBe(401);
    expect(response.headers['proxy-status']).toBe('mimi-relay; received-status=401');
  });

  it('does not follow a redirect and does not pass its location on', async () => {
    const relay = await relayWith();
    const before = target.seen.length;
    const response = await post(relay, { path: '/redirect' });
    expect(response.status).toBe(307);
    expect(response.headers.location).toBeUndefined();
    expect(target.seen.length - before).toBe(1);
  });
});

describe('refusals (never an open proxy)', () => {
  it.each([
    ['a host not on the list', 403, { host: 'example.com' }, 'target-not-allowed', 'http_request_denied'],
    ['a host that is no host name', 403, { host: 'a b' }, 'target-not-allowed', 'http_request_denied'],
    ['a path not allowed for the host', 403, { path: '/admin' }, 'path-not-allowed', 'http_request_denied'],
    [
      'a wrong content type',
      415,
      { contentType: 'application/dns-message' },
      'unsupported-media-type',
      'http_request_error',
    ],
    ['no content type', 415, { contentType: null }, 'unsupported-media-type', 'http_request_error'],
    ['no targetpath', 400, { query: `targethost=${TARGET}` }, 'bad-request', 'http_request_error'],
    [
      'targethost twice',
      400,
      { query: `targethost=${TARGET}&targethost=${TARGET}&targetpath=/dns-query` },
      'bad-request',
      'http_request_error',
    ],
    [
      'an extra parameter',
      400,
      { query: `targethost=${TARGET}&targetpath=/dns-query&x=1` },
      'bad-request',
      'http_request_error',
    ],
    ['a body over the limit', 413, { body: new Uint8Array(1025) }, 'too-large', 'http_request_error'],
    ['an empty body', 400, { body: new Uint8Array(0) }, 'bad-request', 'http_request_error'],
  ] as const)('%s → %i', async (_name, status, options, code, proxyError) => {
    const relay = await relayWith();
    const before = target.seen.length;
    const response = await post(relay, options as Post);
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body.toString()).error.code).toBe(code);
    expect(response.headers['proxy-status']).toMatch(
      new RegExp(`^mimi-relay; error=${proxyError}; details="`),
    );
    expect(target.seen.length).toBe(before);
  });

  it('a streamed body without content-length is cut at the limit → 413', async () => {
    const relay = await relayWith();
    async function* chunks() {
      for (let i = 0; i < 8; i++) yield new Uint8Array(200);
    }
    const response = await post(relay, { body: Readable.from(chunks()) });
    expect(response.status).toBe(413);
  });

  it('GET /proxy → 405 with Allow: POST', async () => {
    const relay = await relayWith();
    const response = await request(`${relay.url}?targethost=${TARGET}&targetpath=/dns-query`, {
      dispatcher: agent,
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    await response.body.dump();
  });

  it('an unknown path → 404; /healthz → 200; /metrics counts outcomes', async () => {
    const relay = await relayWith();
    const base = relay.url.replace('/proxy', '');
    const missing = await request(`${base}/dns-query`, { dispatcher: agent });
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
    const health = await request(`${base}/healthz`, { dispatcher: agent });
    expect(health.statusCode).toBe(200);
    expect(await health.body.text()).toBe('ok\n');
    await post(relay);
    await post(relay, { host: 'example.com' });
    const metrics = await (await request(`${base}/metrics`, { dispatcher: agent })).body.text();
    expect(metrics).toContain('mimi_relay_requests_total{outcome="forwarded"} 1');
    expect(metrics).toContain('mimi_relay_requests_total{outcome="target-not-allowed"} 1');
  });
});

describe('upstream failures → 502 with a Proxy-Status naming them', () => {
  it.each([
    ['a target that refuses connections', { host: 'down.test' }, 'connection_refused'],
    ['a certificate for another name', { host: 'other.test' }, 'tls_certificate_error'],
    ['an answer over the size limit', { path: '/huge' }, 'http_response_body_size'],
  ] as const)('%s', async (_name, options, proxyError) => {
    const relay = await relayWith();
    const response = await post(relay, options);
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body.toString()).error.code).toBe('upstream-failed');
    expect(response.headers['proxy-status']).toMatch(new RegExp(`^mimi-relay; error=${proxyError}`));
  });
});

describe('logs (docs/odoh.md: never a client address and a target host on one line)', () => {
  it('no line holds both, and forwarding lines name the target', () => {
    const parsed = fixture.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.some((line) => line.event === 'forwarded' && line.target === TARGET)).toBe(true);
    expect(parsed.some((line) => line.event === 'upstream-failed' && line.target === 'down.test')).toBe(true);
    expect(linesJoiningClientAndTarget(fixture.lines)).toEqual([]);
  });
});
