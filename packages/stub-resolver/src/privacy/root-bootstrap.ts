/**
 * How a resolver that sends everything through an oblivious relay gets started (RFC
 * 9230 §7: a client needs the target's ObliviousDoHConfigs before its first query; DESIGN
 * §7: they are published as ODOHCFG at `_odoh.<host>`). Every server's config is looked
 * up, DNSSEC-validated, through the relay — except the root's: that record is served by
 * the root itself, so the first one can only be had from the root directly.
 *
 * The bootstrap does that, and nothing else, over the direct transport (DoH to the
 * configured root URLs), with its own small cache and no tokens:
 *
 *   mimi.arpa. DNSKEY                        the trust anchor's keys
 *   mimi.arpa. NS                            the root's host names (the relay routes by name)
 *   _dns.<host>. SVCB                        each host's DoH path (RFC 9461)
 *   _odoh.<host>. ODOHCFG                    each host's ODoH config (once per TTL, and after a 401)
 *
 * All four are public apex data, the same for every client: the root learns that this
 * address runs a discovery stub, never a CSI, a prefix or a domain (docs/PRIVACY.md).
 * The configured root URLs are a priming hint (as RFC 9609 reads root hints): the apex
 * NS RRset, validated, names the root servers the relay is asked to reach.
 */
import type { TrustAnchor } from '@mimi/dnssec';
import { canonicalName, decodeRdata, joinNames, RRType } from '@mimi/protocol';
import { createLruCacheStore } from '../cache/cache-store.js';
import { TimedCache } from '../cache/timed-cache.js';
import { WaitGraph } from '../cache/wait-graph.js';
import { BOOTSTRAP_CACHE_ENTRIES, MAX_NS_HOSTS } from '../constants.js';
import { dohServices, tlsHostName } from '../endpoints.js';
import { Engine } from '../engine.js';
import { Exchanger, ServerHealth } from '../exchange.js';
import { BogusError, type Lookup, UnreachableError } from '../outcomes.js';
import type { TraceSink } from '../trace.js';
import type { Endpoint, Transport } from '../transport/transport.js';
import type { WalkContext } from '../walk-context.js';
import { ZoneTrust } from '../zone-trust.js';

/** RFC 9460 §7.2: "the default port (443 for HTTPS)". */
const HTTPS_PORT = 443;

export interface RootBootstrapInit {
  readonly anchor: TrustAnchor;
  /** The configured root URLs as endpoints (DESIGN §9 `roots`). */
  readonly roots: readonly Endpoint[];
  /** Straight to the root: DoH over TLS. */
  readonly transport: Transport;
  /** Milliseconds. */
  readonly now: () => number;
  readonly timeoutMs?: number | undefined;
  readonly retries?: number | undefined;
}

export interface BootstrapCall {
  readonly signal?: AbortSignal | undefined;
  readonly trace?: TraceSink;
}

export class RootBootstrap {
  readonly apex: string;
  private readonly engine: Engine;
  private readonly waits = new WaitGraph();
  /** TLS host names of the root servers found so far. */
  private readonly hosts = new Set<string>();

  constructor(init: RootBootstrapInit) {
    const cache = new TimedCache(createLruCacheStore({ max: BOOTSTRAP_CACHE_ENTRIES }), init.now);
    // No token source: nothing the bootstrap asks is in a CSI subtree.
    const exchanger = new Exchanger(init.transport, new ServerHealth(init.now), init.now, {
      ...(init.timeoutMs === undefined ? {} : { timeoutMs: init.timeoutMs }),
      ...(init.retries === undefined ? {} : { retries: init.retries }),
    });
    let engine: Engine;
    const trust = new ZoneTrust({
      anchor: init.anchor,
      roots: init.roots,
      exchanger,
      cache,
      now: init.now,
      lookup: (name, type, context) => engine.lookup(name, type, context),
    });
    engine = new Engine(trust, exchanger, cache, init.now);
    this.engine = engine;
    this.apex = trust.apex;
  }

  /**
   * The root servers as the relay reaches them: `{url: https://<host>[:port]<path>, host}`
   * for each DoH service of each apex NS host (the relay maps the name to an address;
   * the URL's path is the target path). Expires with the records it came from.
   */
  async endpoints(call: BootstrapCall): Promise<{ endpoints: Endpoint[]; expiresAt: number }> {
    const context = this.context(call);
    const ns = await this.engine.lookup(this.apex, RRType.NS, context);
    if (ns.kind !== 'answer') {
      throw new UnreachableError('no-servers', `the apex ${this.apex} has no ns rrset`, this.apex);
    }
    const names = [...new Set(ns.records.map((record) => nsHost(record.rdata, this.apex)))];
    let expiresAt = ns.expiresAt;
    const endpoints: Endpoint[] = [];
    for (const host of names.slice(0, MAX_NS_HOSTS)) {
      const svcb = await this.engine.lookup(joinNames('_dns', host), RRType.SVCB, context);
      expiresAt = Math.min(expiresAt, svcb.expiresAt);
      if (svcb.kind !== 'answer') continue;
      for (const service of dohServices(host, svcb.records)) {
        const tlsHost = tlsHostName(service.target);
        const port = service.port === HTTPS_PORT ? '' : `:${service.port}`;
        endpoints.push({ url: `https://${tlsHost}${port}${service.path}`, host: tlsHost });
      }
    }
    if (endpoints.length === 0) {
      throw new UnreachableError(
        'no-doh-endpoint',
        `no root server host (${names.join(', ')}) publishes a doh endpoint in a _dns svcb record`,
        this.apex,
      );
    }
    for (const endpoint of endpoints) this.hosts.add(canonicalName(endpoint.host));
    return { endpoints, expiresAt };
  }

  /** Whether `host` is a root server found by `endpoints()` (its config is asked directly). */
  isRootHost(host: string): boolean {
    return this.hosts.has(canonicalName(host));
  }

  /** The validated ODOHCFG RRset at `owner` (a root host's `_odoh.` name), asked directly. */
  config(owner: string, call: BootstrapCall, refresh: boolean): Promise<Lookup> {
    if (refresh) this.engine.forget(owner, RRType.ODOHCFG);
    return this.engine.lookup(owner, RRType.ODOHCFG, this.context(call));
  }

  /** A fresh walk context: the bootstrap's look-ups never join the main resolver's chain. */
  private context(call: BootstrapCall): WalkContext {
    return { signal: call.signal, trace: call.trace, chain: [], waits: this.waits };
  }
}

function nsHost(rdata: Uint8Array, apex: string): string {
  try {
    return canonicalName(decodeRdata(RRType.NS, rdata));
  } catch {
    throw new BogusError('malformed', `malformed ns record at ${apex}`, apex);
  }
}
