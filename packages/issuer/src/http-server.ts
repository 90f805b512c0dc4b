/**
 * The issuer's HTTPS front (HTTP/2 over TLS, HTTP/1.1 for simple tools):
 *
 *   GET  /.well-known/private-token-issuer-directory   RFC 9578 §4 directory
 *   POST /token-request                                 RFC 9578 §6 issuance (Bearer API key)
 *   GET  /healthz                                       liveness
 *
 * The one place where errors become HTTP statuses: an `IssuerHttpError` keeps its own
 * (401, 413, 415, 422, 429), anything else is a 500 that names nothing. Error bodies are
 * `{"error": {"code", "message"}}`, the management API's format (DESIGN §7).
 */
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ISSUER_DIRECTORY_PATH, MediaType, TOKEN_REQUEST_PATH } from '@mimi/tokens';
import { IssuerHttpError } from './errors.js';
import { MAX_REQUEST_BODY } from './issuance.js';

/** A slow client gets this long for its whole request. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Idle connections are closed after this. */
const IDLE_TIMEOUT_MS = 60_000;

export interface IssuerRoutes {
  /** The directory JSON and its max-age in seconds. */
  directory(): Promise<{ json: string; maxAge: number }>;
  /** Who the Authorization header names, or null. */
  authenticate(authorization: string | undefined): string | null;
  issue(
    user: string,
    contentType: string,
    body: Uint8Array,
  ): Promise<{ status: number; contentType: string; body: Uint8Array; headers: Record<string, string> }>;
  /** Log a failure that is ours (a 500). */
  fault(err: unknown): void;
}

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export class IssuerHttpServer {
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly http1Sockets = new Set<TLSSocket>();

  private constructor(private readonly server: Http2SecureServer) {}

  static async listen(
    host: string,
    port: number,
    tls: TlsMaterial,
    routes: IssuerRoutes,
  ): Promise<IssuerHttpServer> {
    const server = createSecureServer({
      cert: tls.cert,
      key: tls.key,
      allowHTTP1: true,
      minVersion: 'TLSv1.2',
    });
    const front = new IssuerHttpServer(server);
    server.setTimeout(IDLE_TIMEOUT_MS);
    server.on('session', (session) => {
      front.sessions.add(session);
      session.once('close', () => front.sessions.delete(session));
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      if (socket.alpnProtocol === 'h2') return;
      front.http1Sockets.add(socket);
      socket.once('close', () => front.http1Sockets.delete(socket));
    });
    server.on('request', (request, response) => {
      request.setTimeout(REQUEST_TIMEOUT_MS, () => {
        if (!response.headersSent)
          sendError(response, new IssuerHttpError(408, 'request-timeout', 'request took too long'));
      });
      route(request, response, routes).catch((err: unknown) => {
        if (!(err instanceof IssuerHttpError)) routes.fault(err);
        if (!response.headersSent) sendError(response, err);
        else response.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return front;
  }

  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** Stop accepting; requests in flight get `graceMs` to finish (HTTP/2 GOAWAY, RFC 9113 §6.8). */
  async close(graceMs = 2_000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.close();
    for (const socket of this.http1Sockets) socket.end();
    const cut = setTimeout(() => {
      for (const session of this.sessions) session.destroy();
      for (const socket of this.http1Sockets) socket.destroy();
    }, graceMs);
    cut.unref();
    await closed;
    clearTimeout(cut);
  }
}

async function route(
  request: Http2ServerRequest,
  response: Http2ServerResponse,
  routes: IssuerRoutes,
): Promise<void> {
  const path = new URL(request.url, 'https://issuer.invalid').pathname;
  const method = request.method.toUpperCase();
  if (path === ISSUER_DIRECTORY_PATH) {
    allow(method, ['GET', 'HEAD'], path);
    const { json, maxAge } = await routes.directory();
    send(
      response,
      200,
      MediaType.DIRECTORY,
      Buffer.from(json),
      { 'cache-control': `public, max-age=${maxAge}` },
      method === 'HEAD',
    );
  } else if (path === TOKEN_REQUEST_PATH) {
    allow(method, ['POST'], path);
    const user = routes.authenticate(request.headers.authorization);
    if (user === null) {
      throw new IssuerHttpError(
        401,
        'unauthorized',
        'missing or unknown api key (authorization: bearer <key>)',
        {
          headers: { 'www-authenticate': 'Bearer realm="mimi-issuer"' },
        },
      );
    }
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const body = await readBody(request, MAX_REQUEST_BODY);
    const answer = await routes.issue(user, type, body);
    send(response, answer.status, answer.contentType, answer.body, {
      'cache-control': 'no-store',
      ...answer.headers,
    });
  } else if (path === '/healthz') {
    allow(method, ['GET', 'HEAD'], path);
    send(
      response,
      200,
      'application/json',
      Buffer.from('{"ok":true}'),
      { 'cache-control': 'no-store' },
      method === 'HEAD',
    );
  } else {
    throw new IssuerHttpError(404, 'not-found', `no resource at ${path}`);
  }
}

function allow(method: string, methods: readonly string[], path: string): void {
  if (!methods.includes(method)) {
    throw new IssuerHttpError(405, 'method-not-allowed', `method ${method} is not allowed on ${path}`, {
      headers: { allow: methods.join(', ') },
    });
  }
}

/** At most `limit` octets: a larger Content-Length fails before reading, a longer body as soon as it grows past. */
async function readBody(request: Http2ServerRequest, limit: number): Promise<Uint8Array> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw new IssuerHttpError(413, 'body-too-large', `request body of ${declared} octets exceeds ${limit}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit)
      throw new IssuerHttpError(413, 'body-too-large', `request body exceeds ${limit} octets`);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

function send(
  response: Http2ServerResponse,
  status: number,
  contentType: string,
  body: Uint8Array,
  headers: Record<string, string>,
  headOnly = false,
): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': body.length, ...headers });
  if (headOnly) response.end();
  else response.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

function sendError(response: Http2ServerResponse, err: unknown): void {
  const known = err instanceof IssuerHttpError;
  const body = JSON.stringify({
    error: known
      ? { code: err.code, message: err.message }
      : { code: 'internal', message: 'internal issuer error' },
  });
  send(response, known ? err.status : 500, 'application/json', Buffer.from(body), {
    'cache-control': 'no-store',
    ...(known ? err.headers : {}),
  });
}
