/**
 * The client side of the authoritative DP's management API (DESIGN §7):
 *
 *   POST <api>/v1/mappings | /v1/removals   {"object": "<base64url, unpadded>"}
 *   → 200 {"ok": true, "csi", "serial" | "epoch", ...}
 *   → 4xx/5xx {"error": {"code", "message"}}
 *
 * over HTTP/2 + TLS with the certificate checked against the DP's HOST NAME (DESIGN
 * §3), through the stub resolver's connection pools. The servers of a delegation are
 * tried in order: a server that cannot be reached, or answers 5xx, passes the object on
 * to the next. Sending the same signed bytes twice is safe (DESIGN §4: "a byte-identical
 * retry of the last accepted object gets the same 200 again").
 */
import { toBase64Url } from '@mimi/crypto';
import type { HttpsPools } from '@mimi/stub-resolver';
import { CliError } from '../errors.js';

export type ApiEndpoint = 'mappings' | 'removals';

/** One DP server: the base URL of its API and the name its certificate must carry. */
export interface DpTarget {
  /** `https://address:port` (DESIGN §7: the API is on the DoH listener, at `/v1/...`). */
  readonly api: string;
  /** TLS name: a host name such as `tel.nic.mimi.arpa`, or the address itself. */
  readonly host: string;
}

/** What the DP said on 200. */
export interface Accepted {
  readonly kind: string;
  readonly csi: string;
  readonly serial?: number | undefined;
  readonly epoch?: number | undefined;
  /** Ids of the mappings the change removed (`new`, a removal, an unassignment, a new epoch). */
  readonly removed: readonly string[];
}

export type ApiAnswer =
  | { readonly ok: true; readonly dp: DpTarget; readonly accepted: Accepted }
  | {
      readonly ok: false;
      readonly dp: DpTarget;
      readonly status: number;
      readonly code: string;
      readonly message: string;
    };

/** No DP answer we use is anywhere near this; a larger one is not a DP talking. */
const MAX_RESPONSE_OCTETS = 65_536;
/** Per server: a publish is one small request and one fsync at the DP. */
export const DEFAULT_API_TIMEOUT_MS = 30_000;

/** `host (api)` for messages: the name a person knows the server by, and where it is. */
export function describeTarget(dp: DpTarget): string {
  return dp.host === new URL(dp.api).hostname.replace(/^\[|\]$/g, '') ? dp.api : `${dp.api} (${dp.host})`;
}

async function readLimited(body: AsyncIterable<Buffer | Uint8Array>): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > MAX_RESPONSE_OCTETS) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function optionalUint(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** The 200 body, checked; undefined when it is not what DESIGN §7 promises. */
export function parseAccepted(body: unknown): Accepted | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (record.ok !== true || typeof record.csi !== 'string') return undefined;
  const removed = Array.isArray(record.removed)
    ? record.removed.filter((id): id is string => typeof id === 'string')
    : [];
  return {
    kind: typeof record.kind === 'string' ? record.kind : 'unknown',
    csi: record.csi,
    serial: optionalUint(record.serial),
    epoch: optionalUint(record.epoch),
    removed,
  };
}

/** `{"error": {"code", "message"}}`, or a stand-in naming the HTTP status. */
export function parseRefusal(status: number, body: unknown): { code: string; message: string } {
  const error =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as Record<string, unknown>;
    if (typeof code === 'string' && code !== '') {
      return { code, message: typeof message === 'string' ? message : '' };
    }
  }
  return { code: `http-${status}`, message: `http status ${status} without an error body` };
}

/** Why a server could not be reached, in words. */
export function transportProblem(err: unknown, dp: DpTarget, timeoutMs: number): string {
  const code = String((err as { code?: unknown }).code ?? '');
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its address does not resolve';
  if (/TIMEOUT/.test(code)) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return `its tls certificate is not valid for ${dp.host} (${code.toLowerCase()})`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return (code === '' ? message : `${message} (${code})`).toLowerCase();
}

export interface PostOptions {
  readonly timeoutMs?: number;
}

async function postOnce(
  pools: HttpsPools,
  dp: DpTarget,
  endpoint: ApiEndpoint,
  body: string,
  timeoutMs: number,
): Promise<ApiAnswer> {
  const pool = pools.poolFor(new URL(dp.api).origin, dp.host);
  const response = await pool.request({
    path: `/v1/${endpoint}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const json = parseJson(await readLimited(response.body));
  if (response.statusCode === 200) {
    const accepted = parseAccepted(json);
    if (accepted !== undefined) return { ok: true, dp, accepted };
    return {
      ok: false,
      dp,
      status: 200,
      code: 'bad-answer',
      message: 'the 200 answer is not {"ok": true, ...}',
    };
  }
  return { ok: false, dp, status: response.statusCode, ...parseRefusal(response.statusCode, json) };
}

/**
 * POST `object` to the first of `targets` that answers. Resolves to the DP's answer
 * (acceptance or refusal); throws CliError `server-error` when none could be reached.
 */
export async function postObject(
  pools: HttpsPools,
  targets: readonly DpTarget[],
  endpoint: ApiEndpoint,
  object: Uint8Array,
  options: PostOptions = {},
): Promise<ApiAnswer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  const body = JSON.stringify({ object: toBase64Url(object) });
  const failures: string[] = [];
  let serverError: ApiAnswer | undefined;
  for (const dp of targets) {
    try {
      const answer = await postOnce(pools, dp, endpoint, body, timeoutMs);
      // A server error is this server's trouble: another server of the zone may do better.
      if (!answer.ok && answer.status >= 500) {
        serverError ??= answer;
        continue;
      }
      return answer;
    } catch (err) {
      failures.push(`${describeTarget(dp)}: ${transportProblem(err, dp, timeoutMs)}`);
    }
  }
  if (serverError !== undefined) return serverError;
  const [first, ...more] = failures;
  throw new CliError(
    'server-error',
    `cannot reach the dp at ${first ?? 'no server'}${more.length === 0 ? '' : ` (and ${more.length} more servers failed)`}`,
    { details: { endpoint, failures } },
  );
}
