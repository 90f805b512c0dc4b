/**
 * DS digests (RFC 4034 §5.1.4, SHA-256 per RFC 4509 §2.1):
 * digest = SHA-256(DNSKEY owner name in canonical form | DNSKEY RDATA).
 */
import { sha256 } from '@mimi/crypto';
import { type Ds, nameToWire } from '@mimi/protocol';
import { DIGEST_SHA256 } from './constants.js';
import { DnssecError } from './errors.js';
import { keyTag } from './key-tag.js';

/** The DS for a DNSKEY at `owner` (SHA-256 only: RFC 4509; others are refused). */
export function computeDs(owner: string, dnskeyRdata: Uint8Array, digestType: number = DIGEST_SHA256): Ds {
  if (digestType !== DIGEST_SHA256) {
    throw new DnssecError(
      'unsupported-algorithm',
      `ds digest type ${digestType} is not supported (only 2, sha-256)`,
    );
  }
  if (dnskeyRdata.length < 4) throw new DnssecError('zone-data', 'dnskey rdata is shorter than 4 octets');
  return {
    keyTag: keyTag(dnskeyRdata),
    algorithm: dnskeyRdata[3]!,
    digestType,
    digest: sha256(nameToWire(owner, { lowercase: true }), dnskeyRdata),
  };
}

/** True when `ds` (a supported digest type) designates this DNSKEY at `owner`. */
export function dsMatchesDnskey(ds: Ds, owner: string, dnskeyRdata: Uint8Array): boolean {
  if (ds.digestType !== DIGEST_SHA256 || dnskeyRdata.length < 4) return false;
  if (ds.keyTag !== keyTag(dnskeyRdata) || ds.algorithm !== dnskeyRdata[3]) return false;
  const digest = computeDs(owner, dnskeyRdata, ds.digestType).digest;
  return digest.length === ds.digest.length && digest.every((octet, i) => octet === ds.digest[i]);
}
