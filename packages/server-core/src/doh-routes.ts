/**
 * The built-in HTTPS routes: DoH at `/dns-query` (RFC 8484 §4.1: GET with `?dns=`,
 * POST with an `application/dns-message` body), `GET /healthz` and `GET /metrics`
 * (DESIGN §7).
 *
 * RFC 8484 §4.2.1: "A successful HTTP response with a 2xx status code is used for any
 * valid DNS response, regardless of the DNS response code"; a message we cannot parse
 * is 400. §5.1: the response's freshness lifetime must not exceed the smallest TTL in
 * it, so `max-age` is the time left on our cached answer (itself ≤ that TTL).
 */
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { DNS_MESSAGE_MEDIA_TYPE, DOH_MAX_QUERY_BYTES, DOH_PATH, MAX_TCP_MESSAGE } from './constants.js';
import {
  decodeDnsParameter,
  dnsParameterOf,
  HttpError,
  mediaType,
  readBody,
  readStreamBody,
  statusForOutcome,
} from './http-errors.js';
import type { HttpsRoute, StreamAnswer, StreamRequest } from './https-routes.js';
import type { ServerMetrics } from './metrics.js';
import type { QueryPipeline } from './pipeline.js';

/** `Cache-Control` values by max-age, made once each (most answers share a few TTLs). */
const CACHE_CONTROL: string[] = [];
const CACHE_CONTROL_MEMO_LIMIT = 86_400;

function cacheControl(maxAge: number): string {
  if (maxAge >= CACHE_CONTROL_MEMO_LIMIT) return `max-age=${maxAge}`;
  let value = CACHE_CONTROL[maxAge];
  if (value === undefined) {
    value = `max-age=${maxAge}`;
    CACHE_CONTROL[maxAge] = value;
  }
  return value;
}

/** The query of a GET: the one `dns` parameter, strictly decoded. */
function getQuery(search: string, path: string): Buffer {
  return decodeDnsParameter(dnsParameterOf(search, path), DOH_MAX_QUERY_BYTES);
}

function checkPostType(contentType: string | undefined): void {
  const type = mediaType(contentType);
  if (type !== DNS_MESSAGE_MEDIA_TYPE) {
    throw new HttpError(
      415,
      'unsupported-media-type',
      `content type '${type}' is not ${DNS_MESSAGE_MEDIA_TYPE}`,
    );
  }
}

/** The raw query string of a request target ('' when none). */
function searchOf(target: string): string {
  const mark = target.indexOf('?');
  return mark < 0 ? '' : target.slice(mark + 1);
}

/**
 * Run one DoH query through the pipeline: the response bytes and their max-age, or
 * the HttpError of RFC 8484 §4.2.1 (400 for what we cannot parse, 429 over the limit).
 */
function answerQuery(pipeline: QueryPipeline, query: Uint8Array, client: string): StreamAnswer {
  const result = pipeline.process(query, { transport: 'doh', client, maxResponseSize: MAX_TCP_MESSAGE });
  const status = statusForOutcome(result.outcome);
  if (result.bytes === null || status !== 200) {
    if (status === 429) {
      throw new HttpError(429, 'rate-limited', 'too many queries from this client', {
        headers: { 'retry-after': '1' },
      });
    }
    throw new HttpError(status, 'malformed-query', 'the dns message could not be parsed');
  }
  return {
    headers: {
      ':status': 200,
      'content-type': DNS_MESSAGE_MEDIA_TYPE,
      'content-length': result.bytes.length,
      'cache-control': cacheControl(result.maxAge),
    },
    body: result.bytes,
  };
}

/**
 * DoH at `/dns-query`: `stream` on HTTP/2 (a GET answered from the answer cache is one
 * synchronous call: no promise, no request objects), `handle` for HTTP/1.1. Both give
 * the same bytes, statuses and headers.
 */
export function dohRoute(pipeline: QueryPipeline): HttpsRoute {
  return {
    path: DOH_PATH,
    methods: ['GET', 'POST'],
    async handle(request: Http2ServerRequest, response: Http2ServerResponse, context) {
      let query: Buffer;
      if (request.method === 'GET') {
        query = getQuery(searchOf(request.url), request.url);
      } else {
        checkPostType(request.headers['content-type']);
        query = await readBody(request, DOH_MAX_QUERY_BYTES);
      }
      const { headers, body } = answerQuery(pipeline, query, context.client);
      const { ':status': status, ...rest } = headers;
      response.writeHead(status, rest);
      response.end(body);
    },
    stream(request: StreamRequest) {
      if (request.method === 'GET') {
        return answerQuery(pipeline, getQuery(request.search, request.path), request.client);
      }
      checkPostType(request.headers['content-type']);
      return readStreamBody(request.stream, request.headers, DOH_MAX_QUERY_BYTES).then((query) =>
        answerQuery(pipeline, query, request.client),
      );
    },
  };
}

export function healthRoute(): HttpsRoute {
  return {
    path: '/healthz',
    methods: ['GET'],
    handle(_request, response) {
      const body = '{"status":"ok"}';
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': body.length,
        'cache-control': 'no-store',
      });
      response.end(body);
    },
  };
}

export function metricsRoute(metrics: ServerMetrics): HttpsRoute {
  return {
    path: '/metrics',
    methods: ['GET'],
    async handle(_request, response) {
      const { contentType, body } = await metrics.exposition();
      response.writeHead(200, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      response.end(body);
    },
  };
}
