/**
 * One undici connection pool per server endpoint, HTTP/2 over TLS (RFC 8484 §5.2:
 * "HTTP/2 is the minimum RECOMMENDED version of HTTP for use with DoH"), with the
 * server's certificate checked against its HOST NAME (DESIGN §3) while the connection
 * goes to the address the validated A/AAAA records gave.
 *
 * The same pools serve DoH and the authoritative DP's management API on the same
 * listener (DESIGN §7), so `publish` reuses this module instead of opening its own.
 */
import { isIP } from 'node:net';
import { Pool } from 'undici';

/**
 * Streams multiplexed on one HTTP/2 connection. undici counts a connection busy once
 * `pipelining` requests are in flight and would then open another; Node's HTTP/2
 * server allows 100 concurrent streams by default, so stay under that.
 */
const MAX_STREAMS_PER_CONNECTION = 64;

/** TLS + TCP connect timeout; the exchange timeout bounds the whole request anyway. */
const CONNECT_TIMEOUT_MS = 5_000;

export interface HttpsPoolsOptions {
  /** PEM of the CA(s) to trust instead of the system store (DESIGN §9 throwaway CA). */
  readonly ca?: string | Uint8Array | undefined;
}

export class HttpsPools {
  private readonly pools = new Map<string, Pool>();
  private closed = false;

  constructor(private readonly options: HttpsPoolsOptions = {}) {}

  /**
   * The pool for `origin` (scheme://address:port) whose certificate must match `host`.
   * Created on first use and kept, so every request to that server reuses one connection.
   */
  poolFor(origin: string, host: string): Pool {
    const key = `${origin} ${host}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      const ca = this.options.ca;
      pool = new Pool(origin, {
        allowH2: true,
        connections: 1,
        pipelining: MAX_STREAMS_PER_CONNECTION,
        connect: {
          // SNI carries host names only (RFC 6066 §3); for an address, Node checks the
          // certificate against the address it connects to, which is then the same.
          ...(isIP(host) === 0 ? { servername: host } : {}),
          timeout: CONNECT_TIMEOUT_MS,
          ...(ca === undefined ? {} : { ca: typeof ca === 'string' ? ca : Buffer.from(ca) }),
        },
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The CA the pools trust (other clients of the same servers use it too). */
  get ca(): string | Uint8Array | undefined {
    return this.options.ca;
  }

  /** Close every pool, letting requests in flight finish. */
  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
