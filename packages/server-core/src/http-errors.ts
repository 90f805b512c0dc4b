/**
 * The one place where HTTPS-side failures become HTTP statuses (RFC 9110 §15), and
 * the two request readers that produce them: the RFC 8484 §4.1 `dns` parameter and a
 * bounded request body. Routes mounted by the servers (the management API) throw
 * `HttpError` too, so every status comes from here.
 */
import type { Http2ServerRequest, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { MimiError } from '@mimi/errors';
import type { Outcome } from './pipeline.js';

/** An HTTP status with a stable code and a one-line lowercase message. */
export class HttpError extends MimiError {
  /** Extra response headers (`retry-after` on 429, `allow` on 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(code, message, { cause: options.cause, details: { status, ...(options.details ?? {}) } });
    this.headers = Object.freeze({ ...(options.headers ?? {}) });
  }
}

/** HTTP status of a DoH answer (RFC 8484 §4.2.1: any DNS response, whatever its RCODE, is 200). */
export function statusForOutcome(outcome: Outcome): number {
  switch (outcome) {
    case 'answered':
      return 200;
    case 'rate-limited':
      return 429;
    default:
      // FORMERR or a message we will not answer (a response, fewer than two octets).
      return 400;
  }
}

/** Status for anything a route threw: its own for HttpError, else 500. */
export function statusForError(err: unknown): number {
  return err instanceof HttpError ? err.status : 500;
}

/** An error answer: the status, its headers (no `:status`) and the JSON body `{"error": {code, message}}`. */
export interface ErrorAnswer {
  readonly status: number;
  readonly headers: Record<string, string | number>;
  readonly body: string;
}

/** What to send for anything a route threw (DESIGN §7 error format; internals are never shown). */
export function errorAnswer(err: unknown): ErrorAnswer {
  const known = err instanceof HttpError;
  const body = JSON.stringify({
    error: { code: known ? err.code : 'internal', message: known ? err.message : 'internal server error' },
  });
  return {
    status: statusForError(err),
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      ...(known ? err.headers : {}),
    },
    body,
  };
}

/** base64url alphabet (RFC 4648 §5): character code → 6-bit value, -1 outside it. */
const BASE64URL_VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  return values;
})();

/**
 * RFC 8484 §4.1: "the `dns` variable ... encoded with base64url [RFC4648] ... Padding
 * characters for base64url MUST NOT be included." Strictly: only the url alphabet, no
 * `=`, a length that is not 1 mod 4, and unused trailing bits zero (canonical, RFC
 * 4648 §3.5), so one message has exactly one URL and HTTP caches key on it. One pass
 * over the characters; the unused bits are those of the last character.
 */
export function decodeDnsParameter(value: string, maxBytes: number): Buffer {
  const length = value.length;
  if (length > Math.ceil((maxBytes * 4) / 3)) {
    throw new HttpError(414, 'dns-param-too-long', `dns parameter of ${length} characters is too long`);
  }
  let valid = length > 0 && length % 4 !== 1;
  for (let i = 0; valid && i < length; i++) {
    const code = value.charCodeAt(i);
    valid = code < 128 && BASE64URL_VALUES[code]! >= 0;
  }
  if (!valid) throw new HttpError(400, 'dns-param-encoding', 'dns parameter is not unpadded base64url');
  // 2 characters left over carry 12 bits for 8 (4 unused), 3 carry 18 for 16 (2 unused).
  const last = BASE64URL_VALUES[value.charCodeAt(length - 1)]!;
  const unusedMask = length % 4 === 2 ? 0x0f : length % 4 === 3 ? 0x03 : 0;
  if ((last & unusedMask) !== 0) {
    throw new HttpError(
      400,
      'dns-param-encoding',
      'dns parameter is not canonical base64url (nonzero trailing bits)',
    );
  }
  return Buffer.from(value, 'base64url');
}

/**
 * The one `dns` value of a query string (RFC 8484 §4.1; other parameters are ignored),
 * as `URL#searchParams.getAll('dns')` would find it: a plain query is scanned in place;
 * one with escapes (`%`, `+`), a fragment or unusual characters goes through `URL`.
 */
export function dnsParameterOf(search: string, path: string): string {
  let found: string | undefined;
  let count = 0;
  let start = 0;
  const length = search.length;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? search.charCodeAt(i) : AMPERSAND;
    if (code === AMPERSAND) {
      const pair = i - start;
      if (
        pair >= 3 &&
        search.startsWith('dns', start) &&
        (pair === 3 || search.charCodeAt(start + 3) === EQUALS)
      ) {
        count++;
        found = pair === 3 ? '' : search.slice(start + 4, i);
      }
      start = i + 1;
    } else if (code <= 0x20 || code >= 0x7f || code === PERCENT || code === PLUS || code === HASH) {
      return dnsParameterByUrl(path);
    }
  }
  if (count !== 1 || found === undefined) {
    throw new HttpError(400, 'dns-param-missing', 'exactly one dns parameter is required');
  }
  return found;
}

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;
const HASH = 0x23;

/** The general case of `dnsParameterOf`: WHATWG URL parsing and form decoding. */
export function dnsParameterByUrl(path: string): string {
  let values: string[];
  try {
    values = new URL(path, 'https://server.invalid').searchParams.getAll('dns');
  } catch (cause) {
    throw new HttpError(400, 'bad-url', 'request target is not a valid url', { cause });
  }
  if (values.length !== 1) {
    throw new HttpError(400, 'dns-param-missing', 'exactly one dns parameter is required');
  }
  return values[0]!;
}

/** A declared Content-Length over `limit` fails before anything is read. */
function checkDeclaredLength(headers: IncomingHttpHeaders, limit: number): void {
  const declared = headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw new HttpError(413, 'body-too-large', `request body of ${declared} octets exceeds ${limit}`);
  }
}

/**
 * Read a request body of at most `limit` octets: a declared Content-Length over the
 * limit fails before reading; a body that grows past it fails as soon as it does.
 */
export async function readBody(request: Http2ServerRequest, limit: number): Promise<Buffer> {
  checkDeclaredLength(request.headers, limit);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new HttpError(413, 'body-too-large', `request body exceeds ${limit} octets`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * `readBody` on the HTTP/2 core API. Past the limit, reading stops (the stream is paused
 * and its listeners removed) and the caller answers 413; a stream the client resets
 * or that closes before its end rejects with `request-aborted`.
 */
export function readStreamBody(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  limit: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    checkDeclaredLength(headers, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        stop();
        stream.pause();
        reject(new HttpError(413, 'body-too-large', `request body exceeds ${limit} octets`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onClose = () => {
      stop();
      reject(new HttpError(400, 'request-aborted', 'the request stream closed before its end'));
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onClose);
  });
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
