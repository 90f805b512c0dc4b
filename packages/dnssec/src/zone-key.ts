/**
 * Zone signing keys: one Ed25519 combined signing key (CSK, flags 257) per zone,
 * its DNSKEY (RFC 4034 §2, RFC 8080 §3), key tag (RFC 4034 Appendix B) and DS
 * (RFC 4509), plus the presentation lines an operator hands to the parent or to
 * resolvers (`mimi.arpa. 3600 IN DS <tag> 15 2 <hex>`, DESIGN §9).
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyOf } from '@mimi/crypto';
import {
  CLASS_IN,
  canonicalName,
  type Dnskey,
  type Ds,
  dnskeyCodec,
  dsCodec,
  type ResourceRecord,
  RRType,
} from '@mimi/protocol';
import { ALGORITHM_ED25519, CSK_FLAGS, DNSKEY_PROTOCOL } from './constants.js';
import { computeDs } from './ds.js';
import { keyTag } from './key-tag.js';

export interface ZoneKey {
  /** Canonical (lowercase, absolute) zone name: the owner of the DNSKEY and the RRSIG signer. */
  readonly zone: string;
  readonly privateKey: KeyObject;
  readonly dnskey: Dnskey;
  readonly dnskeyRdata: Uint8Array;
  readonly keyTag: number;
  /** The SHA-256 DS the parent publishes for this key. */
  readonly ds: Ds;
}

/** Build the zone key for `zone` from an Ed25519 private key (flags 257 unless given). */
export function createZoneKey(zone: string, privateKey: KeyObject, flags: number = CSK_FLAGS): ZoneKey {
  const owner = canonicalName(zone);
  const dnskey: Dnskey = {
    flags,
    protocol: DNSKEY_PROTOCOL,
    algorithm: ALGORITHM_ED25519,
    publicKey: publicKeyOf(privateKey),
  };
  const dnskeyRdata = dnskeyCodec.encode(dnskey);
  return {
    zone: owner,
    privateKey,
    dnskey,
    dnskeyRdata,
    keyTag: keyTag(dnskeyRdata),
    ds: computeDs(owner, dnskeyRdata),
  };
}

export function dnskeyRecord(key: ZoneKey, ttl: number): ResourceRecord {
  return { name: key.zone, type: RRType.DNSKEY, class: CLASS_IN, ttl, rdata: key.dnskeyRdata };
}

export function dsRecord(key: ZoneKey, ttl: number): ResourceRecord {
  return { name: key.zone, type: RRType.DS, class: CLASS_IN, ttl, rdata: dsCodec.encode(key.ds) };
}

/** `<zone> <ttl> IN DS <tag> 15 2 <hex>`: a parent's DS, or a resolver's trust anchor. */
export function dsLine(key: ZoneKey, ttl: number): string {
  return `${key.zone} ${ttl} IN DS ${dsCodec.toText(key.ds)}`;
}

/** `<zone> <ttl> IN DNSKEY 257 3 15 <base64>`. */
export function dnskeyLine(key: ZoneKey, ttl: number): string {
  return `${key.zone} ${ttl} IN DNSKEY ${dnskeyCodec.toText(key.dnskey)}`;
}
