/**
 * The chain of trust, zone by zone (RFC 4035 §5.1–5.2): the trust anchor's zone, then
 * each child through its parent's DS — reached by a referral (NS + DS, RFC 4035
 * §3.1.4) or, when one server serves parent and child alike and answers for the child
 * directly, by following the RRSIG signer name (ask the parent side for the child's DS,
 * then the child for its DNSKEY), as validators do. Every step goes through @mimi/dnssec;
 * an unsigned (insecure) delegation is bogus here (DESIGN §6).
 *
 * A child's servers come from its NS hosts (server-hosts.ts).
 */
import {
  keyTag,
  type SecureKeys,
  type TrustAnchor,
  validateDelegation,
  validateDnskeyRrset,
} from '@mimi/dnssec';
import {
  canonicalName,
  type Ds,
  dnskeyCodec,
  isSubdomain,
  type ResourceRecord,
  RRType,
  typeToString,
} from '@mimi/protocol';
import { InFlight } from './cache/in-flight.js';
import type { TimedCache } from './cache/timed-cache.js';
import type { Exchanger } from './exchange.js';
import { BogusError, type ZoneState } from './outcomes.js';
import { findRrset, signatureKeyTag, signerZone } from './response.js';
import { type LookupFn, ServerHosts } from './server-hosts.js';
import type { Endpoint } from './transport/transport.js';
import { shared, type WalkContext } from './walk-context.js';

export type { LookupFn } from './server-hosts.js';

/**
 * The servers of the anchor's zone, found at run time: through a relay the root is
 * reached by its host name, which the root bootstrap learns (privacy/root-bootstrap.ts).
 */
export type RootServers = (context: {
  readonly signal?: AbortSignal | undefined;
  readonly trace?: WalkContext['trace'];
}) => Promise<{ readonly endpoints: readonly Endpoint[]; readonly expiresAt: number }>;

interface ZoneTrustInit {
  readonly anchor: TrustAnchor;
  /** The configured root endpoints, or where to learn them. */
  readonly roots: readonly Endpoint[] | RootServers;
  readonly exchanger: Exchanger;
  readonly cache: TimedCache;
  /** Milliseconds. */
  readonly now: () => number;
  readonly lookup: LookupFn;
}

export class ZoneTrust {
  readonly apex: string;
  private readonly zoneFlights = new InFlight<ZoneState>();
  private readonly hosts: ServerHosts;
  /** Length of the longest zone name seen in the cache (startZone looks no deeper). */
  private longestZone = 0;

  constructor(private readonly init: ZoneTrustInit) {
    this.apex = canonicalName(init.anchor.zone);
    this.hosts = new ServerHosts(init.cache, init.lookup);
  }

  private nowSeconds(): number {
    return Math.floor(this.init.now() / 1000);
  }

  /**
   * The deepest trusted zone in the cache that encloses `name` (canonical), else the
   * anchor's zone. Each suffix of the name at a label boundary, longest first, down to
   * the apex: the cache holds only zones at or below the apex, so a suffix that is not
   * below it never matches; nor, in practice, one longer than every zone seen so far.
   */
  async startZone(name: string, context: WalkContext): Promise<ZoneState> {
    for (const candidate of suffixesDownTo(name, this.apex)) {
      // Longer than every zone this resolver has seen: skip the look-up (a dozen per new
      // CSI). Until it has seen one, every suffix is looked up (a store shared with
      // another resolver may hold zones already).
      if (this.longestZone > 0 && candidate.length > this.longestZone) continue;
      const cached = this.init.cache.get<ZoneState>('zone', candidate);
      if (cached !== undefined) return cached;
    }
    return this.anchorZone(context);
  }

  /**
   * A zone this resolver stored or found in the cache. A deeper zone that another
   * resolver put in a shared store later costs one referral, then is learned here.
   */
  private seen(state: ZoneState): ZoneState {
    if (state.zone.length > this.longestZone) this.longestZone = state.zone.length;
    return state;
  }

