/**
 * The HTTP/2 fast path of the HTTPS listener (RFC 9113 §8: one request per stream):
 * requests for a route with a `stream` handler are answered with the core API —
 * `stream.respond(headers)` then `stream.end(body)` — without the compatibility
 * layer's request and response objects, without a URL object, and, when the handler
 * answers at once (a DoH GET from the answer cache), without a promise or a timer.
 *
 * Node's compatibility layer listens to the server's 'stream' event once a 'request'
 * listener exists (http2 `setupCompat`). `installStreamPath` takes that listener off
 * and calls it itself for every stream the fast path leaves: HTTP/2 requests for other
 * routes, targets that need URL parsing, `Expect`, and whatever ends in 404/405/415.
 * Should a Node version wire it differently (not exactly one 'stream' listener), the
 * compatibility layer simply keeps every request.
 */
import type {
  Http2SecureServer,
  IncomingHttpHeaders,
  ServerHttp2Session,
  ServerHttp2Stream,
} from 'node:http2';
import { errorAnswer, HttpError } from './http-errors.js';
import type { RouteTable, StreamAnswer } from './https-routes.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';

export interface StreamPathOptions {
  readonly routes: RouteTable;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  /** A handler still waiting after this long (a body that does not come) is answered 408. */
  readonly requestTimeoutMs: number;
  /** A handler began to wait (for drain: count it in flight), and finished. */
  readonly started: () => void;
  readonly done: () => void;
}

export interface StreamPath {
  /** Remember the session's peer address (read once per connection, not per stream). */
  sessionStarted(session: ServerHttp2Session): void;
}

type StreamListener = (
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  flags: number,
  rawHeaders: string[],
) => void;

/** A stream reset by the client emits 'error'; with nothing listening, that would end the process. */
function ignoreStreamError(): void {}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>).then === 'function';
}

/** Install the fast path on `server` (after its 'request' listener). */
export function installStreamPath(server: Http2SecureServer, options: StreamPathOptions): StreamPath {
  const clients = new WeakMap<ServerHttp2Session, string>();
  const path: StreamPath = {
    sessionStarted: (session) => clients.set(session, session.socket?.remoteAddress ?? ''),
  };
  const installed = server.listeners('stream') as StreamListener[];
  if (installed.length !== 1) return path;
  const compat = installed[0]!;
  server.removeListener('stream', compat);
  const onStream: StreamListener = (stream, headers, flags, rawHeaders) => {
    if (!answer(stream, headers)) compat.call(server, stream, headers, flags, rawHeaders);
  };
  server.on('stream', onStream);
  return path;

  /** Answer on the fast path; false leaves the stream to the compatibility layer. */
  function answer(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): boolean {
    const target = headers[':path'];
    const method = headers[':method'];
    if (typeof target !== 'string' || typeof method !== 'string' || headers.expect !== undefined)
      return false;
    const mark = target.indexOf('?');
    const route = options.routes.resolve(
      mark < 0 ? target : target.slice(0, mark),
      method,
      headers['content-type'],
    );
    // No route for the literal path: the compat layer's URL parsing decides (and answers errors).
    if (route instanceof HttpError || route.stream === undefined) return false;
    stream.on('error', ignoreStreamError);
    let result: StreamAnswer | Promise<StreamAnswer>;
    try {
      result = route.stream({
        stream,
        headers,
        method,
        path: target,
        search: mark < 0 ? '' : target.slice(mark + 1),
        client: clients.get(stream.session as ServerHttp2Session) ?? '',
        logger: options.logger,
      });
    } catch (err) {
      fail(stream, err, target);
      return true;
    }
    if (isPromise(result)) wait(stream, result, target);
    else respond(stream, result);
    return true;
  }

  /** A handler waiting for a body: counted in flight, bounded by the request timeout (408). */
  function wait(stream: ServerHttp2Stream, result: Promise<StreamAnswer>, target: string): void {
    options.started();
    stream.setTimeout(options.requestTimeoutMs, () => {
      if (!stream.headersSent) {
        fail(stream, new HttpError(408, 'request-timeout', 'request took too long'), target);
      } else stream.close();
    });
    result
      .then(
        (done) => respond(stream, done),
        (err: unknown) => fail(stream, err, target),
      )
      .finally(() => {
        stream.setTimeout(0);
        options.done();
      });
  }

  function respond(stream: ServerHttp2Stream, result: StreamAnswer): void {
    // Already answered (408), or the client reset the stream: there is no one to tell.
    if (stream.destroyed || stream.headersSent) return;
    try {
      stream.respond(result.headers);
      stream.end(result.body);
    } catch {
      return;
    }
    options.metrics.httpResponse(result.headers[':status']);
  }

  function fail(stream: ServerHttp2Stream, err: unknown, target: string): void {
    if (stream.destroyed || stream.aborted) {
      options.logger.debug({ err, path: target }, 'https request aborted');
      return;
    }
    if (!(err instanceof HttpError)) options.logger.error({ err, path: target }, 'https route failed');
    if (stream.headersSent) {
      stream.close();
      return;
    }
    const { status, headers, body } = errorAnswer(err);
    respond(stream, { headers: { ...headers, ':status': status }, body });
  }
}
