/**
 * The HTTPS exchanges of the token library (RFC 9578 §4 directory GET, §6.1 issuance
 * POST) on undici: HTTP/2 when the issuer offers it (ALPN), the operator's CA instead of
 * the system store when given (the demo's throwaway CA, DESIGN §9), no redirects, and
 * bounded time and size. A transport failure is `issuer-unreachable`; statuses are the
 * caller's to read.
 */
import { Agent, type Dispatcher, request } from 'undici';
import { TokenError } from './errors.js';

/** A connect + whole-exchange budget: issuance is ≈ 1 ms a token at the issuer. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** Larger than any answer we expect (a batch of 64 responses is ≈ 17 KB). */
const MAX_RESPONSE_BYTES = 1 << 20;

export interface HttpOptions {
  /** PEM CA certificate(s) to trust for the issuer instead of the system store. */
  readonly ca?: string | Uint8Array | undefined;
  /** A dispatcher of the caller's (then `ca` is unused and the caller closes it). */
  readonly dispatcher?: Dispatcher | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export class IssuerHttp {
  private readonly dispatcher: Dispatcher;
  private readonly owned: boolean;
  private readonly timeoutMs: number;

  constructor(options: HttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.owned = options.dispatcher === undefined;
    const ca = options.ca;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        allowH2: true,
        connect: {
          timeout: this.timeoutMs,
          ...(ca === undefined ? {} : { ca: typeof ca === 'string' ? ca : Buffer.from(ca) }),
        },
      });
  }

  get(url: string, accept: string): Promise<HttpAnswer> {
    return this.exchange(url, 'GET', { accept });
  }

  post(url: string, headers: Record<string, string>, body: Uint8Array): Promise<HttpAnswer> {
    return this.exchange(url, 'POST', headers, body);
  }

  async close(): Promise<void> {
    if (this.owned) await this.dispatcher.close();
  }

  private async exchange(
    url: string,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<HttpAnswer> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const answer = await request(url, {
        dispatcher: this.dispatcher,
        method,
        headers,
        ...(body === undefined ? {} : { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) }),
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of answer.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > MAX_RESPONSE_BYTES) {
          answer.body.destroy();
          throw new TokenError(
            'issuer-bad-response',
            `issuer answer from ${url} exceeds ${MAX_RESPONSE_BYTES} octets`,
          );
        }
        chunks.push(chunk);
      }
      return { status: answer.statusCode, headers: answer.headers, body: Buffer.concat(chunks, total) };
    } catch (cause) {
      if (cause instanceof TokenError) throw cause;
      const reason = (cause as Error).message ?? String(cause);
      throw new TokenError('issuer-unreachable', `issuer at ${new URL(url).origin} unreachable: ${reason}`, {
        cause,
        details: { url },
      });
    }
  }
}

/** One header value as a string (undici gives arrays for repeated headers). */
export function headerValue(headers: HttpAnswer['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaTypeOf(headers: HttpAnswer['headers']): string {
  return (headerValue(headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}
