/**
 * RRSIG creation (RFC 4034 §3, RFC 4035 §2.2) with Ed25519 (RFC 8080 §4) through
 * node:crypto. Pure apart from the signature itself: the validity window is given.
 */
import { signEd25519 } from '@mimi/crypto';
import {
  compareNames,
  isSubdomain,
  labelCount,
  parseName,
  type ResourceRecord,
  RRType,
  type Rrsig,
  rrsigCodec,
} from '@mimi/protocol';
import { ALGORITHM_ED25519 } from './constants.js';
import { DnssecError } from './errors.js';
import { unixToRrsigTime } from './serial-time.js';
import { type RrsigFields, signedData } from './signed-data.js';
import type { ZoneKey } from './zone-key.js';

export interface SignatureWindow {
  /** Unix seconds; usually an hour or so before now, to absorb clock skew. */
  readonly inception: number;
  /** Unix seconds, after `inception`. */
  readonly expiration: number;
}

/**
 * RFC 4034 §3.1.3: "The Labels field ... MUST NOT count either the null (root)
 * label ... or the wildcard label ('*')" when the leftmost label is `*`.
 */
export function rrsigLabelCount(owner: string): number {
  // labelCount reads plain text without parsing it; `*.` in text is the wildcard label
  // unless escaped, and an escaped name takes the parser.
  if (owner !== '*' && !owner.startsWith('*.') && !owner.includes('\\')) return labelCount(owner);
  const labels = parseName(owner);
  const first = labels[0];
  const wildcard = first !== undefined && first.length === 1 && first[0] === 0x2a;
  return wildcard ? labels.length - 1 : labels.length;
}

/**
 * Check that `records` form one RRset (same owner, type and class) and return its
 * TTL: RFC 2181 §5.2 says differing TTLs are treated as the lowest of them.
 */
export function rrsetTtl(records: readonly ResourceRecord[]): number {
  const first = records[0];
  if (!first) throw new DnssecError('rrset-empty', 'cannot sign an empty rrset');
  let ttl = first.ttl;
  for (const record of records) {
    if (
      record.type !== first.type ||
      record.class !== first.class ||
      compareNames(record.name, first.name) !== 0
    ) {
      throw new DnssecError(
        'rrset-mixed',
        `records of ${record.name} type ${record.type} are not one rrset with ${first.name}`,
      );
    }
    ttl = Math.min(ttl, record.ttl);
  }
  return ttl;
}

/** Sign one RRset with the zone key; returns the RRSIG record (TTL = the RRset's). */
export function signRrset(
  records: readonly ResourceRecord[],
  key: ZoneKey,
  window: SignatureWindow,
): ResourceRecord {
  const ttl = rrsetTtl(records);
  const first = records[0]!;
  if (first.type === RRType.RRSIG)
    throw new DnssecError('rrset-type', 'rrsig rrsets are never signed (RFC 4035 §2.2)');
  if (!isSubdomain(first.name, key.zone)) {
    throw new DnssecError('owner-outside-zone', `${first.name} is not in zone ${key.zone}`);
  }
  if (key.dnskey.algorithm !== ALGORITHM_ED25519) {
    throw new DnssecError(
      'unsupported-algorithm',
      `cannot sign with algorithm ${key.dnskey.algorithm} (only 15, ed25519)`,
    );
  }
  if (!(window.expiration > window.inception)) {
    throw new DnssecError('bad-validity', 'signature expiration must be after its inception');
  }
  const fields: RrsigFields = {
    typeCovered: first.type,
    algorithm: ALGORITHM_ED25519,
    labels: rrsigLabelCount(first.name),
    originalTtl: ttl,
    expiration: unixToRrsigTime(window.expiration),
    inception: unixToRrsigTime(window.inception),
    keyTag: key.keyTag,
    signerName: key.zone,
  };
  const data = signedData(
    fields,
    first.name,
    records.map((record) => record.rdata),
    first.class,
  );
  const rrsig: Rrsig = { ...fields, signature: signEd25519(key.privateKey, data) };
  return { name: first.name, type: RRType.RRSIG, class: first.class, ttl, rdata: rrsigCodec.encode(rrsig) };
}
