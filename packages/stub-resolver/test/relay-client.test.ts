/**
 * The HTTPS client of the oblivious relay (RFC 9230 §4.1; DESIGN §7), against a small
 * HTTP/2 server on 127.0.0.1: the request form, nothing that identifies the client,
 * one connection multiplexing every query, and bounded, well-named failures.
 */
import http2, { type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsRelayClient, MAX_ODOH_MESSAGE_OCTETS, ResolverError } from '../src/index.js';
import { parseRelayUrl } from '../src/privacy/relay-client.js';
import { makeCertificates, type TestCertificates } from './helpers/certs.js';

const ODOH = 'application/oblivious-dns-message';
const TARGET = { host: 'tel.nic.mimi.arpa', path: '/dns-query' };

interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

let tls: TestCertificates;
let server: http2.Http2SecureServer;
let port: number;
let sessions = 0;
const seen: Seen[] = [];
/** How the server answers a request (default: echo the body back). */
let reply: (request: Seen, stream: http2.ServerHttp2Stream) => void;
let held: (() => void)[] = [];

const echo = (request: Seen, stream: http2.ServerHttp2Stream) => {
  stream.respond({
    ':status': 200,
    'content-type': `${ODOH}; charset=binary`,
    'proxy-status': 'mimi-relay; received-status=200',
  });
  stream.end(request.body);
};

beforeAll(async () => {
  tls = makeCertificates(['relay.test'], ['127.0.0.1']);
  server = http2.createSecureServer({ key: tls.keyPem, cert: tls.certPem });
  server.on('session', () => sessions++);
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const request = { path: String(headers[':path']), headers, body: Buffer.concat(chunks) };
      seen.push(request);
      reply(request, stream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(): HttpsRelayClient {
  reply = echo;
  return new HttpsRelayClient({ url: `https://127.0.0.1:${port}/proxy`, ca: tls.caPem });
}

const signal = () => AbortSignal.timeout(5000);

describe('HttpsRelayClient', () => {
  it('POSTs the message to ?targethost=&targetpath= with the ODoH media type and nothing else', async () => {
    const relay = client();
    const body = Uint8Array.from([1, 2, 3, 4]);
    const mark = seen.length;
    const answer = await relay.forward(TARGET, body, { signal: signal() });
    await relay.close();
    expect(answer).toEqual({
      status: 200,
      contentType: ODOH,
      body,
      proxyStatus: 'mimi-relay; received-status=200',
    });
    const request = seen[mark]!;
    expect(request.path).toBe('/proxy?targethost=tel.nic.mimi.arpa&targetpath=%2Fdns-query');
    expect(request.headers[':method']).toBe('POST');
    expect(request.headers['content-type']).toBe(ODOH);
    expect(request.headers.accept).toBe(ODOH);
    // Nothing that could tell one user of the resolver from another.
    const names = Object.keys(request.headers).filter((name) => !name.startsWith(':'));
    expect(names.sort()).toEqual(['accept', 'content-length', 'content-type']);
  });

  it('multiplexes concurrent queries on one HTTP/2 connection', async () => {
    const relay = client();
    const before = sessions;
    const count = 12;
    // The server answers only once all twelve are in: a client that queued them would hang.
    reply = (request, stream) => {
      held.push(() => echo(request, stream));
      if (held.length === count) {
        for (const release of held) release();
        held = [];
      }
    };
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) => relay.forward(TARGET, Uint8Array.of(i), { signal: signal() })),
    );
    await relay.close();
    expect(answers.map((a) => a.body[0])).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(sessions - before).toBe(1);
  });

  it('passes the status of a refusal on with its proxy-status', async () => {
    const relay = client();
    reply = (_request, stream) => {
      stream.respond({
        ':status': 502,
        'content-type': 'application/json',
        'proxy-status': 'mimi-relay; error=destination_unavailable',
      });
      stream.end('{"error":{"code":"upstream-failed","message":"x"}}');
    };
    const answer = await relay.forward(TARGET, Uint8Array.of(1), { signal: signal() });
    await relay.close();
    expect([answer.status, answer.contentType, answer.proxyStatus]).toEqual([
      502,
      'application/json',
      'mimi-relay; error=destination_unavailable',
    ]);
  });

  it('refuses an answer larger than any ODoH message', async () => {
    const relay = client();
    reply = (_request, stream) => {
      stream.respond({ ':status': 200, 'content-type': ODOH });
      stream.end(Buffer.alloc(MAX_ODOH_MESSAGE_OCTETS + 1));
    };
    const err = await relay.forward(TARGET, Uint8Array.of(1), { signal: signal() }).catch((e: unknown) => e);
    await relay.close();
    expect(err).toBeInstanceOf(ResolverError);
    expect((err as ResolverError).code).toBe('transport-response');
    expect((err as ResolverError).message).toBe(
      `relay https://127.0.0.1:${port}/proxy sent more than ${MAX_ODOH_MESSAGE_OCTETS} octets`,
    );
  });

  it('a relay where nothing listens is a network failure naming relay and target', async () => {
    const relay = new HttpsRelayClient({ url: 'https://127.0.0.1:1/proxy', ca: tls.caPem });
    const err = (await relay
      .forward(TARGET, Uint8Array.of(1), { signal: signal() })
      .catch((e: unknown) => e)) as ResolverError;
    await relay.close();
    expect(err.code).toBe('transport-network');
    expect(err.message).toBe('relay https://127.0.0.1:1/proxy (for tel.nic.mimi.arpa): econnrefused');
  });

  it('a relay certificate from another CA is refused', async () => {
    const other = makeCertificates(['relay.test'], ['127.0.0.1']);
    const relay = new HttpsRelayClient({ url: `https://127.0.0.1:${port}/proxy`, ca: other.caPem });
    const err = (await relay
      .forward(TARGET, Uint8Array.of(1), { signal: signal() })
      .catch((e: unknown) => e)) as ResolverError;
    await relay.close();
    expect(err.code).toBe('transport-network');
  });

  it('after close() it refuses to forward', async () => {
    const relay = client();
    await relay.close();
    await expect(relay.forward(TARGET, Uint8Array.of(1), { signal: signal() })).rejects.toMatchObject({
      code: 'closed',
    });
  });

  it.each([
    ['http://relay.test/proxy', "relay 'http://relay.test/proxy' is not https"],
    [
      'https://user:pw@relay.test/proxy',
      "relay 'https://user:pw@relay.test/proxy' must not carry credentials",
    ],
    ['relay.test', "relay 'relay.test' is not a url"],
  ])('the relay url %s is refused', (url, message) => {
    expect(() => parseRelayUrl(url)).toThrow(message);
    try {
      parseRelayUrl(url);
    } catch (err) {
      expect((err as ResolverError).code).toBe('config-invalid');
    }
  });
});
