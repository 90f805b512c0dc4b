/**
 * The HTTPS listener's two ways in (https-listener.ts): HTTP/2 requests for a route with
 * a `stream` handler are answered on the core stream API; HTTP/1.1, routes without one,
 * targets that need URL parsing, `Expect` and everything that ends in 404/405/415 go
 * through Node's compatibility layer. Both give the same statuses and JSON errors
 * (RFC 9110 §15), the request timeout (408) and the status metrics.
 */
import { constants as h2constants } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../src/http-errors.js';
import { HttpsListener, type HttpsRoute, type StreamRequest } from '../src/https-listener.js';
import { createLogger } from '../src/logger.js';
import { ServerMetrics } from '../src/metrics.js';
import { loadTlsMaterial } from '../src/tls-files.js';
import { h2request, h2session } from './clients.js';
import { makeTestCertificate } from './tls-fixture.js';

const certificate = makeTestCertificate();
const metrics = new ServerMetrics({ processMetrics: false });
const logLines: Record<string, unknown>[] = [];
const logStream = new Writable({
  write(chunk, _encoding, callback) {
    for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line));
    callback();
  },
});
const seen: { way: 'stream' | 'compat'; path: string }[] = [];
const pending: (() => void)[] = [];
let listener: HttpsListener;
let port: number;

/** Answers with which way the request came in and what it saw. */
const echo: HttpsRoute = {
  path: '/echo',
  methods: ['GET', 'POST'],
  handle(request, response) {
    seen.push({ way: 'compat', path: request.url });
    const body = JSON.stringify({ way: 'compat', search: new URL(request.url, 'https://x.invalid').search });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
  },
  stream(request: StreamRequest) {
    seen.push({ way: 'stream', path: request.path });
    return {
      headers: { ':status': 200, 'content-type': 'application/json' },
      body: JSON.stringify({
        way: 'stream',
        search: request.search ? `?${request.search}` : '',
        client: request.client,
      }),
    };
  },
};

/** Stream-only behaviours: thrown errors, waiting answers, answers that never come. */
const tricky: HttpsRoute = {
  path: '/tricky',
  methods: ['GET', 'POST'],
  handle(_request, response) {
    response.writeHead(204);
    response.end();
  },
  stream(request) {
    switch (request.search) {
      case 'http-error':
        throw new HttpError(429, 'rate-limited', 'too many', { headers: { 'retry-after': '1' } });
      case 'bug':
        throw new TypeError('route bug');
      case 'later':
        return new Promise((resolve) => {
          pending.push(() => resolve({ headers: { ':status': 202 }, body: 'later' }));
        });
      case 'never':
        return new Promise(() => {});
      default:
        return { headers: { ':status': 200 }, body: 'ok' };
    }
  },
};

beforeAll(async () => {
  listener = await HttpsListener.start(
    {
      listen: { host: '127.0.0.1', port: 0 },
      tls: await loadTlsMaterial({ certFile: certificate.certFile, keyFile: certificate.keyFile }),
      logger: createLogger({ level: 'info', destination: logStream }),
      metrics,
      limits: { requestTimeoutMs: 200 },
    },
    [echo, tricky],
  );
  port = listener.address().port;
});

afterAll(async () => {
  await listener.close(100);
  certificate.remove();
});

