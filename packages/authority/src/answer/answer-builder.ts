/**
 * Lookup outcome → response sections (RFC 1034 §4.3.2, RFC 4035 §3.1 with DNSSEC,
 * RFC 9824 compact denial, RFC 2308 negative caching; DESIGN §5).
 *
 * - answer: the RRset (+ RRSIG with DO), AA.
 * - referral: NS of the cut in authority, then its DS + RRSIG, or with DO and no DS the
 *   signed NSEC proving there is none (RFC 4035 §3.1.4.1); addresses and `_dns` SVCB of
 *   the NS targets in additional (signed when our zone is authoritative for them, glue
 *   never). Not AA.
 * - NODATA, missing name: NOERROR, SOA with TTL = min(SOA TTL, MINIMUM) (RFC 2308 §5) and
 *   with DO its RRSIG and the compact NSEC at the qname + RRSIG (RFC 9824 §3). Inside a
 *   CSI subtree a missing name is byte for byte an empty non-terminal. Outside, a
 *   missing name gets NXNAME in the bitmap, and without DO the classic NXDOMAIN (RFC 9824
 *   §5: only DNSSEC-aware clients can read NXNAME).
 * - an explicit NSEC query gets the compact NSEC itself as the answer.
 * TTLs of mapping data and its denials are at most 300 s (DESIGN §5).
 */
import type { ZoneKey } from '@mimi/dnssec';
import { type ResourceRecord, type RRset, RRType } from '@mimi/protocol';
import { MAPPING_TTL_SECONDS } from '../constants.js';
import type { LookupResult } from '../lookup.js';
import {
  type DenialKind,
  denialRecord,
  type OnlineSigner,
  type SignedRRset,
} from '../signer/online-signer.js';
import type { Zone } from '../zone/zone.js';
import { Rcode, type ResponseSections } from './response.js';

/** Seconds a response that holds no record (REFUSED and the like) may be cached. */
export const RECORDLESS_CACHE_SECONDS = 300;
/**
 * Longest `keepSeconds` (our choice): answers without signatures or expiring mappings
 * change only through a store change or a reload, which invalidate them anyway.
 */
export const MAX_KEEP_SECONDS = 86_400;

export interface BuildContext {
  readonly qname: string;
  readonly qtype: number;
  readonly dnssecOk: boolean;
  readonly now: number;
  readonly signer: OnlineSigner;
  readonly keyOf: (zone: Zone) => ZoneKey;
  /** When mapping data in the answer changes by itself (earliest expiry), if any. */
  readonly changesAt?: number | undefined;
}

type Section = 'answers' | 'authorities' | 'additionals';

class Sections {
  readonly out: ResponseSections;
  /** Smallest TTL served, and the first moment the bytes change (refresh point, mapping expiry). */
  private horizon = Number.POSITIVE_INFINITY;
  private keep = MAX_KEEP_SECONDS;

  constructor(
    private readonly ctx: BuildContext,
    rcode: number,
    aa: boolean,
  ) {
    this.out = {
      rcode,
      aa,
      answers: [],
      authorities: [],
      additionals: [],
      invalidationName: ctx.qname,
      cacheSeconds: 0,
    };
    if (ctx.changesAt !== undefined) this.changesIn(ctx.changesAt - ctx.now);
  }

  private changesIn(seconds: number): void {
    this.horizon = Math.min(this.horizon, seconds);
    this.keep = Math.min(this.keep, seconds);
  }

  /** Add `rrset`; with DO and a signing zone, its RRSIG too. `ttl` overrides the served TTL. */
  rrset(section: Section, rrset: RRset, signingZone: Zone | undefined, ttl = rrset.ttl): void {
    if (this.ctx.dnssecOk && signingZone !== undefined) {
      this.signed(section, this.ctx.signer.sign(rrset, this.ctx.keyOf(signingZone), this.ctx.now), ttl);
      return;
    }
    for (const rdata of rrset.rdatas) {
      this.out[section].push({ name: rrset.name, type: rrset.type, class: rrset.class, ttl, rdata });
    }
    this.horizon = Math.min(this.horizon, ttl);
  }

