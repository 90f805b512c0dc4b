/**
 * The DoH transport (RFC 8484) against a real node:http2 TLS server on 127.0.0.1 with
 * a throwaway CA made by the `openssl` CLI: the certificate is checked against the
 * endpoint's HOST NAME while the connection goes to the address (DESIGN §3), one
 * HTTP/2 connection carries every query to a server (RFC 8484 §5.2), and HTTP-level
 * failures become transport errors the resolver fails over on.
 */
import { spawn } from 'node:child_process';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { fromBase64Url } from '@mimi/crypto';
import { decodeMessage, encodeMessage, NO_FLAGS, RRType } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuery } from '../src/exchange.js';
import { DohTransport, ResolverError } from '../src/index.js';
import { makeCertificates } from './helpers/certs.js';

const HOST = 'tel.nic.mimi.arpa';
let caPem: string;
let server: http2.Http2SecureServer;
let port: number;
let sessions = 0;
const seen: { method: string; path: string; version: string; accept: string }[] = [];

function answer(query: Uint8Array): Uint8Array {
  const message = decodeMessage(query);
  return encodeMessage({
    ...message,
    flags: { ...NO_FLAGS, qr: true, aa: true },
    answers: [
      {
        name: message.questions[0]!.name,
        type: RRType.A,
        class: 1,
        ttl: 60,
        rdata: Uint8Array.of(127, 0, 0, 1),
      },
    ],
    edns: undefined,
  });
}

