/**
 * The walk: from the closest trusted zone down to the data (RFC 1034 §5.3.3, with RFC
 * 9156 QNAME minimisation as read in minimise.ts), each response classified (answer,
 * referral, denial) and validated before it is used or cached (RFC 4035 §5). The walk
 * does no I/O of its own: exchanges go through the Exchanger and its Transport.
 *
 * Caching: every validated answer and denial is kept for min(TTL, Original TTL, time
 * left on its RRSIG) (RFC 4035 §5.3.3); denials also no longer than the SOA's
 * min(TTL, MINIMUM) when the response carried one (RFC 2308 §5). Trusted zones (keys +
 * servers) are cached by ZoneTrust. Identical look-ups in flight are coalesced.
 */
import { validateDenial, validateRrset } from '@mimi/dnssec';
import { decodeRdata, type ResourceRecord, RRType, typeToString } from '@mimi/protocol';
import { InFlight } from './cache/in-flight.js';
import type { TimedCache } from './cache/timed-cache.js';
import { MAX_REFERRALS } from './constants.js';
import { throwIfAborted, untilAborted } from './errors.js';
import type { Exchanger } from './exchange.js';
import { nextMinimisedName, zoneInsideCsiSubtree } from './minimise.js';
import { canonical, inCsiSubtree, isAtOrBelow } from './names.js';
import { BogusError, type Lookup, type ZoneState } from './outcomes.js';
import { classify, signatureKeyTag, signerZone } from './response.js';
import { shared, type WalkContext } from './walk-context.js';
import type { ZoneTrust } from './zone-trust.js';

/** Zones remembered by insideCsiSubtree before it starts over (zones are few; names are not). */
const INSIDE_MEMO_ENTRIES = 1024;

type Step =
  | { readonly kind: 'zone'; readonly state: ZoneState }
  | { readonly kind: 'lookup'; readonly lookup: Lookup };

export class Engine {
  private readonly lookupFlights = new InFlight<Lookup>();
  private readonly insideMemo = new Map<string, boolean>();

  constructor(
    private readonly trust: ZoneTrust,
    private readonly exchanger: Exchanger,
    private readonly cache: TimedCache,
    private readonly now: () => number,
  ) {}

  get apex(): string {
    return this.trust.apex;
  }

  /** A validated answer or denial for (name, type); throws BogusError or UnreachableError. */
  lookup(name: string, type: number, context: WalkContext): Promise<Lookup> {
    const qname = canonical(name);
    if (!isAtOrBelow(qname, this.apex)) {
      return Promise.reject(
        new BogusError('outside-apex', `${qname} is not under the trust anchor ${this.apex}`),
      );
    }
    const key = `${qname}|${type}`;
    const cached = this.cache.get<Lookup>('rrset', key);
    if (cached !== undefined) {
      context.trace?.({ event: 'cache', qname, qtype: typeToString(type), outcome: describe(cached) });
      return Promise.resolve(cached);
    }
    return shared(
      this.lookupFlights,
      `lookup:${key}`,
      context,
      async (inner) => (await this.walk(qname, type, inner)).lookup,
    );
  }

  /** zoneInsideCsiSubtree, remembered: the walk asks it at every step for a few zones. */
  private insideCsiSubtree(zone: string): boolean {
    let inside = this.insideMemo.get(zone);
    if (inside === undefined) {
      if (this.insideMemo.size >= INSIDE_MEMO_ENTRIES) this.insideMemo.clear();
      inside = zoneInsideCsiSubtree(zone, this.apex);
      this.insideMemo.set(zone, inside);
    }
    return inside;
  }

  /** Drop the cached answer for (name, type), so the next look-up asks again (ODoH 401). */
  forget(name: string, type: number): void {
    this.cache.delete('rrset', `${canonical(name)}|${type}`);
  }

  /**
   * Walk to (qname, qtype) and also return the trusted zone whose data answered
   * (`findDelegation` needs it).
   */
  async walk(
    qname: string,
    qtype: number,
    context: WalkContext,
  ): Promise<{ lookup: Lookup; state: ZoneState }> {
    let state = await this.trust.startZone(qname, context);
    let base = state.zone;
    let count = 0;
    const secret = inCsiSubtree(qname, this.apex);
    for (let hop = 0; hop < MAX_REFERRALS * 4; hop++) {
      throwIfAborted(context.signal);
      // shouldMinimise(state.zone, qname, apex), with the qname's half computed once.
      const minimise = secret && !this.insideCsiSubtree(state.zone);
      const askName = minimise ? nextMinimisedName(qname, base, count) : qname;
      const askType = askName === qname ? qtype : RRType.NS;
      const step = await this.ask(state, askName, askType, context);
      if (step.kind === 'zone') {
        state = step.state;
        base = state.zone;
        count = 0;
        continue;
      }
      const lookup = step.lookup;
      if (lookup.zone !== state.zone) state = await this.trust.zoneBySigner(lookup.zone, state, context);
      if (askName === qname && askType === qtype) return { lookup, state };
      if (lookup.kind === 'denial' && lookup.denial === 'nxname') {
        // RFC 8020: nothing exists below a name that does not exist.
        const denial: Lookup = { ...lookup, name: qname, type: qtype };
        this.cache.set('rrset', `${qname}|${qtype}`, denial, lookup.expiresAt);
        return { lookup: denial, state };
      }
      if (lookup.kind === 'answer' && lookup.zone !== askName) {
        throw new BogusError(
          'unexpected-answer',
          `an ns rrset at ${askName} is signed by ${lookup.zone}, not by ${askName}`,
          lookup.zone,
        );
      }
      // A denial of NS: no zone cut at askName. An NS answer: askName is a zone the same
      // servers serve (state moved to it above). Either way, go one step deeper.
      base = askName;
      count = lookup.kind === 'answer' ? 0 : count + 1;
    }
    throw new BogusError(
      'referral-loop',
      `no answer for ${qname} after ${MAX_REFERRALS * 4} steps`,
      state.zone,
    );
  }

