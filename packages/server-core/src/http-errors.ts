/**
 * The one place where HTTPS-side failures become HTTP statuses (RFC 9110 §15), and
 * the two request readers that produce them: the RFC 8484 §4.1 `dns` parameter and a
 * bounded request body. Routes mounted by the servers (the management API) throw
 * `HttpError` too, so every status comes from here.
 */
import type { Http2ServerRequest } from 'node:http2';
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

/**
 * RFC 8484 §4.1: "the `dns` variable ... encoded with base64url [RFC4648] ... Padding
 * characters for base64url MUST NOT be included." Strictly: only the url alphabet, no
 * `=`, a length that is not 1 mod 4, and unused trailing bits zero (canonical, RFC
 * 4648 §3.5), so one message has exactly one URL and HTTP caches key on it.
 */
export function decodeDnsParameter(value: string, maxBytes: number): Buffer {
  if (value.length > Math.ceil((maxBytes * 4) / 3)) {
    throw new HttpError(414, 'dns-param-too-long', `dns parameter of ${value.length} characters is too long`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(value) || value.length % 4 === 1) {
    throw new HttpError(400, 'dns-param-encoding', 'dns parameter is not unpadded base64url');
  }
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.toString('base64url') !== value) {
    throw new HttpError(
      400,
      'dns-param-encoding',
      'dns parameter is not canonical base64url (nonzero trailing bits)',
    );
  }
  return bytes;
}

/**
 * Read a request body of at most `limit` octets: a declared Content-Length over the
 * limit fails before reading; a body that grows past it fails as soon as it does.
 */
export async function readBody(request: Http2ServerRequest, limit: number): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw new HttpError(413, 'body-too-large', `request body of ${declared} octets exceeds ${limit}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new HttpError(413, 'body-too-large', `request body exceeds ${limit} octets`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
