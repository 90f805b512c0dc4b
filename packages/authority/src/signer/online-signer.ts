/**
 * The online signer (DESIGN §5 "Signing is online"; RFC 4035 §2.2 RRSIGs, RFC 9824
 * compact denials) with its signature caches:
 *
 * - data RRsets are signed with validity [now − 1 h, now + 7 d − jitter] and re-signed
 *   once less than 2 days remain, where the jitter in [0, 1 d) is a hash of owner and
 *   type, so RRsets signed in one pass come due spread over a day; a signature is found
 *   again by the RRset object itself (zone data: no hashing) or by its content (store
 *   RRsets are rebuilt per read), so the same RRset is never signed twice while its
 *   signature is fresh. What is kept is the packed RRSIG (packed-signature.ts: one
 *   string per RRset, cheap for the garbage collector); the answer gets the RRset's
 *   own records and an RRSIG record rebuilt from it;
 * - denial NSECs are built and signed once per (zone key, qname, bitmap, TTL) and kept in
 *   a bounded LRU, so a repeated denial costs a map lookup, not an Ed25519 signature.
 *
 * The clock is the caller's `now` (Unix seconds); the signing function is injectable
 * so tests can count signatures.
 */
import { toHex } from '@mimi/crypto';
import { missingNameNsec, nodataNsec, type SignatureWindow, signRrset, type ZoneKey } from '@mimi/dnssec';
import type { ResourceRecord, RRset } from '@mimi/protocol';
import {
  DEFAULT_DENIAL_CACHE_ENTRIES,
  DEFAULT_RRSET_SIGNATURE_CACHE_ENTRIES,
  SIGNATURE_INCEPTION_BACKDATE_SECONDS,
  SIGNATURE_JITTER_SECONDS,
  SIGNATURE_REFRESH_SECONDS,
  SIGNATURE_VALIDITY_SECONDS,
} from '../constants.js';
import { Lru } from './lru.js';
import { contentKey, packedKey, packedRefreshAt, packSignature, unpackRrsig } from './packed-signature.js';

export type SignFunction = (
  records: readonly ResourceRecord[],
  key: ZoneKey,
  window: SignatureWindow,
) => ResourceRecord;

/** An RRset's records with the RRSIG that covers them. */
export interface SignedRRset {
  readonly records: readonly ResourceRecord[];
  readonly rrsig: ResourceRecord;
  /** Unix seconds from which the signature is due for replacement. */
  readonly refreshAt: number;
}

/** What a denial proves (RFC 9824 §3): NODATA at an existing name, or a missing name. */
export type DenialKind =
  | { readonly kind: 'nodata'; readonly types: readonly number[] }
  | { readonly kind: 'missing'; readonly insideCsiSubtree: boolean };

export interface OnlineSignerOptions {
  readonly validitySeconds?: number;
  readonly inceptionBackdateSeconds?: number;
  /** Re-sign when less than this remains before expiration. */
  readonly refreshSeconds?: number;
  /**
   * Validity is shortened by a per-RRset offset below this (0: every RRset gets the full
   * validity). Default 1 day, or half the time before the refresh window if that is less.
   */
  readonly jitterSeconds?: number;
  readonly rrsetCacheEntries?: number;
  readonly denialCacheEntries?: number;
  /** The signature primitive (default @mimi/dnssec signRrset). */
  readonly sign?: SignFunction;
}

/** The records of an RRset (owner, type, class, TTL shared). */
export function rrsetRecords(rrset: RRset): ResourceRecord[] {
  return rrset.rdatas.map((rdata) => ({
    name: rrset.name,
    type: rrset.type,
    class: rrset.class,
    ttl: rrset.ttl,
    rdata,
  }));
}

/** The compact-denial NSEC at `qname`, unsigned. */
export function denialRecord(qname: string, what: DenialKind, ttl: number): ResourceRecord {
  return what.kind === 'nodata'
    ? nodataNsec(qname, what.types, ttl)
    : missingNameNsec(qname, ttl, { insideCsiSubtree: what.insideCsiSubtree });
}

export class OnlineSigner {
  private readonly validity: number;
  private readonly backdate: number;
  private readonly refresh: number;
  private readonly jitter: number;
  private readonly signFn: SignFunction;
  private made = 0;
  /** Packed signatures (packed-signature.ts) by RRset object, and by RRset content. */
  private readonly byIdentity = new WeakMap<RRset, string>();
  private readonly byContent: Lru<string, string>;
  private readonly rrsetCapacity: number;
  private readonly denials: Lru<string, string>;
  private readonly keyIds = new WeakMap<ZoneKey, number>();
  private readonly keyMaterials = new Map<string, number>();

