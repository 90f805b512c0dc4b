/**
 * Forwarding to targets over HTTPS with undici: one pool per allow-listed target, HTTP/2
 * when the target offers it, reused for every client (RFC 9230 §11.2: "it is RECOMMENDED
 * that Proxies pool and reuse connections to Targets"). TLS checks the target's
 * certificate against its host name (`servername`) with the configured CA.
 *
 * What goes upstream is only the encrypted body and three headers — content-type,
 * accept, content-length (RFC 9230 §4.5: "Proxies MUST NOT send any Client-identifying
 * information about Clients to Targets"). No redirect is followed: undici's `request`
 * has no redirect handling unless an interceptor adds it, and we add none. What comes
 * back is the status, the content-type and a bounded body.
 *
 * A request whose connection is lost before any response byte (the target's GOAWAY or
 * reset racing our request on a pooled connection) is sent once more, within the same
 * timeout; upstream-retry.ts says which failures qualify and why repeating is safe.
 */
import { type Dispatcher, Pool, errors as undiciErrors } from 'undici';
import { MAX_RESPONSE_BYTES, ODOH_MEDIA_TYPE } from './constants.js';
import { type ProxyErrorType, RelayHttpError } from './http-errors.js';
import type { TargetEntry, TargetTable } from './targets.js';
import { retryReason } from './upstream-retry.js';

export interface UpstreamAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

export interface ForwarderOptions {
  readonly targets: TargetTable;
  /** CA bundle for the targets' certificates; default: node's trusted roots. */
  readonly ca?: Buffer;
  readonly timeoutMs: number;
  /** Told of every repeated request (metrics, logs): the target host and the reason. */
  readonly onRetry?: (target: string, reason: string) => void;
}

export class Forwarder {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: ForwarderOptions) {}

  private poolFor(target: TargetEntry): Pool {
    let pool = this.pools.get(target.host);
    if (pool === undefined) {
      const address = target.address.includes(':') ? `[${target.address}]` : target.address;
      pool = new Pool(`https://${address}:${target.port}`, {
        allowH2: true,
        connections: 4,
        connect: {
          servername: target.host,
          rejectUnauthorized: true,
          timeout: this.options.timeoutMs,
          ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
        },
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      this.pools.set(target.host, pool);
    }
    return pool;
  }

  async forward(target: TargetEntry, path: string, body: Buffer): Promise<UpstreamAnswer> {
    const pool = this.poolFor(target);
    // One budget for both tries: a repeat never stretches the relay's upstream timeout.
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.send(pool, target, path, body, signal);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_RESPONSE_BYTES) {
          response.body.destroy();
          throw upstream(
            'http_response_body_size',
            `target ${target.host} answered more than ${MAX_RESPONSE_BYTES} bytes`,
          );
        }
        chunks.push(chunk as Buffer);
      }
      const contentType = response.headers['content-type'];
      return {
        status: response.statusCode,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        body: Buffer.concat(chunks, size),
      };
    } catch (err) {
      if (err instanceof RelayHttpError) throw err;
      throw classify(err, target.host);
    }
  }

  /** POST once, and once more when the connection was lost before the response began. */
  private async send(
    pool: Pool,
    target: TargetEntry,
    path: string,
    body: Buffer,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    const options: Dispatcher.RequestOptions = {
      method: 'POST',
      path,
      // `host` becomes :authority on HTTP/2 (Host on HTTP/1.1): the target's name, not its address.
      headers: {
        host: target.port === 443 ? target.host : `${target.host}:${target.port}`,
        'content-type': ODOH_MEDIA_TYPE,
        accept: ODOH_MEDIA_TYPE,
        'content-length': String(body.length),
      },
      body,
      signal,
    };
    try {
      return await pool.request(options);
    } catch (err) {
      const reason = retryReason(err);
      if (reason === null || signal.aborted) throw err;
      this.options.onRetry?.(target.host, reason);
      // One turn of the event loop first: a target closing idle connections sends its
      // GOAWAYs on all of them at once, and those already read are then handled, so the
      // pool does not hand the repeat to a sibling that is closing too.
      await new Promise((resolve) => setImmediate(resolve));
      return await pool.request(options);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.close()));
  }
}

function upstream(type: ProxyErrorType, message: string): RelayHttpError {
  return new RelayHttpError('upstream-failed', message, type);
}

/** Name the failure in RFC 9209 terms; the message names the target, never the client. */
function classify(err: unknown, host: string): RelayHttpError {
  const code = (err as { code?: string }).code ?? '';
  const name = (err as { name?: string }).name ?? '';
  if (code === 'ECONNREFUSED') return upstream('connection_refused', `target ${host} refused the connection`);
  if (err instanceof undiciErrors.ConnectTimeoutError) {
    return upstream('connection_timeout', `target ${host} did not accept a connection in time`);
  }
  if (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    name === 'TimeoutError' ||
    name === 'AbortError'
  ) {
    return upstream('http_response_timeout', `target ${host} did not answer in time`);
  }
  if (code.startsWith('ERR_TLS_CERT') || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return upstream(
      'tls_certificate_error',
      `target ${host} presented a certificate that does not check (${code})`,
    );
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return upstream('tls_protocol_error', `tls with target ${host} failed (${code})`);
  }
  return upstream('destination_unavailable', `target ${host} failed: ${code || name || 'unknown error'}`);
}
