/**
 * The body of a management API request (DESIGN §7): `{"object": "<base64url, unpadded,
 * of the signed CBOR>"}` as `application/json`. The body is bounded before it is read
 * (413 `too-large`); everything else wrong with it is 400 `malformed`. Keys other than
 * `object` are ignored, so that later clients may add some.
 */
import type { Http2ServerRequest } from 'node:http2';
import { HttpError, readBody } from '@mimi/server-core';
import { apiError } from './api-errors.js';

/**
 * Our limit on a request body: the base64url of the largest object (4,096 octets,
 * DESIGN §4 "any object ≤ 4,096 octets" → 5,462 characters) and room for JSON around it.
 * A body under this limit carrying a larger object reaches the decoder, which refuses
 * it as `malformed`.
 */
export const MAX_REQUEST_BODY_OCTETS = 8192;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Strict unpadded base64url (RFC 4648 §5): alphabet, length, and zero trailing bits. */
export function decodeObjectText(text: string): Uint8Array {
  if (!BASE64URL.test(text) || text.length % 4 === 1) {
    throw apiError('malformed', "'object' is not unpadded base64url");
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw apiError('malformed', "'object' is not canonical base64url (nonzero trailing bits)");
  }
  return new Uint8Array(bytes);
}

/** The signed object's bytes from a parsed JSON body. */
export function objectFromJson(body: unknown): Uint8Array {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw apiError('malformed', 'request body must be a json object {"object": "<base64url>"}');
  }
  const text = (body as Record<string, unknown>).object;
  if (typeof text !== 'string') throw apiError('malformed', "'object' must be a base64url string");
  return decodeObjectText(text);
}

/** Read, bound and parse the request; the object's bytes are not decoded yet. */
export async function readRequestObject(
  request: Http2ServerRequest,
  limit = MAX_REQUEST_BODY_OCTETS,
): Promise<Uint8Array> {
  let body: Buffer;
  try {
    body = await readBody(request, limit);
  } catch (err) {
    if (err instanceof HttpError && err.status === 413) {
      throw apiError('too-large', `request body is over ${limit} octets`, { cause: err });
    }
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw apiError('malformed', 'request body is not json', { cause });
  }
  return objectFromJson(parsed);
}
