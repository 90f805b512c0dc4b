/**
 * The online signer (DESIGN §5 "Signing is online"; RFC 4035 §2.2 RRSIGs, RFC 9824
 * compact denials) with its signature caches:
 *
 * - data RRsets are signed with validity [now − 1 h, now + 7 d] and re-signed once
 *   less than 2 days remain; a signature is found again by the RRset object itself (zone
 *   data: no hashing on the hot path) or by its content (store RRsets are rebuilt per
 *   read), so the same RRset is never signed twice while its signature is fresh;
 * - denial NSECs are built and signed once per (zone key, qname, bitmap, TTL) and kept in
 *   a bounded LRU, so a repeated denial costs a map lookup, not an Ed25519 signature.
 *
 * The clock is the caller's `now` (Unix seconds); the signing function is injectable
 * so tests can count signatures.
 */
import { sha256, toBase64Url, toHex } from '@mimi/crypto';
import { missingNameNsec, nodataNsec, type SignatureWindow, signRrset, type ZoneKey } from '@mimi/dnssec';
import type { ResourceRecord, RRset } from '@mimi/protocol';
import {
  DEFAULT_DENIAL_CACHE_ENTRIES,
  DEFAULT_RRSET_SIGNATURE_CACHE_ENTRIES,
  SIGNATURE_INCEPTION_BACKDATE_SECONDS,
  SIGNATURE_REFRESH_SECONDS,
  SIGNATURE_VALIDITY_SECONDS,
} from '../constants.js';
import { Lru } from './lru.js';

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

interface IdentityEntry {
  readonly keyId: string;
  readonly signed: SignedRRset;
}

export class OnlineSigner {
  private readonly validity: number;
  private readonly backdate: number;
  private readonly refresh: number;
  private readonly signFn: SignFunction;
  private readonly byIdentity = new WeakMap<RRset, IdentityEntry>();
  private readonly byContent: Lru<string, SignedRRset>;
  private readonly denials: Lru<string, SignedRRset>;
  private readonly keyIds = new WeakMap<ZoneKey, string>();

  constructor(options: OnlineSignerOptions = {}) {
    this.validity = options.validitySeconds ?? SIGNATURE_VALIDITY_SECONDS;
    this.backdate = options.inceptionBackdateSeconds ?? SIGNATURE_INCEPTION_BACKDATE_SECONDS;
    this.refresh = options.refreshSeconds ?? SIGNATURE_REFRESH_SECONDS;
    if (!(this.refresh > 0 && this.refresh < this.validity)) {
      throw new RangeError(
        `refresh (${this.refresh} s) must be positive and below the validity (${this.validity} s)`,
      );
    }
    this.signFn = options.sign ?? signRrset;
    this.byContent = new Lru(options.rrsetCacheEntries ?? DEFAULT_RRSET_SIGNATURE_CACHE_ENTRIES);
    this.denials = new Lru(options.denialCacheEntries ?? DEFAULT_DENIAL_CACHE_ENTRIES);
  }

  /** The signed form of `rrset` under `key`, from cache when its signature is fresh. */
  sign(rrset: RRset, key: ZoneKey, now: number): SignedRRset {
    const keyId = this.keyIdOf(key);
    const known = this.byIdentity.get(rrset);
    if (known !== undefined && known.keyId === keyId && now < known.signed.refreshAt) return known.signed;
    const contentKey = `${keyId}|${rrset.name}|${rrset.type}|${rrset.ttl}|${digestOf(rrset.rdatas)}`;
    let signed = this.byContent.get(contentKey);
    if (signed === undefined || now >= signed.refreshAt) {
      signed = this.signRecords(rrsetRecords(rrset), key, now);
      this.byContent.set(contentKey, signed);
    }
    this.byIdentity.set(rrset, { keyId, signed });
    return signed;
  }

  /** The signed compact-denial NSEC at `qname` (RFC 9824 §3.1/§3.2). */
  denial(key: ZoneKey, qname: string, what: DenialKind, ttl: number, now: number): SignedRRset {
    // A missing name in a CSI subtree has the bitmap of an empty non-terminal: share its entry.
    const bitmap = what.kind === 'nodata' ? what.types.join(',') : what.insideCsiSubtree ? '' : 'nxname';
    const cacheKey = `${this.keyIdOf(key)}|${qname}|${bitmap}|${ttl}`;
    const cached = this.denials.get(cacheKey);
    if (cached !== undefined && now < cached.refreshAt) return cached;
    const signed = this.signRecords([denialRecord(qname, what, ttl)], key, now);
    this.denials.set(cacheKey, signed);
    return signed;
  }

  /** Forget every cached signature (after a key change). */
  clear(): void {
    this.byContent.clear();
    this.denials.clear();
  }

  private signRecords(records: ResourceRecord[], key: ZoneKey, now: number): SignedRRset {
    const at = Math.floor(now);
    const window: SignatureWindow = { inception: at - this.backdate, expiration: at + this.validity };
    const rrsig = this.signFn(records, key, window);
    return { records, rrsig, refreshAt: window.expiration - this.refresh };
  }

  private keyIdOf(key: ZoneKey): string {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = `${key.zone}/${key.keyTag}/${toHex(key.dnskey.publicKey)}`;
      this.keyIds.set(key, id);
    }
    return id;
  }
}

/** SHA-256 over length-prefixed RDATAs: equal digests mean equal RRset contents. */
function digestOf(rdatas: readonly Uint8Array[]): string {
  const parts: Uint8Array[] = [];
  for (const rdata of rdatas) {
    parts.push(Uint8Array.of(rdata.length >>> 8, rdata.length & 0xff), rdata);
  }
  return toBase64Url(sha256(...parts));
}
