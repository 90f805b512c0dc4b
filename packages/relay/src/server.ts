/**
 * The relay's HTTPS listener: HTTP/2 over TLS (HTTP/1.1 too, for simple tools), three
 * routes — `POST /proxy` (RFC 9230 §4.1), `GET /healthz`, `GET /metrics` — and a drain
 * on close: answer new requests 503, wait for requests in flight (up to a deadline),
 * then stop listening, GOAWAY, and cut what is left.
 *
 * Per request, cheapest check first: route, per-client token bucket (429), method,
 * media type, parameters and allow-list (proxy-request.ts), body size while reading
 * (413), the global in-flight ceiling (503), then forward.
 *
 * Logs (pino, the server core's logger) keep the relay's privacy rule, which the tests
 * check line by line: no line ever holds both a client's address and a target host —
 * otherwise the log would join what ODoH keeps apart (RFC 9230 §11: "Proxies know the
 * origin and destination of an oblivious query"; nothing more, and not on disk). So:
 * forwarding lines name the target and never the client; limiter lines name the
 * client and never the target; errors name one side only.
 */
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { ClientRateLimiter, errorAnswer, type Logger } from '@mimi/server-core/basics';
import { DRAIN_TIMEOUT_MS, PROXY_PATH } from './constants.js';
import { Forwarder } from './forwarder.js';
import { proxyStatusError, proxyStatusReceived, RelayHttpError } from './http-errors.js';
import { InFlightGate } from './in-flight-gate.js';
import { RelayMetrics } from './metrics.js';
import { checkProxyRequest, tooLarge } from './proxy-request.js';
import type { TargetTable } from './targets.js';
import type { TlsMaterial } from './tls-files.js';

export interface RelayOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMaterial;
  readonly targets: TargetTable;
  readonly ca?: Buffer;
  readonly maxBodyBytes: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly maxClients: number;
  readonly maxInFlight: number;
  readonly upstreamTimeoutMs: number;
  readonly logger: Logger;
  /** Clock for the rate limiter (ms); default Date.now. */
  readonly now?: () => number;
}

export interface RunningRelay {
  readonly port: number;
  /** `https://HOST:PORT/proxy` */
  readonly url: string;
  readonly metrics: RelayMetrics;
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const metrics = new RelayMetrics();
  const buckets = new ClientRateLimiter({
    ratePerSecond: options.ratePerSecond,
    burst: options.burst,
    maxClients: options.maxClients,
  });
  const gate = new InFlightGate(options.maxInFlight);
  /** Every request being handled (not only forwards): what a drain waits for. */
  const handling = new InFlightGate(Number.MAX_SAFE_INTEGER);
  const forwarder = new Forwarder({
    targets: options.targets,
    timeoutMs: options.upstreamTimeoutMs,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    onRetry(target, reason) {
      metrics.retries.inc({ target, reason });
      // The target, never the client.
      logger.info(
        { event: 'upstream-retry', target, reason },
        'connection lost before the answer; sent again',
      );
    },
  });
  let draining = false;

