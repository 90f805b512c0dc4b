/**
 * Checks of a client's request to `/proxy` before any body is read or anything is sent
 * upstream (RFC 9230 §4.1): POST only; `Content-Type: application/oblivious-dns-message`
 * (else 415); exactly one `targethost` and one `targetpath`, no other parameter (else
 * 400: "If the Proxy fails to match the "targethost" and "targetpath" variables ... it
 * MUST treat the request as malformed"); the host on the allow-list and the path one of
 * its paths (else 403 — the relay is never an open proxy); a declared length within the
 * limit (else 413).
 */
import { ODOH_MEDIA_TYPE } from './constants.js';
import { RelayHttpError } from './http-errors.js';
import { normalizeHost, type TargetEntry, type TargetTable } from './targets.js';

export interface ProxyTarget {
  readonly target: TargetEntry;
  readonly path: string;
}

/** The media type without parameters, lowercase (RFC 9110 §8.3.1: type and subtype are case-insensitive). */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function checkProxyRequest(
  method: string,
  url: URL,
  headers: { readonly contentType: string | undefined; readonly contentLength: string | undefined },
  targets: TargetTable,
  maxBodyBytes: number,
): ProxyTarget {
  if (method !== 'POST') {
    throw new RelayHttpError(
      'method-not-allowed',
      `method ${method} not allowed on /proxy; use POST`,
      'http_request_error',
      {
        allow: 'POST',
      },
    );
  }
  const type = mediaTypeOf(headers.contentType);
  if (type !== ODOH_MEDIA_TYPE) {
    throw new RelayHttpError(
      'unsupported-media-type',
      `content-type ${type === '' ? '(none)' : type} is not ${ODOH_MEDIA_TYPE}`,
      'http_request_error',
    );
  }
  const names = [...url.searchParams.keys()];
  const hosts = url.searchParams.getAll('targethost');
  const paths = url.searchParams.getAll('targetpath');
  if (hosts.length !== 1 || paths.length !== 1 || names.length !== 2) {
    throw new RelayHttpError(
      'bad-request',
      'the query must hold exactly one targethost and one targetpath and nothing else',
      'http_request_error',
    );
  }
  const host = normalizeHost(hosts[0]!);
  const target = host === null ? undefined : targets.get(host);
  if (target === undefined) {
    throw new RelayHttpError(
      'target-not-allowed',
      `target ${truncate(hosts[0]!)} is not on this relay's list`,
      'http_request_denied',
    );
  }
  const path = paths[0]!;
  if (!target.paths.includes(path)) {
    throw new RelayHttpError(
      'path-not-allowed',
      `target path ${truncate(path)} is not allowed for ${target.host}`,
      'http_request_denied',
    );
  }
  if (headers.contentLength !== undefined) {
    const length = Number(headers.contentLength);
    if (!/^\d+$/.test(headers.contentLength)) {
      throw new RelayHttpError('bad-request', 'content-length is not a number', 'http_request_error');
    }
    if (length > maxBodyBytes) throw tooLarge(maxBodyBytes);
  }
  return { target, path };
}

export function tooLarge(maxBodyBytes: number): RelayHttpError {
  return new RelayHttpError('too-large', `request body over ${maxBodyBytes} bytes`, 'http_request_error');
}

/** Echo at most 64 characters of what a client sent, without control characters. */
function truncate(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}
