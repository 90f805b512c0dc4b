/**
 * A capturing HTTPS proxy for privacy tests: an HTTP/2 TLS server that passes every
 * request on, unchanged, to one upstream origin and records each exchange (method, path,
 * both bodies, the status). Put in front of the oblivious relay it shows what the relay
 * receives and returns — ciphertext (RFC 9230 §4) — and, connecting from another loopback
 * address (`localAddress`, e.g. 127.0.0.2), it gives the client an address of its own
 * that the relay sees and the DPs must not.
 */
import {
  type ClientHttp2Session,
  connect,
  createSecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { TestNetworkError } from './server-process.js';

/** Request headers passed on; nothing else (the relay sends on only these itself). */
const FORWARDED_HEADERS = ['content-type', 'accept', 'content-length'] as const;

export interface CapturedExchange {
  readonly method: string;
  /** Path and query, e.g. `/proxy?targethost=tel.nic.mimi.arpa&targetpath=/dns-query`. */
  readonly path: string;
  readonly requestBody: Buffer;
  readonly status: number;
  readonly responseBody: Buffer;
}

export interface CapturingProxyOptions {
  /** `https://HOST:PORT` to pass requests to. */
  readonly upstream: string;
  /** PEM of the CA of the upstream's certificate. */
  readonly ca: string | Buffer;
  /** The proxy's own certificate and key (PEM). */
  readonly tls: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Source address of the connection upstream. */
  readonly localAddress?: string;
}

export interface CapturingProxy {
  /** `https://127.0.0.1:PORT` */
  readonly origin: string;
  readonly exchanges: CapturedExchange[];
  close(): Promise<void>;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

export async function startCapturingProxy(options: CapturingProxyOptions): Promise<CapturingProxy> {
  const exchanges: CapturedExchange[] = [];
  let upstream: ClientHttp2Session | undefined;
  const session = (): ClientHttp2Session => {
    if (upstream === undefined || upstream.closed || upstream.destroyed) {
      upstream = connect(options.upstream, {
        ca: options.ca,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      });
      upstream.on('error', () => {});
    }
    return upstream;
  };

  async function pass(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
    const requestBody = await readAll(stream);
    const forwarded: Record<string, string> = {
      ':method': String(headers[':method']),
      ':path': String(headers[':path']),
    };
    for (const name of FORWARDED_HEADERS) {
      const value = headers[name];
      if (typeof value === 'string') forwarded[name] = value;
    }
    // endStream false: node would end a GET at once, and the body (if any) must follow.
    const request = session().request(forwarded, { endStream: false });
    request.end(requestBody);
    const responseHeaders = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
    });
    const responseBody = await readAll(request);
    const status = Number(responseHeaders[':status']);
    exchanges.push({
      method: forwarded[':method']!,
      path: forwarded[':path']!,
      requestBody,
      status,
      responseBody,
    });
    const contentType = responseHeaders['content-type'];
    stream.respond({
      ':status': status,
      ...(typeof contentType === 'string' ? { 'content-type': contentType } : {}),
      ...(responseHeaders['retry-after'] === undefined
        ? {}
        : { 'retry-after': responseHeaders['retry-after'] }),
    });
    stream.end(responseBody);
  }

  const server = createSecureServer({ cert: options.tls.cert, key: options.tls.key });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    pass(stream, headers).catch(() => {
      if (!stream.headersSent && !stream.destroyed) stream.respond({ ':status': 502 });
      if (!stream.destroyed) stream.end();
    });
  });
  server.on('sessionError', () => {});
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (opened: ServerHttp2Session) => {
    sessions.add(opened);
    opened.once('close', () => sessions.delete(opened));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new TestNetworkError('proxy-listen', `capturing proxy cannot listen: ${err.message}`)),
    );
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    exchanges,
    async close() {
      upstream?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Sessions the clients keep open would hold close() back.
      for (const open of sessions) open.destroy();
      await closed;
    },
  };
}
