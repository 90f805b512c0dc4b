/**
 * Fetching an issuer's directory (RFC 9578 §4) with HTTP freshness: "Consumers of the
 * Issuer directory resource SHOULD follow the usual HTTP caching [RFC9111] semantics".
 * Our issuer sets `Cache-Control: max-age` to the rest of its key epoch, so a directory
 * goes stale exactly when the issuer rotates keys.
 */

import { parseIssuerUrl } from './challenge.js';
import { ISSUER_DIRECTORY_PATH, MediaType } from './constants.js';
import { type IssuerDirectory, parseDirectory } from './directory.js';
import { TokenError } from './errors.js';
import { type HttpAnswer, headerValue, type IssuerHttp, mediaTypeOf } from './http.js';

/** Freshness when the issuer gives no max-age (RFC 9111 §4.2.2 leaves heuristics to us). */
const DEFAULT_FRESHNESS_S = 300;
/** Bounds on an issuer's max-age: refetch at most once a second, at least once a day. */
const MIN_FRESHNESS_S = 1;
const MAX_FRESHNESS_S = 86_400;

export interface FetchedDirectory {
  readonly directory: IssuerDirectory;
  readonly fetchedAtMs: number;
  /** After this the directory is stale and should be fetched again. */
  readonly freshUntilMs: number;
}

export function directoryUrlOf(issuerUrl: string): string {
  return new URL(ISSUER_DIRECTORY_PATH, parseIssuerUrl(issuerUrl)).href;
}

/** RFC 9111 §5.2.2.1 max-age in seconds, clamped; no-store/no-cache count as the minimum. */
export function freshnessSeconds(cacheControl: string | undefined): number {
  if (cacheControl === undefined) return DEFAULT_FRESHNESS_S;
  if (/(?:^|,)\s*no-(?:store|cache)\s*(?:,|$)/i.test(cacheControl)) return MIN_FRESHNESS_S;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(?:,|$)/i.exec(cacheControl);
  if (match === null) return DEFAULT_FRESHNESS_S;
  return Math.min(MAX_FRESHNESS_S, Math.max(MIN_FRESHNESS_S, Number(match[1])));
}

export async function fetchDirectory(
  http: IssuerHttp,
  issuerUrl: string,
  nowMs: number,
): Promise<FetchedDirectory> {
  const url = directoryUrlOf(issuerUrl);
  const answer: HttpAnswer = await http.get(url, MediaType.DIRECTORY);
  if (answer.status !== 200) {
    throw new TokenError('issuer-error', `issuer directory ${url} answered http ${answer.status}`, {
      details: { url, status: answer.status },
    });
  }
  const type = mediaTypeOf(answer.headers);
  if (type !== MediaType.DIRECTORY && type !== 'application/json') {
    throw new TokenError('issuer-bad-response', `issuer directory ${url} has content type '${type}'`);
  }
  const directory = parseDirectory(answer.body.toString('utf8'), url);
  const maxAge = freshnessSeconds(headerValue(answer.headers, 'cache-control'));
  return { directory, fetchedAtMs: nowMs, freshUntilMs: nowMs + maxAge * 1000 };
}
