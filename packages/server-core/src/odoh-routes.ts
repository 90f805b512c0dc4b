/**
 * The Oblivious DoH target routes (RFC 9230 §4.3, §8; DESIGN §7):
 *
 * - `POST /dns-query` with `application/oblivious-dns-message`: open the query with the
 *   key ring, run the DNS query through the SAME pipeline as every other transport
 *   (rate limits, hooks such as the token check, answer cache; transport `odoh`), seal
 *   the answer (padded to 468-octet blocks inside the ODoH plaintext) and reply 200
 *   with the same media type. 401 for a key id we do not hold (§4.3: the client then
 *   fetches fresh configs), 400 for a message that does not decode, decrypt or unpad.
 * - `GET /.well-known/odohconfigs`: the ObliviousDoHConfigs bytes.
 *
 * DNS outcomes stay inside the encryption: a FORMERR or REFUSED is a sealed 200, so the
 * relay learns nothing about the query from the status. Only what concerns the relay
 * itself shows: 429 when the relay's address is over the rate limit (every ODoH query
 * arrives from the relay), 400 for a message the pipeline will not answer at all.
 *
 * §4.2: ODoH messages are encrypted under ephemeral keys, so responses are
 * `Cache-Control: no-store`.
 */
import {
  answerObliviousQuery,
  ODOH_MEDIA_TYPE,
  RESPONSE_PADDING_BLOCK,
  WELL_KNOWN_CONFIGS_PATH,
} from '@mimi/odoh';
import { Counter, type Registry } from 'prom-client';
import { DOH_MAX_QUERY_BYTES, DOH_PATH, MAX_TCP_MESSAGE } from './constants.js';
import { HttpError, readBody } from './http-errors.js';
import type { HttpsRoute } from './https-listener.js';
import type { OdohTarget } from './odoh-target.js';
import type { QueryPipeline } from './pipeline.js';

/**
 * Largest ODoH request body: a query of our DoH limit (4,096 octets), its padding to a
 * 128-octet block (RFC 8467 §4.1) and the ODoH framing — type, key id, HPKE `enc`,
 * lengths, AEAD tag: under 100 octets (RFC 9230 §6.1) — with room to spare.
 */
export const ODOH_MAX_BODY_BYTES = 2 * DOH_MAX_QUERY_BYTES;

/** Media type of the configs document (RFC 9230 defines none; these are plain bytes). */
export const ODOH_CONFIGS_MEDIA_TYPE = 'application/octet-stream';

export function odohQueryRoute(
  target: Pick<OdohTarget, 'ring'>,
  pipeline: QueryPipeline,
  registry?: Registry,
): HttpsRoute {
  const outcomes =
    registry === undefined
      ? null
      : new Counter({
          name: 'mimi_odoh_queries_total',
          help: 'Oblivious DoH requests, by outcome (answered, or the odoh error code)',
          labelNames: ['outcome'],
          registers: [registry],
        });
  return {
    path: DOH_PATH,
    methods: ['POST'],
    contentType: ODOH_MEDIA_TYPE,
    async handle(request, response, context) {
      const body = await readBody(request, ODOH_MAX_BODY_BYTES);
      const answer = await answerObliviousQuery(
        target.ring,
        body,
        async (query) => {
          const result = pipeline.process(query, {
            transport: 'odoh',
            client: context.client,
            maxResponseSize: MAX_TCP_MESSAGE,
          });
          if (result.outcome === 'rate-limited') {
            throw new HttpError(429, 'rate-limited', 'too many queries from this client', {
              headers: { 'retry-after': '1' },
            });
          }
          if (result.bytes === null) {
            throw new HttpError(400, 'malformed-query', 'the dns message inside could not be answered');
          }
          return result.bytes;
        },
        { paddingTo: RESPONSE_PADDING_BLOCK },
      );
      if (answer.status !== 200 || answer.error !== undefined) {
        const error = answer.error ?? { code: 'odoh-error', message: 'odoh query failed' };
        outcomes?.labels(error.code).inc();
        throw new HttpError(answer.status, error.code, error.message);
      }
      outcomes?.labels('answered').inc();
      response.writeHead(200, {
        'content-type': ODOH_MEDIA_TYPE,
        'content-length': answer.body.length,
        'cache-control': 'no-store',
      });
      response.end(answer.body);
    },
  };
}

export function odohConfigsRoute(target: Pick<OdohTarget, 'configs' | 'maxConfigAgeSeconds'>): HttpsRoute {
  return {
    path: WELL_KNOWN_CONFIGS_PATH,
    methods: ['GET'],
    handle(_request, response) {
      const configs = target.configs();
      response.writeHead(200, {
        'content-type': ODOH_CONFIGS_MEDIA_TYPE,
        'content-length': configs.length,
        'cache-control': `max-age=${target.maxConfigAgeSeconds}`,
      });
      response.end(configs);
    },
  };
}
