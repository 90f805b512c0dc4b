/**
 * The management API of the authoritative DP (DESIGN §7), on the DoH listener:
 *
 *   POST /v1/mappings   {"object": "<base64url mapping>"}
 *   POST /v1/removals   {"object": "<base64url removal or unassignment>"}
 *
 * → 200 {"ok": true, "kind", "csi", "serial" | "epoch", "removed": [ids]}, or an
 * HttpError from api-errors.ts. Per request: the client's token bucket (429), then
 * the checks of submission.ts (size, decode, zone, signatures), then the store (state
 * rules, one durable transaction). The store's change event makes the engine re-sign
 * the owner's RRsets and server-core drop its cached answers for that name, so the
 * next query sees the change. A byte-identical retry of the last accepted object
 * gets the same 200 (the store returns the same result).
 */
import type { Http2ServerResponse } from 'node:http2';
import type { ChangeResult, MappingStore } from '@mimi/authority';
import type { CsipKeyRecord } from '@mimi/protocol';
import { ClientRateLimiter, HttpError, type HttpsRoute, type Logger } from '@mimi/server-core';
import { apiError, fromStoreError } from './api-errors.js';
import { readRequestObject } from './request-object.js';
import {
  checkServed,
  decodeSubmission,
  type Endpoint,
  type Submission,
  type SubmissionContext,
  verifySubmission,
} from './submission.js';

/** DESIGN §7: the JSON body of requests. */
export const API_MEDIA_TYPE = 'application/json';
/** Clients remembered by the rate limiter (the least recently seen are forgotten). */
const RATE_LIMIT_CLIENTS = 10_000;

export interface ManagementApiOptions {
  readonly store: MappingStore;
  /** True when a served zone holds the owner name (AuthorityEngine.isAuthoritativeFor). */
  readonly isServed: (owner: string) => boolean;
  readonly csipKeys: (csipId: string) => Promise<CsipKeyRecord[]>;
  /** Apex of the discovery network (DESIGN §3). */
  readonly apex: string;
  /** Requests per second per client; 0 turns the limit off. Burst: twice the rate. */
  readonly requestsPerSecond: number;
  readonly logger: Logger;
  /** Milliseconds since the Unix epoch; default Date.now. */
  readonly clock?: () => number;
  /** Told the outcome of every request: `ok` or the refusal's code. */
  readonly onOutcome?: (endpoint: Endpoint, code: string) => void;
}

/** The success body; the same ChangeResult (a retry) gives the same bytes. */
export function successBody(result: ChangeResult): string {
  return JSON.stringify({
    ok: true,
    kind: result.kind,
    csi: result.csi,
    ...(result.serial === undefined ? {} : { serial: result.serial }),
    ...(result.epoch === undefined ? {} : { epoch: result.epoch }),
    removed: result.removedIds,
  });
}

function applyToStore(store: MappingStore, submission: Submission, now: number) {
  try {
    switch (submission.kind) {
      case 'mapping':
        return store.publish(submission.bytes, now);
      case 'removal':
        return store.remove(submission.bytes, now);
      case 'unassignment':
        return store.unassign(submission.bytes, now);
    }
  } catch (err) {
    throw fromStoreError(err);
  }
}

function send(response: Http2ServerResponse, body: string): void {
  response.writeHead(200, {
    'content-type': API_MEDIA_TYPE,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(body);
}

export function managementRoutes(options: ManagementApiOptions): HttpsRoute[] {
  const clock = options.clock ?? Date.now;
  const limiter = new ClientRateLimiter({
    ratePerSecond: options.requestsPerSecond,
    maxClients: RATE_LIMIT_CLIENTS,
  });

  const route = (endpoint: Endpoint): HttpsRoute => ({
    path: `/v1/${endpoint}`,
    methods: ['POST'],
    contentType: API_MEDIA_TYPE,
    async handle(request, response, context) {
      try {
        if (!limiter.take(context.client, clock())) {
          throw apiError('rate-limited', `too many requests from ${context.client}; slow down`);
        }
        const bytes = await readRequestObject(request);
        const now = Math.floor(clock() / 1000);
        const checks: SubmissionContext = {
          now,
          apex: options.apex,
          isServed: options.isServed,
          csipKeys: options.csipKeys,
        };
        const submission = decodeSubmission(endpoint, bytes);
        checkServed(submission, checks);
        await verifySubmission(submission, checks);
        const accepted = applyToStore(options.store, submission, now);
        send(response, successBody(accepted.result));
        options.onOutcome?.(endpoint, 'ok');
        const { kind, serial, epoch, removedIds } = accepted.result;
        options.logger.info(
          { kind, serial, epoch, removed: removedIds.length, retry: accepted.retry },
          'management change accepted',
        );
      } catch (err) {
        const code = err instanceof HttpError ? err.code : 'internal';
        options.onOutcome?.(endpoint, code);
        options.logger.debug({ endpoint, code, client: context.client }, 'management request refused');
        throw err;
      }
    },
  });
  return [route('mappings'), route('removals')];
}