function http1(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, ca: certificate.cert }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('which way a request takes', () => {
  it('HTTP/2 on a route with a stream handler: the stream API, the raw query string, the client address', async () => {
    const session = await h2session(port, certificate.cert);
    const result = await h2request(session, { path: '/echo?a=1&dns=x' });
    expect(JSON.parse(result.body.toString())).toEqual({
      way: 'stream',
      search: '?a=1&dns=x',
      client: '127.0.0.1',
    });
    session.close();
  });

  it.each([
    ['a target with dot segments', '/x/../echo?q=1', '?q=1'],
    ['a fragment', '/echo#frag?x=1', ''],
  ])('HTTP/2 with %s: the compatibility layer, after URL parsing', async (_label, path, search) => {
    const session = await h2session(port, certificate.cert);
    const result = await h2request(session, { path });
    expect(JSON.parse(result.body.toString())).toEqual({ way: 'compat', search });
    session.close();
  });

  it('HTTP/2 with a lower-case method or an Expect header: the compatibility layer', async () => {
    const session = await h2session(port, certificate.cert);
    const lower = await h2request(session, { method: 'get', path: '/echo' });
    expect(JSON.parse(lower.body.toString()).way).toBe('compat');
    const expecting = await h2request(session, {
      method: 'POST',
      path: '/echo',
      headers: { expect: '100-continue' },
      body: Buffer.from('x'),
    });
    expect(JSON.parse(expecting.body.toString()).way).toBe('compat');
    session.close();
  });

  it('HTTP/1.1: the compatibility layer', async () => {
    const result = await http1('/echo?z=2');
    expect(JSON.parse(result.body)).toEqual({ way: 'compat', search: '?z=2' });
  });

  it('no route, wrong method: 404 and 405 with Allow, JSON', async () => {
    const session = await h2session(port, certificate.cert);
    const missing = await h2request(session, { path: '/nowhere' });
    expect([missing.status, JSON.parse(missing.body.toString()).error.code]).toEqual([404, 'not-found']);
    const wrong = await h2request(session, { method: 'PUT', path: '/echo', body: Buffer.from('x') });
    expect([wrong.status, wrong.headers.allow]).toEqual([405, 'GET, POST']);
    session.close();
  });
});

describe('answers on the stream API', () => {
  it('an HttpError becomes its status, headers and JSON body; anything else a logged 500', async () => {
    const session = await h2session(port, certificate.cert);
    const limited = await h2request(session, { path: '/tricky?http-error' });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.headers['content-type']).toBe('application/json');
    expect(JSON.parse(limited.body.toString())).toEqual({
      error: { code: 'rate-limited', message: 'too many' },
    });
    const bug = await h2request(session, { path: '/tricky?bug' });
    expect(bug.status).toBe(500);
    expect(JSON.parse(bug.body.toString())).toEqual({
      error: { code: 'internal', message: 'internal server error' },
    });
    expect(logLines.some((line) => line.msg === 'https route failed' && line.path === '/tricky?bug')).toBe(
      true,
    );
    session.close();
  });

  it('a handler that waits answers when ready; one that never does gets 408 at the request timeout', async () => {
    const session = await h2session(port, certificate.cert);
    const waiting = h2request(session, { path: '/tricky?later' });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    pending.shift()?.();
    const later = await waiting;
    expect([later.status, later.body.toString()]).toEqual([202, 'later']);
    const never = await h2request(session, { path: '/tricky?never' });
    expect(never.status).toBe(408);
    expect(JSON.parse(never.body.toString()).error.code).toBe('request-timeout');
    session.close();
  });

  it('survives a client that resets its stream with an error code, and keeps answering', async () => {
    const session = await h2session(port, certificate.cert);
    const stream = session.request({ ':method': 'POST', ':path': '/tricky?never' });
    stream.on('error', () => {});
    stream.write(Buffer.from('partial'));
    await new Promise((resolve) => setImmediate(resolve));
    stream.close(h2constants.NGHTTP2_PROTOCOL_ERROR);
    await new Promise((resolve) => stream.once('close', resolve));
    const after = await h2request(session, { path: '/tricky' });
    expect([after.status, after.body.toString()]).toEqual([200, 'ok']);
    session.close();
  });

  it('counts every status it sends', async () => {
    const text = (await metrics.exposition()).body;
    expect(text).toMatch(/mimi_http_responses_total\{status="429"\} 1\n/);
    expect(text).toMatch(/mimi_http_responses_total\{status="500"\} 1\n/);
    expect(text).toMatch(/mimi_http_responses_total\{status="408"\} 1\n/);
    expect(text).toMatch(/mimi_http_responses_total\{status="202"\} 1\n/);
  });
});
