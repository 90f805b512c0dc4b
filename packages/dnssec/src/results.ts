/**
 * Validation outcomes (RFC 4033 §5, RFC 4035 §4.3): a closed union the caller must
 * look at. Failures are results, not exceptions; each bogus reason has a stable code.
 */
import type { Dnskey, Ds, ResourceRecord } from '@mimi/protocol';

/**
 * Stable reason codes of a bogus result:
 * - `malformed`: a DNSSEC record whose RDATA does not decode;
 * - `rrset-inconsistent`: records that are not one RRset, or two NSEC at one name;
 * - `owner-outside-zone`: data, or a child zone, not below the zone whose keys sign it;
 * - `no-rrsig`: no RRSIG covers the RRset (stripped signatures);
 * - `signer-mismatch`: the RRSIG's signer is not the zone (RFC 4035 §5.3.1);
 * - `unsupported-algorithm`: an algorithm other than 15 (RFC 8080) where one is needed;
 * - `labels`: RRSIG Labels larger than the owner's label count;
 * - `wildcard-unsupported`: a wildcard-expanded answer (Labels smaller; our zones have none);
 * - `signature-not-yet-valid`, `signature-expired`: outside inception..expiration;
 * - `no-matching-key`: no trusted DNSKEY has the RRSIG's key tag and algorithm;
 * - `bad-key`: the DNSKEY's public key is refused by the Ed25519 profile;
 * - `bad-signature`: the signature does not verify;
 * - `no-dnskey`, `no-ds`, `ds-mismatch`, `anchor-missing`: the DNSKEY RRset step;
 * - `no-ds-proof`, `not-a-delegation`: the delegation step;
 * - `denial-missing`, `denial-wrong-owner`, `denial-type-present`, `denial-cname-present`,
 *   `denial-bitmap`, `denial-next-name`, `denial-at-delegation`, `denial-wrong-side`: denials;
 * - `chain-order`, `anchor-zone-mismatch`: a chain that does not descend from the anchor.
 */
export type BogusCode =
  | 'malformed'
  | 'rrset-inconsistent'
  | 'owner-outside-zone'
  | 'no-rrsig'
  | 'signer-mismatch'
  | 'unsupported-algorithm'
  | 'labels'
  | 'wildcard-unsupported'
  | 'signature-not-yet-valid'
  | 'signature-expired'
  | 'no-matching-key'
  | 'bad-key'
  | 'bad-signature'
  | 'no-dnskey'
  | 'no-ds'
  | 'ds-mismatch'
  | 'anchor-missing'
  | 'no-ds-proof'
  | 'not-a-delegation'
  | 'denial-missing'
  | 'denial-wrong-owner'
  | 'denial-type-present'
  | 'denial-cname-present'
  | 'denial-bitmap'
  | 'denial-next-name'
  | 'denial-at-delegation'
  | 'denial-wrong-side'
  | 'chain-order'
  | 'anchor-zone-mismatch';

export interface BogusReason {
  readonly code: BogusCode;
  /** One lowercase line naming the offending record. */
  readonly message: string;
  /** The zone whose data or keys failed. */
  readonly zone: string;
  readonly keyTag?: number;
}

export interface Secure {
  readonly status: 'secure';
}
export interface Insecure {
  readonly status: 'insecure';
  readonly reason: string;
}
export interface Bogus {
  readonly status: 'bogus';
  readonly reason: BogusReason;
}

export type ValidationResult = Secure | Insecure | Bogus;

/** A DNSKEY the validator trusts for a zone (RFC 4035 §5.2), with its key tag. */
export interface TrustedKey {
  readonly keyTag: number;
  readonly dnskey: Dnskey;
}

/** The validated keys of one zone: what validateRrset and validateDenial verify with. */
export interface ZoneKeys {
  readonly zone: string;
  readonly keys: readonly TrustedKey[];
}

/** What vouches for a zone's DNSKEY RRset: DS records from its parent, or anchor keys. */
export interface KeyAuthority {
  readonly ds?: readonly Ds[];
  readonly dnskeys?: readonly Dnskey[];
}

/** A configured root of trust (DESIGN §9: the root DP's DS and/or DNSKEY lines). */
export interface TrustAnchor extends KeyAuthority {
  readonly zone: string;
}

/** An RRset (or NSEC records) together with the RRSIG records that came with it. */
export interface SignedRecords {
  readonly records: readonly ResourceRecord[];
  readonly rrsigs: readonly ResourceRecord[];
}

export interface SecureRrset extends Secure {
  /** RFC 4035 §5.3.3: min(RRset TTL, Original TTL, seconds until the signature expires). */
  readonly ttl: number;
  readonly keyTag: number;
}

export interface SecureKeys extends Secure {
  readonly keys: ZoneKeys;
  readonly ttl: number;
}

export interface SecureDelegation extends Secure {
  /** The child's DS records with a supported algorithm and digest type. */
  readonly ds: readonly Ds[];
  readonly ttl: number;
}

export interface SecureDenial extends Secure {
  /** `nxname`: RFC 9824 NXNAME was set (the name does not exist); else NODATA. */
  readonly denial: 'nodata' | 'nxname';
  /** Types the NSEC says exist at the name. */
  readonly types: readonly number[];
  readonly ttl: number;
}

export function bogus(code: BogusCode, message: string, zone: string, keyTag?: number): Bogus {
  return {
    status: 'bogus',
    reason: keyTag === undefined ? { code, message, zone } : { code, message, zone, keyTag },
  };
}
