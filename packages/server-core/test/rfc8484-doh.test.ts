/**
 * RFC 8484 on a real listener (127.0.0.1, port 0, throwaway certificate): GET and POST,
 * statuses for bad requests, cache-control, ALPN h2 with http/1.1 fallback, health and
 * metrics routes, routes mounted by a server.
 */

import type { ClientHttp2Session } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { RRType } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server.js';
import { h2request, h2session } from './clients.js';
import { decode, makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine } from './fake-engine.js';
import { makeTestCertificate } from './tls-fixture.js';

const certificate = makeTestCertificate();
const engine = new FakeEngine();
engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')], 300);
let server: RunningServer;
let session: ClientHttp2Session;

beforeAll(async () => {
  server = await startServer(
    {
      doh: {
        listen: { host: '127.0.0.1', port: 0 },
        tls: { certFile: certificate.certFile, keyFile: certificate.keyFile },
      },
      pipeline: { rateLimit: { queriesPerSecond: 0, missesPerSecond: 0 } },
    },
    engine,
  );
  session = await h2session(server.addresses.doh.port, certificate.cert);
});

afterAll(async () => {
  session.close();
  await server.close();
  certificate.remove();
});

const query = (id = 0) => makeQuery({ id, name: 'www.example.', type: RRType.A });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('RFC 8484 §4.1 GET and POST', () => {
  it('negotiates h2 by ALPN', () => {
    expect(session.alpnProtocol).toBe('h2');
  });

  it('answers GET /dns-query?dns= with application/dns-message and a max-age', async () => {
    const result = await h2request(session, { path: `/dns-query?dns=${b64(query())}` });
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/dns-message');
    expect(result.headers['cache-control']).toMatch(/^max-age=(29\d|300)$/);
    const message = decode(result.body);
    expect(message.id).toBe(0);
    expect([...message.answers[0]!.rdata]).toEqual([192, 0, 2, 80]);
  });

  it('answers POST with the same message bytes as GET (one cache entry)', async () => {
    const calls = engine.calls.length;
    const get = await h2request(session, { path: `/dns-query?dns=${b64(query(7))}` });
    const post = await h2request(session, {
      method: 'POST',
      path: '/dns-query',
      headers: { 'content-type': 'application/dns-message' },
      body: query(7),
    });
    expect(post.status).toBe(200);
    expect(post.body).toEqual(get.body);
    expect(engine.calls.length).toBe(calls);
  });

  it('ignores other query parameters', async () => {
    const result = await h2request(session, { path: `/dns-query?ct=x&dns=${b64(query())}&z=1` });
    expect(result.status).toBe(200);
  });

  it('answers NOTIMP and REFUSED with 200 and the DNS rcode (§4.2.1)', async () => {
    const refused = await h2request(session, {
      path: `/dns-query?dns=${b64(makeQuery({ name: 'www.example.org.', type: 1 }))}`,
    });
    expect(refused.status).toBe(200);
    expect(decode(refused.body).flags.rcode).toBe(5);
    expect(refused.headers['cache-control']).toBe('max-age=0');
  });
});

describe('bad requests', () => {
  const formerrQuery = (() => {
    const bytes = query(1);
    bytes.writeUInt16BE(0, 4); // qdcount 0
    return bytes;
  })();

  it.each([
    ['padded base64url', `/dns-query?dns=${b64(query())}=`, 400],
    [
      'standard base64 alphabet',
      `/dns-query?dns=${Buffer.from(query(0xfbff)).toString('base64').replace(/=+$/, '')}+/`,
      400,
    ],
    ['non-canonical trailing bits', '/dns-query?dns=AAB', 400],
    ['length 1 mod 4', '/dns-query?dns=AAAAA', 400],
    ['missing dns parameter', '/dns-query', 400],
    ['two dns parameters', `/dns-query?dns=${b64(query())}&dns=${b64(query())}`, 400],
    ['empty dns parameter', '/dns-query?dns=', 400],
    ['malformed dns message', `/dns-query?dns=${b64(formerrQuery)}`, 400],
    ['a message too short to have an id', '/dns-query?dns=AA', 400],
    ['an overlong dns parameter', `/dns-query?dns=${'A'.repeat(6000)}`, 414],
    ['an unknown path', '/nothing-here', 404],
  ])('GET with %s → %i', async (_label, path, status) => {
    const result = await h2request(session, { path });
    expect(result.status).toBe(status);
    expect(result.headers['content-type']).toBe('application/json');
    expect(JSON.parse(result.body.toString()).error.message).toMatch(/^[a-z]/);
  });

  it('POST with a wrong content type → 415', async () => {
    const result = await h2request(session, {
      method: 'POST',
      path: '/dns-query',
      headers: { 'content-type': 'text/plain' },
      body: query(),
    });
    expect(result.status).toBe(415);
    expect(JSON.parse(result.body.toString()).error.code).toBe('unsupported-media-type');
  });

  it('POST with a body over 4096 octets → 413, declared or not', async () => {
    const big = Buffer.alloc(5000);
    const declared = await h2request(session, {
      method: 'POST',
      path: '/dns-query',
      headers: { 'content-type': 'application/dns-message', 'content-length': '5000' },
      body: big,
    });
    expect(declared.status).toBe(413);
    const streamed = await h2request(session, {
      method: 'POST',
      path: '/dns-query',
      headers: { 'content-type': 'application/dns-message' },
      body: big,
    });
    expect(streamed.status).toBe(413);
  });

  it('POST with a malformed message → 400, and the server still answers', async () => {
    const result = await h2request(session, {
      method: 'POST',
      path: '/dns-query',
      headers: { 'content-type': 'application/dns-message' },
      body: Uint8Array.of(1, 2, 3, 4, 5),
    });
    expect(result.status).toBe(400);
    expect((await h2request(session, { path: `/dns-query?dns=${b64(query())}` })).status).toBe(200);
  });

  it('other methods → 405 with Allow', async () => {
    const result = await h2request(session, { method: 'PUT', path: '/dns-query', body: query() });
    expect(result.status).toBe(405);
    expect(result.headers.allow).toBe('GET, POST');
  });
});