  constructor(options: OnlineSignerOptions = {}) {
    this.validity = options.validitySeconds ?? SIGNATURE_VALIDITY_SECONDS;
    this.backdate = options.inceptionBackdateSeconds ?? SIGNATURE_INCEPTION_BACKDATE_SECONDS;
    this.refresh = options.refreshSeconds ?? SIGNATURE_REFRESH_SECONDS;
    // By default at most half of the time before the refresh window, so short test
    // validities keep working: 7 d validity and 2 d refresh leave 5 d, the jitter is 1 d.
    this.jitter =
      options.jitterSeconds ??
      Math.max(0, Math.min(SIGNATURE_JITTER_SECONDS, Math.floor((this.validity - this.refresh) / 2)));
    if (!(this.refresh > 0 && this.refresh + this.jitter < this.validity)) {
      throw new RangeError(
        `refresh (${this.refresh} s) and jitter (${this.jitter} s) must leave part of the validity (${this.validity} s)`,
      );
    }
    if (!(Number.isInteger(this.jitter) && this.jitter >= 0))
      throw new RangeError(`jitter ${this.jitter} must be a non-negative integer`);
    this.signFn = options.sign ?? signRrset;
    this.rrsetCapacity = options.rrsetCacheEntries ?? DEFAULT_RRSET_SIGNATURE_CACHE_ENTRIES;
    this.byContent = new Lru(this.rrsetCapacity);
    this.denials = new Lru(options.denialCacheEntries ?? DEFAULT_DENIAL_CACHE_ENTRIES);
  }

  /**
   * The signed form of `rrset` under `key`, from cache when its signature is fresh.
   * `renewAt` (default `now`) lets a background refresh re-sign ahead of the refresh
   * point: a cached signature is used while `renewAt` is before that point.
   */
  sign(rrset: RRset, key: ZoneKey, now: number, renewAt = now): SignedRRset {
    const keyNumber = this.keyNumberOf(key);
    let packed = this.byIdentity.get(rrset);
    if (packed === undefined || packedKey(packed) !== keyNumber || renewAt >= packedRefreshAt(packed)) {
      const byContent = contentKey(keyNumber, rrset);
      packed = this.byContent.get(byContent);
      if (packed === undefined || renewAt >= packedRefreshAt(packed)) {
        const signed = this.signRecords(rrsetRecords(rrset), key, now);
        packed = packSignature(keyNumber, signed.refreshAt, signed.rrsig);
        this.byContent.set(byContent, packed);
        this.byIdentity.set(rrset, packed);
        return signed;
      }
      this.byIdentity.set(rrset, packed);
    }
    return {
      records: rrsetRecords(rrset),
      rrsig: unpackRrsig(rrset.name, rrset.class, packed),
      refreshAt: packedRefreshAt(packed),
    };
  }

  /** The signed compact-denial NSEC at `qname` (RFC 9824 §3.1/§3.2). */
  denial(key: ZoneKey, qname: string, what: DenialKind, ttl: number, now: number): SignedRRset {
    // A missing name in a CSI subtree has the bitmap of an empty non-terminal: share its entry.
    const bitmap = what.kind === 'nodata' ? what.types.join(',') : what.insideCsiSubtree ? '' : 'nxname';
    const cacheKey = `${this.keyNumberOf(key)}|${qname}|${bitmap}|${ttl}`;
    const cached = this.denials.get(cacheKey);
    // The NSEC is a function of the cache key: rebuilt, only its RRSIG is kept (packed).
    const nsec = denialRecord(qname, what, ttl);
    if (cached !== undefined && now < packedRefreshAt(cached)) {
      return {
        records: [nsec],
        rrsig: unpackRrsig(nsec.name, nsec.class, cached),
        refreshAt: packedRefreshAt(cached),
      };
    }
    const signed = this.signRecords([nsec], key, now);
    this.denials.set(cacheKey, packSignature(this.keyNumberOf(key), signed.refreshAt, signed.rrsig));
    return signed;
  }

  /** How many signatures this signer has made (denials included). */
  get signatures(): number {
    return this.made;
  }

  /**
   * Keep room for `extra` data-RRset signatures beyond the configured bound: a presigning
   * pass over a store larger than the bound would otherwise evict its own first signatures.
   * The bound only grows; it stays proportional to the data served.
   */
  reserve(extra: number): void {
    this.byContent.grow(this.rrsetCapacity + extra);
  }

  /** Forget every cached signature (after a key change). */
  clear(): void {
    this.byContent.clear();
    this.denials.clear();
  }

  private signRecords(records: ResourceRecord[], key: ZoneKey, now: number): SignedRRset {
    const at = Math.floor(now);
    const first = records[0]!;
    const offset = this.jitter === 0 ? 0 : jitterOf(first.name, first.type, this.jitter);
    const window: SignatureWindow = {
      inception: at - this.backdate,
      expiration: at + this.validity - offset,
    };
    const rrsig = this.signFn(records, key, window);
    this.made++;
    return { records, rrsig, refreshAt: window.expiration - this.refresh };
  }

  /** A small number per key material (zone, tag, public key): it is part of every cache key. */
  private keyNumberOf(key: ZoneKey): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      const material = `${key.zone}/${key.keyTag}/${toHex(key.dnskey.publicKey)}`;
      id = this.keyMaterials.get(material);
      if (id === undefined) {
        // Packed signatures hold the number in 16 bits; a server loads a handful of keys.
        id = this.keyMaterials.size & 0xffff;
        this.keyMaterials.set(material, id);
      }
      this.keyIds.set(key, id);
    }
    return id;
  }
}

/**
 * The validity offset of an RRset in [0, span): FNV-1a (32 bits) over the owner name and
 * type, so it is the same at every signing of that RRset and spread evenly across RRsets.
 */
export function jitterOf(owner: string, type: number, span: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < owner.length; i++) hash = Math.imul(hash ^ owner.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (type >>> 8), 0x01000193);
  hash = Math.imul(hash ^ (type & 0xff), 0x01000193);
  return Math.floor(((hash >>> 0) / 0x1_0000_0000) * span);
}
