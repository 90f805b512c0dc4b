/**
 * Routes of the HTTPS listener and the one table that picks a route for a request:
 * the exact path, then the method, then (optionally) the request media type, so a
 * later `mount` can put ODoH (`application/oblivious-dns-message`) on `/dns-query`
 * beside DoH. No route on the path is 404, a known path with the wrong method 405
 * with `Allow` (RFC 9110 §15.5.6), a method with no route for the media type 415.
 *
 * A route answers through the HTTP/2 compatibility API (`handle`: request/response
 * objects, also used for HTTP/1.1); it may add `stream`, the same answer on the HTTP/2
 * core stream API, which the listener then uses for HTTP/2 requests: no request and
 * response objects, no URL object, and for a synchronous answer no promise.
 */
import type {
  Http2ServerRequest,
  Http2ServerResponse,
  IncomingHttpHeaders,
  OutgoingHttpHeaders,
  ServerHttp2Stream,
} from 'node:http2';
import { HttpError, mediaType } from './http-errors.js';
import type { Logger } from './logger.js';

export interface RouteContext {
  /** The client's address (TCP peer). */
  readonly client: string;
  readonly url: URL;
  readonly logger: Logger;
}

export type RouteHandler = (
  request: Http2ServerRequest,
  response: Http2ServerResponse,
  context: RouteContext,
) => void | Promise<void>;

/** An HTTP/2 request as the core API delivers it (nothing parsed beyond the `?`). */
export interface StreamRequest {
  readonly stream: ServerHttp2Stream;
  readonly headers: IncomingHttpHeaders;
  readonly method: string;
  /** The `:path` pseudo-header as received. */
  readonly path: string;
  /** What follows the first `?` of `path`, not decoded ('' when there is none). */
  readonly search: string;
  readonly client: string;
  readonly logger: Logger;
}

/** A complete answer for the stream API: headers with `:status`, and the body. */
export interface StreamAnswer {
  readonly headers: OutgoingHttpHeaders & { readonly ':status': number };
  readonly body: Buffer | string;
}

/** Throw HttpError for an error answer; return a promise only when the answer must wait (a body). */
export type StreamHandler = (request: StreamRequest) => StreamAnswer | Promise<StreamAnswer>;

export interface HttpsRoute {
  /** Exact path, e.g. `/v1/mappings`. */
  readonly path: string;
  /** Upper-case methods this route answers. */
  readonly methods: readonly string[];
  /** When set, only requests with this media type (Content-Type without parameters) match. */
  readonly contentType?: string;
  readonly handle: RouteHandler;
  /** The same route on the HTTP/2 core stream API (the DoH hot path). */
  readonly stream?: StreamHandler;
}

export class RouteTable {
  private readonly routes: HttpsRoute[] = [];

  /** Add a route; it takes precedence over routes added before it on the same path. */
  mount(route: HttpsRoute): void {
    this.routes.unshift(route);
  }

  /**
   * The route for (path, method, Content-Type header), or the HttpError that answers
   * the request instead (404, 405 with Allow, 415). No allocation when a route matches.
   */
  resolve(path: string, method: string, contentType: string | undefined): HttpsRoute | HttpError {
    let onPath = false;
    let onMethod = false;
    let type: string | undefined;
    for (const route of this.routes) {
      if (route.path !== path) continue;
      onPath = true;
      if (!route.methods.includes(method)) continue;
      onMethod = true;
      if (route.contentType === undefined) return route;
      type ??= mediaType(contentType);
      if (route.contentType === type) return route;
    }
    if (!onPath) return new HttpError(404, 'not-found', `no resource at ${path}`);
    if (!onMethod) {
      const allow = [...new Set(this.routes.filter((r) => r.path === path).flatMap((r) => r.methods))];
      return new HttpError(405, 'method-not-allowed', `method ${method} is not allowed on ${path}`, {
        headers: { allow: allow.join(', ') },
      });
    }
    return new HttpError(
      415,
      'unsupported-media-type',
      `content type '${type ?? mediaType(contentType)}' is not accepted on ${path}`,
    );
  }
}
