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
import { DNS_MESSAGE_MEDIA_TYPE, DOH_MAX_QUERY_BYTES, DOH_PATH, MAX_TCP_MESSAGE } from './constants.js';
import { decodeDnsParameter, HttpError, mediaType, readBody, statusForOutcome } from './http-errors.js';
import type { HttpsRoute } from './https-listener.js';
import type { ServerMetrics } from './metrics.js';
import type { QueryPipeline } from './pipeline.js';

export function dohRoute(pipeline: QueryPipeline): HttpsRoute {
  return {
    path: DOH_PATH,
    methods: ['GET', 'POST'],
    async handle(request, response, context) {
      let query: Buffer;
      if (request.method === 'GET') {
        const values = context.url.searchParams.getAll('dns');
        if (values.length !== 1) {
          throw new HttpError(400, 'dns-param-missing', 'exactly one dns parameter is required');
        }
        query = decodeDnsParameter(values[0]!, DOH_MAX_QUERY_BYTES);
      } else {
        const type = mediaType(request.headers['content-type']);
        if (type !== DNS_MESSAGE_MEDIA_TYPE) {
          throw new HttpError(
            415,
            'unsupported-media-type',
            `content type '${type}' is not ${DNS_MESSAGE_MEDIA_TYPE}`,
          );
        }
        query = await readBody(request, DOH_MAX_QUERY_BYTES);
      }
      const result = pipeline.process(query, {
        transport: 'doh',
        client: context.client,
        maxResponseSize: MAX_TCP_MESSAGE,
      });
      const status = statusForOutcome(result.outcome);
      if (result.bytes === null || status !== 200) {
        if (status === 429) {
          throw new HttpError(429, 'rate-limited', 'too many queries from this client', {
            headers: { 'retry-after': '1' },
          });
        }
        throw new HttpError(status, 'malformed-query', 'the dns message could not be parsed');
      }
      response.writeHead(200, {
        'content-type': DNS_MESSAGE_MEDIA_TYPE,
        'content-length': result.bytes.length,
        'cache-control': `max-age=${result.maxAge}`,
      });
      response.end(result.bytes);
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