  /** The anchor's zone: its DNSKEY RRset from the configured roots, checked against the anchor. */
  anchorZone(context: WalkContext): Promise<ZoneState> {
    const cached = this.init.cache.get<ZoneState>('zone', this.apex);
    if (cached !== undefined) return Promise.resolve(cached);
    return shared(this.zoneFlights, `zone:${this.apex}`, context, async (inner) => {
      const anchor = this.init.anchor;
      const anchorTags = [
        ...(anchor.ds ?? []).map((ds) => ds.keyTag),
        ...(anchor.dnskeys ?? []).map((dnskey) => keyTag(dnskeyCodec.encode(dnskey))),
      ];
      inner.trace?.({ event: 'trust-anchor', zone: this.apex, keyTags: anchorTags });
      const roots = this.init.roots;
      const servers =
        typeof roots === 'function'
          ? await roots({ signal: inner.signal, trace: inner.trace })
          : { endpoints: roots, expiresAt: Number.POSITIVE_INFINITY };
      const keys = await this.fetchKeys(this.apex, anchor, servers.endpoints, inner);
      return this.remember(
        {
          zone: this.apex,
          keys: keys.keys,
          servers: servers.endpoints,
          parent: null,
          dsKeyTags: anchorTags,
        },
        Math.min(this.init.now() + keys.ttl * 1000, servers.expiresAt),
        inner,
      );
    });
  }

  /**
   * Trust `zone`, at or below `from`'s zone, whose servers are `from`'s (a server that
   * answered with `zone`'s signature serves it): DS from the parent side, then DNSKEY.
   */
  zoneBySigner(zone: string, from: ZoneState, context: WalkContext): Promise<ZoneState> {
    if (zone === from.zone) return Promise.resolve(from);
    if (!isSubdomain(zone, from.zone)) {
      return Promise.reject(
        new BogusError('signer-mismatch', `${zone} is not below ${from.zone}`, from.zone),
      );
    }
    const cached = this.init.cache.get<ZoneState>('zone', zone);
    if (cached !== undefined) return Promise.resolve(this.seen(cached));
    return shared(this.zoneFlights, `zone:${zone}`, context, async (inner) => {
      const { message } = await this.init.exchanger.query(from.servers, zone, RRType.DS, {
        signal: inner.signal,
        trace: inner.trace,
        zone: from.zone,
      });
      const proofSet =
        findRrset(message.answers, zone, RRType.DS) ?? findRrset(message.authorities, zone, RRType.NSEC);
      if (proofSet === undefined) {
        throw new BogusError(
          'no-ds-proof',
          `the servers of ${from.zone} gave neither a ds nor a denial for ${zone}`,
          from.zone,
        );
      }
      const parentName = signerZone(proofSet, from.zone);
      if (parentName === zone) {
        throw new BogusError(
          'no-ds-proof',
          `the ds of ${zone} is answered by ${zone} itself, not its parent`,
          zone,
        );
      }
      const parent = await this.zoneBySigner(parentName, from, inner);
      const records = [...message.answers, ...message.authorities];
      const ds = this.checkDelegation(zone, parent, records, records, inner);
      const keys = await this.fetchKeys(zone, { ds: ds.ds }, from.servers, inner);
      return this.remember(
        {
          zone,
          keys: keys.keys,
          servers: from.servers,
          parent: parent.zone,
          dsKeyTags: ds.ds.map((d) => d.keyTag),
        },
        this.init.now() + Math.min(ds.ttl, keys.ttl) * 1000,
        inner,
      );
    });
  }

