/**
 * The transport interface: send one DNS message to one server endpoint, get the
 * response bytes back. The resolver core does no I/O of its own (as Knot Resolver's
 * layers), so tests drive it with an in-memory transport answering from real signed
 * zones, and an MSP may bring its own (a relay, a proxy, a test double).
 */

/** A DoH server as the resolver reaches it (DESIGN §3: NS host → A/AAAA + `_dns.` SVCB). */
export interface Endpoint {
  /** DoH URI without the `{?dns}` template, e.g. `https://127.0.0.1:8443/dns-query`. */
  readonly url: string;
  /**
   * Host name the server's TLS certificate is checked against (SNI too); for a root
   * URL from the configuration, the URL's host.
   */
  readonly host: string;
}

export interface SendOptions {
  /** Fires on the caller's abort or the exchange timeout; the transport must stop then. */
  readonly signal: AbortSignal;
}

export interface Transport {
  /**
   * One exchange. Resolves with the raw response message; rejects with a ResolverError
   * (`transport-*`) for anything that is not a DNS response, so the caller can fail over.
   */
  send(endpoint: Endpoint, query: Uint8Array, options: SendOptions): Promise<Uint8Array>;
  /** Release connections. */
  close(): Promise<void>;
}

/** A stable key for an endpoint (connection pools, server health, traces). */
export function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.url} ${endpoint.host}`;
}
