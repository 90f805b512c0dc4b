/**
 * DNS over HTTPS client (RFC 8484): GET with the query in the `dns` parameter
 * (§4.1, base64url without padding), HTTP/2 over TLS through `HttpsPools`.
 *
 * GET rather than POST: DNS queries are idempotent and the ID is 0 (§4.1), so HTTP
 * caches may serve them, and undici multiplexes only idempotent requests on one
 * HTTP/2 connection.
 */
import { toBase64Url } from '@mimi/crypto';
import { DNS_MESSAGE_MEDIA_TYPE, MAX_DNS_MESSAGE_OCTETS } from '../constants.js';
import { ResolverError } from '../errors.js';
import { getBytes } from './get-bytes.js';
import { HttpsPools } from './https-pools.js';
import type { Endpoint, SendOptions, Transport } from './transport.js';

export interface DohTransportOptions {
  /** PEM of the CA to trust (the configuration's `ca` file). */
  readonly ca?: string | Uint8Array | undefined;
  /** Share pools with other HTTPS clients of the same servers (the management API). */
  readonly pools?: HttpsPools;
}

const ACCEPT = { accept: DNS_MESSAGE_MEDIA_TYPE };

/** Parsed endpoint URLs kept (a network has a few servers; a hostile one cannot grow this). */
const MAX_PARSED_URLS = 256;

export class DohTransport implements Transport {
  /** TLS to the server itself: tokens may travel in these queries. */
  readonly encrypted = true;
  readonly pools: HttpsPools;
  private readonly ownsPools: boolean;
  /** Parsed DoH URLs by text: endpoints repeat for every query to a server (bounded below). */
  private readonly urls = new Map<string, { origin: string; prefix: string }>();

  constructor(options: DohTransportOptions = {}) {
    this.ownsPools = options.pools === undefined;
    this.pools = options.pools ?? new HttpsPools({ ca: options.ca });
  }

  async send(endpoint: Endpoint, query: Uint8Array, options: SendOptions): Promise<Uint8Array> {
    if (this.pools.isClosed) throw new ResolverError('closed', 'transport is closed');
    const url = this.urlOf(endpoint.url);
    const pool = this.pools.poolFor(url.origin, endpoint.host);
    try {
      return await getBytes(pool, {
        path: `${url.prefix}${toBase64Url(query)}`,
        headers: ACCEPT,
        signal: options.signal,
        maxOctets: MAX_DNS_MESSAGE_OCTETS,
        tooLarge: () =>
          new ResolverError(
            'transport-response',
            `${endpoint.url} (${endpoint.host}) sent more than 65535 octets`,
          ),
        checkHead: (status, contentType) => checkAnswer(endpoint, status, contentType),
      });
    } catch (err) {
      if (err instanceof ResolverError && !options.signal.aborted) throw err;
      throw transportFailure(endpoint, err, options.signal);
    }
  }

  async close(): Promise<void> {
    if (this.ownsPools) await this.pools.close();
  }

  private urlOf(text: string): { origin: string; prefix: string } {
    let parsed = this.urls.get(text);
    if (parsed === undefined) {
      const url = parseDohUrl(text);
      const separator = url.search === '' ? '?' : '&';
      parsed = { origin: url.origin, prefix: `${url.pathname}${url.search}${separator}dns=` };
      if (this.urls.size >= MAX_PARSED_URLS) this.urls.clear();
      this.urls.set(text, parsed);
    }
    return parsed;
  }
}

/** RFC 8484 §4.2.1: a usable answer is 200 with the DNS message media type. */
function checkAnswer(endpoint: Endpoint, status: number, contentTypeHeader: string): void {
  if (status !== 200) {
    throw new ResolverError('transport-http', `${endpoint.url} (${endpoint.host}) answered http ${status}`, {
      details: { status, url: endpoint.url, host: endpoint.host },
    });
  }
  const contentType = contentTypeHeader.split(';')[0]!.trim().toLowerCase();
  if (contentType !== DNS_MESSAGE_MEDIA_TYPE) {
    throw new ResolverError(
      'transport-response',
      `${endpoint.url} (${endpoint.host}) answered with content type '${contentType}'`,
      { details: { url: endpoint.url, host: endpoint.host } },
    );
  }
}

function parseDohUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new ResolverError('transport-network', `doh url '${text}' is not a url`, { cause });
  }
  if (url.protocol !== 'https:') {
    throw new ResolverError('transport-network', `doh url '${text}' is not https`);
  }
  return url;
}

function transportFailure(endpoint: Endpoint, cause: unknown, signal: AbortSignal): ResolverError {
  if (signal.aborted) {
    const timedOut = signal.reason instanceof ResolverError && signal.reason.code === 'transport-timeout';
    return timedOut
      ? signal.reason
      : new ResolverError('aborted', `query to ${endpoint.url} aborted`, { cause: signal.reason });
  }
  const code = (cause as { code?: unknown } | undefined)?.code;
  const what = typeof code === 'string' ? code.toLowerCase() : 'network error';
  return new ResolverError('transport-network', `${endpoint.url} (${endpoint.host}): ${what}`, {
    cause,
    details: { url: endpoint.url, host: endpoint.host },
  });
}