  /** One unsigned record. */
  record(section: Section, record: ResourceRecord): void {
    this.out[section].push(record);
    this.horizon = Math.min(this.horizon, record.ttl);
  }

  signed(section: Section, signed: SignedRRset, ttl?: number): void {
    const served = ttl ?? signed.rrsig.ttl;
    for (const record of signed.records) this.out[section].push(withTtl(record, served));
    this.out[section].push(withTtl(signed.rrsig, served));
    this.horizon = Math.min(this.horizon, served);
    this.changesIn(signed.refreshAt - this.ctx.now);
  }

  finish(): ResponseSections {
    const horizon = Number.isFinite(this.horizon) ? this.horizon : RECORDLESS_CACHE_SECONDS;
    this.out.cacheSeconds = Math.max(0, Math.floor(horizon));
    this.out.keepSeconds = Math.max(0, Math.floor(this.keep));
    return this.out;
  }
}

function withTtl(record: ResourceRecord, ttl: number): ResourceRecord {
  return record.ttl === ttl ? record : { ...record, ttl };
}

/** A response with no records, e.g. REFUSED. */
export function recordlessResponse(ctx: BuildContext, rcode: number): ResponseSections {
  return new Sections(ctx, rcode, false).finish();
}

export function buildResponse(result: LookupResult, ctx: BuildContext): ResponseSections {
  switch (result.kind) {
    case 'refused':
      return recordlessResponse(ctx, Rcode.REFUSED);
    case 'answer': {
      const sections = new Sections(ctx, Rcode.NOERROR, true);
      sections.rrset('answers', result.rrset, result.zone);
      return sections.finish();
    }
    case 'referral': {
      const sections = new Sections(ctx, Rcode.NOERROR, false);
      sections.rrset('authorities', result.ns, undefined);
      if (result.ds !== undefined) {
        sections.rrset('authorities', result.ds, result.zone);
      } else if (ctx.dnssecOk) {
        const key = ctx.keyOf(result.zone);
        const ttl = result.zone.negativeTtl;
        sections.signed(
          'authorities',
          ctx.signer.denial(key, result.cut, { kind: 'nodata', types: [RRType.NS] }, ttl, ctx.now),
        );
      }
      for (const extra of result.additional) {
        sections.rrset('additionals', extra.rrset, extra.authoritative ? extra.zone : undefined);
      }
      return sections.finish();
    }
    case 'nodata':
      return negative(ctx, result.zone, result.name, { kind: 'nodata', types: result.types }, false);
    case 'missing':
      return negative(
        ctx,
        result.zone,
        result.name,
        { kind: 'missing', insideCsiSubtree: result.inCsiSubtree },
        !result.inCsiSubtree,
      );
  }
}

function negative(
  ctx: BuildContext,
  zone: Zone,
  name: string,
  what: DenialKind,
  nameError: boolean,
): ResponseSections {
  const inCsi = zone.isInCsiSubtree(name);
  const ttl = inCsi ? Math.min(zone.negativeTtl, MAPPING_TTL_SECONDS) : zone.negativeTtl;
  const denial = () => ctx.signer.denial(ctx.keyOf(zone), name, what, ttl, ctx.now);
  if (ctx.qtype === RRType.NSEC) {
    // RFC 4035 §3.1: an explicit NSEC query is answered with the NSEC at the name.
    const sections = new Sections(ctx, Rcode.NOERROR, true);
    if (ctx.dnssecOk) sections.signed('answers', denial(), ttl);
    else sections.record('answers', denialRecord(name, what, ttl));
    return sections.finish();
  }
  const rcode = nameError && !ctx.dnssecOk ? Rcode.NXDOMAIN : Rcode.NOERROR;
  const sections = new Sections(ctx, rcode, true);
  sections.rrset('authorities', zone.soa, zone, Math.min(ttl, zone.soa.ttl));
  if (ctx.dnssecOk) sections.signed('authorities', denial(), ttl);
  return sections.finish();
}