beforeAll(async () => {
  // The leaf names the host only: no IP address, so an address-checked connection would fail.
  const certificates = makeCertificates([HOST]);
  caPem = certificates.caPem;
  server = http2.createSecureServer({ key: certificates.keyPem, cert: certificates.certPem });
  server.on('session', () => sessions++);
  server.on('stream', (stream, headers) => {
    const path = String(headers[':path']);
    seen.push({
      method: String(headers[':method']),
      path,
      version: '2.0',
      accept: String(headers.accept),
    });
    const url = new URL(path, 'https://x');
    if (url.pathname === '/busy') {
      stream.respond({ ':status': 503 });
      stream.end();
      return;
    }
    if (url.pathname === '/huge' || url.pathname === '/huge-busy') {
      // Over a DNS message's 65,535 octets, in several DATA frames.
      const busy = url.pathname === '/huge-busy';
      stream.respond({ ':status': busy ? 503 : 200, 'content-type': 'application/dns-message' });
      stream.end(new Uint8Array(70_000));
      return;
    }
    if (url.pathname === '/parts') {
      // A good answer split over three writes (and DATA frames).
      const bytes = answer(fromBase64Url(url.searchParams.get('dns') ?? ''));
      stream.respond({ ':status': 200, 'content-type': 'application/dns-message; charset=x' });
      stream.write(bytes.subarray(0, 5));
      setTimeout(() => {
        stream.write(bytes.subarray(5, 9));
        stream.end(bytes.subarray(9));
      }, 5);
      return;
    }
    if (url.pathname === '/text') {
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      stream.end('hello');
      return;
    }
    const reply = () => {
      if (stream.destroyed) return;
      stream.respond({ ':status': 200, 'content-type': 'application/dns-message' });
      stream.end(answer(fromBase64Url(url.searchParams.get('dns') ?? '')));
    };
    if (url.pathname === '/slow') setTimeout(reply, 200);
    else reply();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const endpoint = (path = '/dns-query', host = HOST) => ({ url: `https://127.0.0.1:${port}${path}`, host });
const send = (transport: DohTransport, e = endpoint(), signal = new AbortController().signal) =>
  transport.send(e, buildQuery('4.4.e164.mimi.arpa.', RRType.NS), { signal });

describe('TLS host-name checking', () => {
  it('a certificate for the host name is accepted on a connection to the address', async () => {
    const transport = new DohTransport({ ca: caPem });
    try {
      const response = decodeMessage(await send(transport));
      expect(response.flags.qr).toBe(true);
      expect(response.questions[0]!.name).toBe('4.4.e164.mimi.arpa.');
      expect(seen.at(-1)).toMatchObject({ method: 'GET', accept: 'application/dns-message' });
      expect(seen.at(-1)!.path).toMatch(/^\/dns-query\?dns=[A-Za-z0-9_-]+$/);
    } finally {
      await transport.close();
    }
  });

  it('the same certificate for another host name is refused', async () => {
    const transport = new DohTransport({ ca: caPem });
    try {
      await expect(send(transport, endpoint('/dns-query', 'mail.nic.mimi.arpa'))).rejects.toMatchObject({
        code: 'transport-network',
        message: expect.stringContaining('err_tls_cert_altname_invalid'),
      });
    } finally {
      await transport.close();
    }
  });

  it('a certificate from a CA that is not configured is refused', async () => {
    const transport = new DohTransport();
    try {
      await expect(send(transport)).rejects.toMatchObject({ code: 'transport-network' });
    } finally {
      await transport.close();
    }
  });
});

describe('HTTP/2 reuse', () => {
  it('concurrent and sequential queries to one server share one HTTP/2 connection', async () => {
    const transport = new DohTransport({ ca: caPem });
    const before = sessions;
    try {
      await Promise.all(Array.from({ length: 10 }, () => send(transport)));
      for (let i = 0; i < 5; i++) await send(transport);
      expect(sessions - before).toBe(1);
    } finally {
      await transport.close();
    }
  });
});

describe('failures', () => {
  it('an HTTP error status: transport-http', async () => {
    const transport = new DohTransport({ ca: caPem });
    try {
      await expect(send(transport, endpoint('/busy'))).rejects.toMatchObject({
        code: 'transport-http',
        details: expect.objectContaining({ status: 503 }),
      });
    } finally {
      await transport.close();
    }
  });

  it('a body that is not application/dns-message: transport-response', async () => {
    const transport = new DohTransport({ ca: caPem });
    try {
      await expect(send(transport, endpoint('/text'))).rejects.toMatchObject({ code: 'transport-response' });
    } finally {
      await transport.close();
    }
  });

  it('a body over 65,535 octets: transport-response, the status checked first', async () => {
    const transport = new DohTransport({ ca: caPem });
    try {
      await expect(send(transport, endpoint('/huge'))).rejects.toMatchObject({
        code: 'transport-response',
        message: expect.stringContaining('sent more than 65535 octets'),
      });
      await expect(send(transport, endpoint('/huge-busy'))).rejects.toMatchObject({ code: 'transport-http' });
      // The connection is still good for the next query.
      expect(decodeMessage(await send(transport)).answers).toHaveLength(1);
    } finally {
      await transport.close();
    }
  });

  it('a body in several pieces is put together (media type parameters ignored)', async () => {
    const transport = new DohTransport({ ca: caPem });
    try {
      const bytes = await send(transport, endpoint('/parts'));
      expect(bytes).toEqual(answer(buildQuery('4.4.e164.mimi.arpa.', RRType.NS)));
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.length);
    } finally {
      await transport.close();
    }
  });

  it('a timeout while the answer is slow: the transport-timeout reason itself', async () => {
    const transport = new DohTransport({ ca: caPem });
    const controller = new AbortController();
    const reason = new ResolverError('transport-timeout', `${HOST} did not answer in 20 ms`);
    try {
      const pending = send(transport, endpoint('/slow'), controller.signal);
      setTimeout(() => controller.abort(reason), 20);
      await expect(pending).rejects.toBe(reason);
    } finally {
      await transport.close();
    }
  });

  it('an abort stops the exchange: aborted', async () => {
    const transport = new DohTransport({ ca: caPem });
    const controller = new AbortController();
    try {
      const pending = send(transport, endpoint('/slow'), controller.signal);
      setTimeout(() => controller.abort(), 20);
      await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    } finally {
      await transport.close();
    }
  });

  it('a closed transport refuses to send', async () => {
    const transport = new DohTransport({ ca: caPem });
    await transport.close();
    await expect(send(transport)).rejects.toMatchObject({ code: 'closed' });
  });

  it('a non-https URL is refused', async () => {
    const transport = new DohTransport({ ca: caPem });
    try {
      await expect(
        send(transport, { url: `http://127.0.0.1:${port}/dns-query`, host: HOST }),
      ).rejects.toMatchObject({
        code: 'transport-network',
      });
    } finally {
      await transport.close();
    }
  });
});

describe('connections', () => {
  it('answers concurrent queries over one connection, and a busy server is a transport error', async () => {
    const transport = new DohTransport({ ca: caPem });
    const before = sessions;
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => send(transport)));
      expect(answers.map((bytes) => decodeMessage(bytes).questions[0]!.name)).toEqual(
        Array(5).fill('4.4.e164.mimi.arpa.'),
      );
      expect(sessions - before).toBe(1);
      await expect(send(transport, endpoint('/busy'))).rejects.toMatchObject({ code: 'transport-http' });
    } finally {
      await transport.close();
    }
  });

  it('close() at the end of a script completes before the process ends', async () => {
    const module = new URL('../dist/index.js', import.meta.url).href;
    const script = [
      `const { DohTransport } = await import(${JSON.stringify(module)});`,
      `const transport = new DohTransport({ ca: ${JSON.stringify(caPem)} });`,
      `const query = Uint8Array.from(${JSON.stringify([...buildQuery('4.4.e164.mimi.arpa.', RRType.NS)])});`,
      `const bytes = await transport.send(${JSON.stringify(endpoint())}, query, { signal: new AbortController().signal });`,
      'await transport.close();',
      "console.log('closed', bytes.length > 12);",
    ].join('\n');
    const child = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(child).toEqual({ code: 0, stdout: 'closed true\n', stderr: '' });
  });
});

