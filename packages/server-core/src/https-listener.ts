/**
 * The HTTPS listener: HTTP/2 over TLS (RFC 8484 §5.2: "HTTP/2 is the minimum RECOMMENDED
 * version"; ALPN h2, with http/1.1 as a fallback for simple tools), the route table of
 * https-routes.ts, connection limits and a graceful drain.
 *
 * Two ways in. HTTP/2 requests for a route with a `stream` handler (DoH) are answered on
 * the core stream API (`respond` + `end`): no compat request/response objects, no URL
 * object, and no promise unless the handler must wait for a body. Every other request
 * (HTTP/1.1, routes without `stream`, 404/405/415 answers) goes through Node's
 * compatibility layer: the listener takes the 'stream' listener that layer installs and
 * calls it itself for those. Every error answer is JSON `{"error": {code, message}}`
 * (the management API's format, DESIGN §7) with its status from `http-errors.ts`.
 *
 * Limits: SETTINGS_MAX_CONCURRENT_STREAMS and SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113
 * §6.5.2), at most `maxSessions` TCP connections, an idle timeout per connection, a
 * TLS handshake timeout and a per-request timeout (408) against slow senders.
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
import type { HostPort } from './address.js';
import {
  DEFAULT_HTTP_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENT_STREAMS,
  DEFAULT_MAX_HEADER_LIST_SIZE,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
} from './constants.js';
import { errorAnswer, HttpError } from './http-errors.js';
import { type HttpsRoute, RouteTable } from './https-routes.js';
import { installStreamPath } from './https-stream-path.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import type { TlsMaterial } from './tls-files.js';

export type {
  HttpsRoute,
  RouteContext,
  RouteHandler,
  StreamAnswer,
  StreamHandler,
  StreamRequest,
} from './https-routes.js';

export interface HttpsLimits {
  readonly maxConcurrentStreams?: number;
  readonly maxSessions?: number;
  readonly maxHeaderListSize?: number;
  readonly idleTimeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export interface HttpsListenerOptions {
  readonly listen: HostPort;
  readonly tls: TlsMaterial;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  readonly limits?: HttpsLimits;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** How long, beyond the request timeout, a peer gets to end its streams after our idle GOAWAY. */
const GOAWAY_GRACE_MS = 1000;

export class HttpsListener {
  private readonly routes = new RouteTable();
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly requestTimeoutMs: number;
  private readonly http1Sockets = new Set<TLSSocket>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private closing = false;