describe('health, metrics, http/1.1 and mounted routes', () => {
  it('GET /healthz', async () => {
    const result = await h2request(session, { path: '/healthz' });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body.toString())).toEqual({ status: 'ok' });
  });

  it('GET /metrics shows DoH queries and HTTP statuses', async () => {
    await h2request(session, { path: `/dns-query?dns=${b64(query())}` });
    const result = await h2request(session, { path: '/metrics' });
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^text\/plain/);
    const text = result.body.toString();
    expect(text).toMatch(/mimi_dns_queries_total\{transport="doh",qtype="A",rcode="NOERROR"\} \d+/);
    expect(text).toMatch(/mimi_http_responses_total\{status="415"\} 1/);
    expect(text).toContain('mimi_process_cpu_user_seconds_total');
  });

  it('serves http/1.1 clients too', async () => {
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port: server.addresses.doh.port, path: '/healthz', ca: certificate.cert },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(result).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it('answers DoH over http/1.1 too (the compatibility route), with the bytes and headers of h2', async () => {
    const http1 = (method: string, path: string, body?: Buffer) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: server.addresses.doh.port,
            method,
            path,
            ca: certificate.cert,
            headers: body === undefined ? {} : { 'content-type': 'application/dns-message' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const h2 = await h2request(session, { path: `/dns-query?dns=${b64(query(9))}` });
    const get = await http1('GET', `/dns-query?dns=${b64(query(9))}`);
    const post = await http1('POST', '/dns-query', query(9));
    for (const answer of [get, post]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(h2.body);
      expect(answer.headers['content-type']).toBe('application/dns-message');
      expect(answer.headers['content-length']).toBe(String(h2.body.length));
      expect(answer.headers['cache-control']).toMatch(/^max-age=\d+$/);
    }
    const bad = await http1('GET', '/dns-query?dns=AB');
    expect([bad.status, JSON.parse(bad.body.toString()).error.code]).toEqual([400, 'dns-param-encoding']);
  });

  it('routes mounted later: their own path, and /dns-query by media type', async () => {
    server.mount({
      path: '/v1/echo',
      methods: ['POST'],
      async handle(request, response) {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.end(Buffer.concat(chunks));
      },
    });
    server.mount({
      path: '/dns-query',
      methods: ['POST'],
      contentType: 'application/oblivious-dns-message',
      handle(_request, response) {
        response.writeHead(200, { 'content-type': 'application/oblivious-dns-message' });
        response.end('odoh');
      },
    });
    const echo = await h2request(session, { method: 'POST', path: '/v1/echo', body: Buffer.from('hi') });
    expect([echo.status, echo.body.toString()]).toEqual([200, 'hi']);
    const odoh = await h2request(session, {
      method: 'POST',
      path: '/dns-query',
      headers: { 'content-type': 'application/oblivious-dns-message' },
      body: Buffer.from('x'),
    });
    expect(odoh.body.toString()).toBe('odoh');
    const doh = await h2request(session, {
      method: 'POST',
      path: '/dns-query',
      headers: { 'content-type': 'application/dns-message' },
      body: query(),
    });
    expect(decode(doh.body).answers).toHaveLength(1);
    const wrongMethod = await h2request(session, { path: '/v1/echo' });
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, 'POST']);
  });
});