  /** Follow a referral from `parent` to `child`: DS, the NS hosts' endpoints, DNSKEY. */
  enterChild(
    parent: ZoneState,
    child: string,
    hosts: readonly string[],
    proof: { records: readonly ResourceRecord[]; rrsigs: readonly ResourceRecord[] },
    context: WalkContext,
  ): Promise<ZoneState> {
    const cached = this.init.cache.get<ZoneState>('zone', child);
    if (cached !== undefined) return Promise.resolve(this.seen(cached));
    return shared(this.zoneFlights, `zone:${child}`, context, async (inner) => {
      const ds = this.checkDelegation(child, parent, proof.records, proof.rrsigs, inner);
      const servers = await this.hosts.serversOf(child, hosts, inner);
      const keys = await this.fetchKeys(child, { ds: ds.ds }, servers.endpoints, inner);
      return this.remember(
        {
          zone: child,
          keys: keys.keys,
          servers: servers.endpoints,
          parent: parent.zone,
          dsKeyTags: ds.ds.map((d) => d.keyTag),
        },
        Math.min(this.init.now() + Math.min(ds.ttl, keys.ttl) * 1000, servers.expiresAt),
        inner,
      );
    });
  }

  private checkDelegation(
    child: string,
    parent: ZoneState,
    records: readonly ResourceRecord[],
    rrsigs: readonly ResourceRecord[],
    context: WalkContext,
  ): { ds: readonly Ds[]; ttl: number } {
    const result = validateDelegation({
      child,
      parentKeys: parent.keys,
      proof: { records, rrsigs },
      now: this.nowSeconds(),
    });
    if (result.status === 'bogus')
      throw new BogusError(result.reason.code, result.reason.message, result.reason.zone);
    if (result.status === 'insecure') {
      // DESIGN §6: "an unsigned or insecure delegation is `bogus` (every zone here is signed)".
      throw new BogusError('insecure-delegation', result.reason, parent.zone);
    }
    context.trace?.({
      event: 'verified',
      zone: parent.zone,
      name: child,
      type: typeToString(RRType.DS),
      what: 'rrset',
      keyTag: signatureKeyTag(rrsigs, child, RRType.DS, parent.keys),
    });
    return result;
  }

  private async fetchKeys(
    zone: string,
    authority: { ds?: readonly Ds[]; dnskeys?: TrustAnchor['dnskeys'] },
    servers: readonly Endpoint[],
    context: WalkContext,
  ): Promise<SecureKeys> {
    const { message } = await this.init.exchanger.query(servers, zone, RRType.DNSKEY, {
      signal: context.signal,
      trace: context.trace,
      zone,
    });
    const set = findRrset(message.answers, zone, RRType.DNSKEY);
    if (set === undefined)
      throw new BogusError('no-dnskey', `the servers of ${zone} sent no dnskey rrset`, zone);
    const result = validateDnskeyRrset(zone, authority, set.records, set.rrsigs, this.nowSeconds());
    if (result.status !== 'secure')
      throw new BogusError(result.reason.code, result.reason.message, result.reason.zone);
    return result;
  }

  private remember(fields: Omit<ZoneState, 'expiresAt'>, expiresAt: number, context: WalkContext): ZoneState {
    const state = this.seen({ ...fields, expiresAt });
    this.init.cache.set('zone', state.zone, state, expiresAt);
    context.trace?.({
      event: 'zone',
      zone: state.zone,
      parent: state.parent,
      dsKeyTags: state.dsKeyTags,
      dnskeyKeyTags: state.keys.keys.map((key) => key.keyTag),
      servers: state.servers.map((server) => ({ url: server.url, host: server.host })),
    });
    return state;
  }
}

/**
 * The suffixes of `name` (presentation form) at its label boundaries, longest first,
 * ending with `apex` when the name lies under it; scanning the string once instead of
 * parsing and formatting it per step. An escaped dot (`\.`) is inside a label, not a
 * boundary (RFC 4343 §2.1).
 */
export function* suffixesDownTo(name: string, apex: string): Generator<string> {
  let start = 0;
  while (start < name.length && name.length - start >= apex.length) {
    const suffix = start === 0 ? name : name.slice(start);
    yield suffix;
    if (suffix === apex) return;
    let at = start;
    while (at < name.length && name.charCodeAt(at) !== 0x2e /* . */) {
      at += name.charCodeAt(at) === 0x5c /* \ */ ? 2 : 1;
    }
    start = at + 1;
  }
}
