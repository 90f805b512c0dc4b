/**
 * The transport interface: send one DNS message to one server endpoint, get the
 * response bytes back. The resolver core does no I/O of its own (as Knot Resolver's
 * layers), so tests drive it with an in-memory transport answering from real signed
 * zones, and an MSP may bring its own (a relay, a proxy, a test double).
 */
import type { TraceSink } from '../trace.js';

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
  /**
   * The resolution's trace, for work a transport does on the way (the ODoH transport
   * looks up the target's ODoHConfigs); undefined when nobody traces.
   */
  readonly trace?: TraceSink;
}

export interface Transport {
  /**
   * True when every message travels encrypted end to end to the server (DoH over TLS,
   * or ODoH's HPKE). Privacy Pass tokens are put only into queries of such a transport
   * (DESIGN §7: the token travels "inside the (encrypted) query").
   */
  readonly encrypted?: boolean;
  /** The hop every query takes on its way, for traces: the oblivious relay's URL. */
  readonly via?: string;
  /**
   * Which server an endpoint reaches through this transport, when several endpoints
   * reach the same one (through a relay, every address of a host is the host): the
   * resolver asks one endpoint per key. Default: every endpoint is its own server.
   */
  serverKey?(endpoint: Endpoint): string;
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