  /** One question to one zone, from cache or its servers, validated. */
  private async ask(state: ZoneState, name: string, type: number, context: WalkContext): Promise<Step> {
    const key = `${name}|${type}`;
    const cached = this.cache.get<Lookup>('rrset', key);
    if (cached !== undefined) {
      context.trace?.({ event: 'cache', qname: name, qtype: typeToString(type), outcome: describe(cached) });
      return { kind: 'lookup', lookup: cached };
    }
    const { message } = await this.exchanger.query(state.servers, name, type, {
      signal: context.signal,
      trace: context.trace,
      zone: state.zone,
    });
    const nowSeconds = Math.floor(this.now() / 1000);
    const classified = classify(message, name, type, state.zone);
    if (classified.kind === 'referral') {
      const child = await this.trust.enterChild(
        state,
        classified.child,
        classified.hosts,
        classified.proof,
        context,
      );
      return { kind: 'zone', state: child };
    }
    if (classified.kind === 'answer') {
      const { rrset } = classified;
      const zone = await this.trust.zoneBySigner(signerZone(rrset, state.zone), state, context);
      const result =
        context.verifier === undefined
          ? validateRrset(rrset.records, rrset.rrsigs, zone.keys, nowSeconds)
          : await untilAborted(
              context.verifier.run({
                kind: 'rrset',
                records: rrset.records,
                rrsigs: rrset.rrsigs,
                keys: zone.keys,
                now: nowSeconds,
              }),
              context.signal,
            );
      if (result.status !== 'secure')
        throw new BogusError(result.reason.code, result.reason.message, result.reason.zone);
      context.trace?.({
        event: 'verified',
        zone: zone.zone,
        name,
        type: typeToString(type),
        what: 'rrset',
        keyTag: result.keyTag,
      });
      const lookup: Lookup = {
        kind: 'answer',
        zone: zone.zone,
        name,
        type,
        records: rrset.records,
        expiresAt: this.now() + result.ttl * 1000,
      };
      this.cache.set('rrset', key, lookup, lookup.expiresAt);
      return { kind: 'lookup', lookup };
    }
    if (classified.nsec === undefined) {
      throw new BogusError(
        'denial-missing',
        `no answer and no nsec for ${name} ${typeToString(type)}`,
        state.zone,
      );
    }
    const zone = await this.trust.zoneBySigner(signerZone(classified.nsec, state.zone), state, context);
    const result = validateDenial({
      qname: name,
      qtype: type,
      records: classified.authorities,
      rrsigs: classified.authorities,
      keys: zone.keys,
      now: nowSeconds,
    });
    if (result.status !== 'secure')
      throw new BogusError(result.reason.code, result.reason.message, result.reason.zone);
    context.trace?.({
      event: 'verified',
      zone: zone.zone,
      name,
      type: typeToString(type),
      what: result.denial,
      keyTag: signatureKeyTag(classified.nsec.rrsigs, name, RRType.NSEC, zone.keys),
    });
    const ttl = Math.min(result.ttl, soaNegativeTtl(classified.authorities, zone.zone));
    const lookup: Lookup = {
      kind: 'denial',
      zone: zone.zone,
      name,
      type,
      denial: result.denial,
      expiresAt: this.now() + ttl * 1000,
    };
    this.cache.set('rrset', key, lookup, lookup.expiresAt);
    return { kind: 'lookup', lookup };
  }
}

/** RFC 2308 §5: min(SOA TTL, SOA MINIMUM) of the zone's SOA when the response has it. */
function soaNegativeTtl(authorities: readonly ResourceRecord[], zone: string): number {
  let ttl = Number.POSITIVE_INFINITY;
  for (const record of authorities) {
    if (record.type !== RRType.SOA || canonical(record.name) !== zone) continue;
    try {
      ttl = Math.min(ttl, record.ttl, decodeRdata(RRType.SOA, record.rdata).minimum);
    } catch {
      // An undecodable SOA only loses its cap; the NSEC's own TTL still applies.
    }
  }
  return ttl;
}

function describe(lookup: Lookup): string {
  return lookup.kind === 'answer' ? `answer (${lookup.records.length} records)` : lookup.denial;
}