  private constructor(
    private readonly server: Http2SecureServer,
    private readonly options: HttpsListenerOptions,
  ) {
    this.requestTimeoutMs = options.limits?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  static async start(
    options: HttpsListenerOptions,
    routes: readonly HttpsRoute[] = [],
  ): Promise<HttpsListener> {
    const limits = options.limits ?? {};
    const server = createSecureServer({
      cert: options.tls.cert,
      key: options.tls.key,
      allowHTTP1: true,
      minVersion: 'TLSv1.2',
      handshakeTimeout: limits.handshakeTimeoutMs ?? DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
      settings: {
        maxConcurrentStreams: limits.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS,
        maxHeaderListSize: limits.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE,
      },
    });
    const listener = new HttpsListener(server, options);
    // The first of `routes` takes precedence, as if mounted last.
    for (const route of [...routes].reverse()) listener.routes.mount(route);
    server.maxConnections = limits.maxSessions ?? DEFAULT_MAX_SESSIONS;
    const idleMs = limits.idleTimeoutMs ?? DEFAULT_HTTP_IDLE_TIMEOUT_MS;
    server.on('request', (request, response) => listener.onRequest(request, response));
    // After the 'request' listener: the stream path takes over the compat layer's 'stream' listener.
    const streams = installStreamPath(server, {
      routes: listener.routes,
      logger: options.logger,
      metrics: options.metrics,
      requestTimeoutMs: listener.requestTimeoutMs,
      started: () => listener.inFlight++,
      done: () => listener.requestDone(),
    });
    server.on('session', (session) => {
      listener.sessions.add(session);
      streams.sessionStarted(session);
      // No frame either way for idleMs: GOAWAY (RFC 9113 §6.8), which lets streams in
      // flight finish. This timer is the session's own and every frame restarts it. A
      // socket timeout cannot do this job: node:http2 reads the TLS socket natively, so
      // the socket's timer sees none of the traffic and would cut a busy connection,
      // answers in flight and all, a fixed time after it opened.
      let cut: NodeJS.Timeout | undefined;
      session.setTimeout(idleMs, () => {
        session.close();
        // A peer that keeps streams open after the GOAWAY (or stops reading) is cut once
        // the request timeout has had its chance to end them.
        cut ??= setTimeout(() => session.destroy(), listener.requestTimeoutMs + GOAWAY_GRACE_MS);
        cut.unref();
      });
      session.once('close', () => {
        clearTimeout(cut);
        listener.sessions.delete(session);
      });
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      // HTTP/2 connections are timed by their session (above).
      if (socket.alpnProtocol === 'h2') return;
      // HTTP/1.1 reads through the socket, so its timer sees every byte: idle this long, cut.
      socket.setTimeout(idleMs, () => socket.destroy());
      listener.http1Sockets.add(socket);
      socket.once('close', () => listener.http1Sockets.delete(socket));
    });
    server.on('sessionError', (err) => options.logger.debug({ err }, 'http2 session error'));
    server.on('tlsClientError', (err) => options.logger.debug({ err }, 'tls handshake failed'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.listen.port, options.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => options.logger.error({ err }, 'https listener error'));
    return listener;
  }

  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** Add a route; it takes precedence over routes added before it on the same path. */
  mount(route: HttpsRoute): void {
    this.routes.mount(route);
  }

  /** New certificate and key for new connections (SIGHUP). */
  setTls(material: TlsMaterial): void {
    this.server.setSecureContext({ cert: material.cert, key: material.key });
  }

  /**
   * Stop accepting, let in-flight requests finish (HTTP/2 GOAWAY, RFC 9113 §6.8) for up
   * to `drainMs`, then cut what is left.
   */
  async close(drainMs: number): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.close();
    await this.waitIdle(drainMs);
    for (const session of this.sessions) session.destroy();
    for (const socket of this.http1Sockets) socket.destroy();
    await closed;
  }

  private waitIdle(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiter = () => done();
      this.idleWaiters.push(waiter);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private requestDone(): void {
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  private onRequest(request: Http2ServerRequest, response: Http2ServerResponse): void {
    this.inFlight++;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.options.metrics.httpResponse(response.statusCode);
      this.requestDone();
    };
    response.once('finish', finish);
    response.once('close', finish);
    if (this.closing && request.httpVersionMajor === 1) response.setHeader('connection', 'close');
    request.setTimeout(this.requestTimeoutMs, () => {
      if (!response.headersSent)
        sendError(response, new HttpError(408, 'request-timeout', 'request took too long'));
      else response.stream?.close();
    });
    this.dispatch(request, response).catch((err: unknown) => {
      if (request.aborted) {
        // The client went away mid-request (reset stream, closed connection): nothing to answer.
        this.options.logger.debug({ err, path: request.url }, 'https request aborted');
        return;
      }
      if (!(err instanceof HttpError))
        this.options.logger.error({ err, path: request.url }, 'https route failed');
      if (!response.headersSent) sendError(response, err);
      else response.end();
    });
  }

  private async dispatch(request: Http2ServerRequest, response: Http2ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(request.url, 'https://server.invalid');
    } catch (cause) {
      throw new HttpError(400, 'bad-url', 'request target is not a valid url', { cause });
    }
    const route = this.routes.resolve(
      url.pathname,
      request.method.toUpperCase(),
      request.headers['content-type'],
    );
    if (route instanceof HttpError) throw route;
    const client = request.socket?.remoteAddress ?? '';
    await route.handle(request, response, { client, url, logger: this.options.logger });
  }
}

/** Write an error as JSON with the status `http-errors.ts` gives it. */
export function sendError(response: Http2ServerResponse, err: unknown): void {
  const { status, headers, body } = errorAnswer(err);
  try {
    response.writeHead(status, headers);
    response.end(body);
  } catch {
    // The stream was reset while we answered; there is no one left to tell.
  }
}