describe('a server that allows few concurrent streams (RFC 9113 §6.5.2)', () => {
  let small: http2.Http2SecureServer;
  let smallPort: number;
  let open = 0;
  let peak = 0;

  beforeAll(async () => {
    const certificates = makeCertificates([HOST]);
    small = http2.createSecureServer({
      key: certificates.keyPem,
      cert: certificates.certPem,
      settings: { maxConcurrentStreams: 2 },
    });
    small.on('stream', (stream, headers) => {
      open++;
      peak = Math.max(peak, open);
      stream.on('close', () => {
        open--;
      });
      const url = new URL(String(headers[':path']), 'https://x');
      setTimeout(() => {
        if (stream.destroyed) return;
        stream.respond({ ':status': 200, 'content-type': 'application/dns-message' });
        stream.end(answer(fromBase64Url(url.searchParams.get('dns') ?? '')));
      }, 20);
    });
    await new Promise<void>((resolve) => small.listen(0, '127.0.0.1', resolve));
    smallPort = (small.address() as AddressInfo).port;
    smallCa = certificates.caPem;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => small.close(() => resolve()));
  });

  let smallCa: string;
  const smallEndpoint = () => ({ url: `https://127.0.0.1:${smallPort}/dns-query`, host: HOST });

  it('queues queries past the limit instead of stalling them, and never exceeds it', async () => {
    const transport = new DohTransport({ ca: smallCa });
    try {
      // One first, so the server's SETTINGS are known before the burst.
      await send(transport, smallEndpoint());
      const answers = await Promise.all(Array.from({ length: 12 }, () => send(transport, smallEndpoint())));
      expect(answers.map((bytes) => decodeMessage(bytes).flags.qr)).toEqual(Array(12).fill(true));
      expect(peak).toBe(2);
    } finally {
      await transport.close();
    }
  });

  it('a query aborted while it waits for a stream is aborted', async () => {
    const transport = new DohTransport({ ca: smallCa });
    try {
      await send(transport, smallEndpoint());
      const controller = new AbortController();
      const busy = [send(transport, smallEndpoint()), send(transport, smallEndpoint())];
      const waiting = send(transport, smallEndpoint(), controller.signal);
      controller.abort();
      await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
      await Promise.all(busy);
    } finally {
      await transport.close();
    }
  });
});

/** A child process to completion, without blocking this one (the server answers it). */
function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
