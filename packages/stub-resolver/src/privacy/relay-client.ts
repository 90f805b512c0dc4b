/**
 * The client's half of the oblivious hop (RFC 9230 §4.1; DESIGN §7): POST an
 * ObliviousDoHMessage to the relay as `POST <relay>?targethost=<host>&targetpath=<path>`,
 * get the target's status and body back.
 *
 * One HTTP/2 connection to the relay carries the queries of every user of the
 * resolver (RFC 9230 §11.2 wants the relay to hide clients among each other; one shared
 * pool also keeps the relay from telling users of one resolver apart). The request has
 * a media type and nothing else: no cookies, no user agent, no credentials.
 */
import { ODOH_MEDIA_TYPE } from '@mimi/odoh';
import { ResolverError } from '../errors.js';
import { HttpsPools } from '../transport/https-pools.js';

/**
 * RFC 9230 §6.1: a response is message_type (1), key_id<2+16> holding the resp_nonce,
 * encrypted_message<2+65535>: the relay forwards nothing larger.
 */
export const MAX_ODOH_MESSAGE_OCTETS = 1 + 2 + 16 + 2 + 0xffff;

/** Where the relay should forward: the target's TLS host name and its DoH path. */
export interface RelayTarget {
  readonly host: string;
  readonly path: string;
}

export interface RelayAnswer {
  readonly status: number;
  /** Media type without parameters, lowercase ('' when absent). */
  readonly contentType: string;
  readonly body: Uint8Array;
  /** The relay's RFC 9209 `proxy-status` header, when it sent one (says why a 502). */
  readonly proxyStatus?: string;
}

export interface RelayClient {
  /** The relay's URL, for traces and errors. */
  readonly url: string;
  forward(target: RelayTarget, body: Uint8Array, options: { signal: AbortSignal }): Promise<RelayAnswer>;
  close(): Promise<void>;
}

export interface HttpsRelayClientOptions {
  /** `https://relay.example/proxy` (DESIGN §9 `relay`). */
  readonly url: string;
  /** PEM of the CA to trust for the relay's certificate. */
  readonly ca?: string | Uint8Array | undefined;
  /** Connection pools to share (the resolver's); the client then does not close them. */
  readonly pools?: HttpsPools;
}

export class HttpsRelayClient implements RelayClient {
  readonly url: string;
  private readonly relay: URL;
  private readonly pools: HttpsPools;
  private readonly ownsPools: boolean;

  constructor(options: HttpsRelayClientOptions) {
    this.relay = parseRelayUrl(options.url);
    this.url = this.relay.href;
    this.ownsPools = options.pools === undefined;
    this.pools = options.pools ?? new HttpsPools({ ca: options.ca });
  }

  async forward(
    target: RelayTarget,
    body: Uint8Array,
    options: { signal: AbortSignal },
  ): Promise<RelayAnswer> {
    if (this.pools.isClosed) throw new ResolverError('closed', 'relay client is closed');
    const params = new URLSearchParams(this.relay.search);
    params.append('targethost', target.host);
    params.append('targetpath', target.path);
    // The relay's certificate is checked against its URL's host (name or address).
    const pool = this.pools.poolFor(this.relay.origin, this.relay.hostname.replace(/^\[|\]$/g, ''));
    let response: Awaited<ReturnType<typeof pool.request>>;
    try {
      response = await pool.request({
        method: 'POST',
        path: `${this.relay.pathname}?${params.toString()}`,
        headers: { 'content-type': ODOH_MEDIA_TYPE, accept: ODOH_MEDIA_TYPE },
        body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        // Each ObliviousDoHMessage stands alone, so queries may share the connection's
        // streams like GETs do (undici multiplexes only idempotent requests).
        idempotent: true,
        signal: options.signal,
      });
    } catch (cause) {
      throw relayFailure(this.url, target, cause, options.signal);
    }
    const { statusCode, headers } = response;
    try {
      const bytes = await readBounded(response.body, this.url);
      const proxyStatus = headerText(headers['proxy-status']);
      return {
        status: statusCode,
        contentType: (headerText(headers['content-type']) ?? '').split(';')[0]!.trim().toLowerCase(),
        body: bytes,
        ...(proxyStatus === undefined ? {} : { proxyStatus }),
      };
    } catch (err) {
      response.body.destroy();
      if (err instanceof ResolverError) throw err;
      throw relayFailure(this.url, target, err, options.signal);
    }
  }

  async close(): Promise<void> {
    if (this.ownsPools) await this.pools.close();
  }
}

/** The relay URL, checked: https, no credentials (DESIGN §9 `relay`). */
export function parseRelayUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new ResolverError('config-invalid', `relay '${text}' is not a url`, { cause });
  }
  if (url.protocol !== 'https:') throw new ResolverError('config-invalid', `relay '${text}' is not https`);
  if (url.username !== '' || url.password !== '') {
    throw new ResolverError('config-invalid', `relay '${text}' must not carry credentials`);
  }
  return url;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

async function readBounded(body: AsyncIterable<Uint8Array>, relay: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > MAX_ODOH_MESSAGE_OCTETS) {
      throw new ResolverError(
        'transport-response',
        `relay ${relay} sent more than ${MAX_ODOH_MESSAGE_OCTETS} octets`,
      );
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function relayFailure(
  relay: string,
  target: RelayTarget,
  cause: unknown,
  signal: AbortSignal,
): ResolverError {
  if (signal.aborted) {
    const timedOut = signal.reason instanceof ResolverError && signal.reason.code === 'transport-timeout';
    return timedOut
      ? signal.reason
      : new ResolverError('aborted', `query to ${target.host} through ${relay} aborted`, {
          cause: signal.reason,
        });
  }
  const code = (cause as { code?: unknown } | undefined)?.code;
  const what = typeof code === 'string' ? code.toLowerCase() : 'network error';
  return new ResolverError('transport-network', `relay ${relay} (for ${target.host}): ${what}`, {
    cause,
    details: { relay, host: target.host },
  });
}