  async function proxy(request: Http2ServerRequest, response: Http2ServerResponse, url: URL): Promise<void> {
    const client = request.socket?.remoteAddress ?? 'unknown';
    if (!buckets.take(client, now())) {
      // The client, never the target: this line must not join the two.
      logger.warn({ event: 'rate-limited', client }, 'client over its rate');
      throw new RelayHttpError('rate-limited', 'too many requests; slow down', 'http_request_denied', {
        'retry-after': '1',
      });
    }
    const { target, path } = checkProxyRequest(
      request.method,
      url,
      { contentType: request.headers['content-type'], contentLength: request.headers['content-length'] },
      options.targets,
      options.maxBodyBytes,
    );
    const body = await readBody(request, options.maxBodyBytes);
    if (body.length === 0)
      throw new RelayHttpError('bad-request', 'empty request body', 'http_request_error');
    if (!gate.tryEnter()) {
      throw new RelayHttpError('overloaded', 'relay busy; try again', 'connection_limit_reached', {
        'retry-after': '1',
      });
    }
    metrics.inFlight.set(gate.active);
    const started = performance.now();
    try {
      const answer = await forwarder.forward(target, path, body);
      const seconds = (performance.now() - started) / 1000;
      metrics.upstream.observe({ target: target.host }, seconds);
      metrics.requests.inc({ outcome: 'forwarded' });
      // The target, never the client.
      logger.info({
        event: 'forwarded',
        target: target.host,
        status: answer.status,
        ms: Math.round(seconds * 1000),
      });
      response.writeHead(answer.status, {
        'cache-control': 'no-store',
        'proxy-status': proxyStatusReceived(answer.status),
        'content-length': String(answer.body.length),
        ...(answer.contentType === undefined ? {} : { 'content-type': answer.contentType }),
      });
      response.end(answer.body);
    } catch (err) {
      if (err instanceof RelayHttpError)
        logger.warn({ event: 'upstream-failed', target: target.host, error: err.proxyError });
      throw err;
    } finally {
      gate.leave();
      metrics.inFlight.set(gate.active);
    }
  }

  async function handle(request: Http2ServerRequest, response: Http2ServerResponse): Promise<void> {
    const url = new URL(request.url, 'https://relay.invalid');
    // Counted until the stream closes — after the answer is flushed, not merely written.
    handling.tryEnter();
    response.once('close', () => handling.leave());
    try {
      if (draining) throw new RelayHttpError('shutting-down', 'relay shutting down', 'proxy_internal_error');
      if (url.pathname === PROXY_PATH) return await proxy(request, response, url);
      if (url.pathname === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
        response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        return void response.end('ok\n');
      }
      if (url.pathname === '/metrics' && request.method === 'GET') {
        const text = await metrics.registry.metrics();
        response.writeHead(200, { 'content-type': metrics.registry.contentType });
        return void response.end(text);
      }
      throw new RelayHttpError('not-found', `no resource ${url.pathname}`, 'http_request_error');
    } catch (err) {
      const error =
        err instanceof RelayHttpError
          ? err
          : new RelayHttpError('upstream-failed', 'internal relay error', 'proxy_internal_error');
      if (!(err instanceof RelayHttpError))
        logger.error({ event: 'internal-error', err }, 'unexpected failure');
      if (url.pathname === PROXY_PATH) metrics.requests.inc({ outcome: error.code });
      if (!response.headersSent) {
        const answer = errorAnswer(error);
        response.writeHead(answer.status, {
          ...answer.headers,
          'proxy-status': proxyStatusError(error.proxyError, error.message),
        });
        response.end(answer.body);
      } else {
        response.destroy();
      }
    }
  }

  const server: Http2SecureServer = createSecureServer({
    cert: options.tls.cert,
    key: options.tls.key,
    allowHTTP1: true,
    minVersion: 'TLSv1.2',
  });
  const sessions = new Set<ServerHttp2Session>();
  const sockets = new Set<Socket>();
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on(
    'request',
    (request: Http2ServerRequest, response: Http2ServerResponse) => void handle(request, response),
  );
  // A misbehaving client must not take the process down; its socket is simply dropped.
  server.on('tlsClientError', () => {});
  server.on('sessionError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `https://${hostPart}:${port}${PROXY_PATH}`;
  logger.info({ event: 'listening', url, targets: options.targets.size }, 'relay listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    url,
    metrics,
    close() {
      closing ??= (async () => {
        draining = true;
        // Finish what is in flight before closing the server, which sends GOAWAY: some
        // clients (undici) fail every open stream on GOAWAY, even those still answered.
        const deadline = new Promise<void>((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref());
        await Promise.race([handling.whenIdle(), deadline]);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const session of sessions) session.close();
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        await stopped;
        await forwarder.close();
        logger.info({ event: 'stopped' }, 'relay stopped');
      })();
      return closing;
    },
  };
}

/** The whole body, or 413 as soon as it passes `max` bytes. */
async function readBody(request: Http2ServerRequest, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > max) throw tooLarge(max);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}
