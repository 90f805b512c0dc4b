/**
 * The DNSKEY RRset step of the chain of trust (RFC 4035 §5.2): a zone's DNSKEY RRset
 * is trusted when it is signed by one of its own keys that a DS record from the
 * parent (or a configured trust anchor) designates. Then every usable key in it is
 * trusted for the zone's other RRsets.
 */
import { compareNames, type Dnskey, dnskeyCodec, type ResourceRecord, RRType } from '@mimi/protocol';
import {
  ALGORITHM_ED25519,
  DIGEST_SHA256,
  DNSKEY_PROTOCOL,
  FLAG_REVOKE,
  FLAG_ZONE_KEY,
} from './constants.js';
import { dsMatchesDnskey } from './ds.js';
import { keyTag } from './key-tag.js';
import { type Bogus, bogus, type KeyAuthority, type SecureKeys, type TrustedKey } from './results.js';
import { validateRrset } from './validate-rrset.js';

/**
 * A key we can use (RFC 4035 §5.3.1: "MUST have the Zone Flag bit ... set"; RFC 4034
 * §2.1.2: protocol 3; RFC 5011 §7: a revoked key validates nothing but its own
 * revocation; and our algorithm).
 */
function usable(dnskey: Dnskey): boolean {
  return (
    dnskey.protocol === DNSKEY_PROTOCOL &&
    (dnskey.flags & FLAG_ZONE_KEY) !== 0 &&
    (dnskey.flags & FLAG_REVOKE) === 0 &&
    dnskey.algorithm === ALGORITHM_ED25519
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((octet, i) => octet === b[i]);
}

/**
 * Validate the DNSKEY RRset of `zone` against what vouches for it: the DS records
 * the parent served (already validated), or trust-anchor DS/DNSKEY records.
 */
export function validateDnskeyRrset(
  zone: string,
  authority: KeyAuthority,
  dnskeyRecords: readonly ResourceRecord[],
  rrsigs: readonly ResourceRecord[],
  now: number,
): SecureKeys | Bogus {
  const keysAt = dnskeyRecords.filter((r) => r.type === RRType.DNSKEY);
  if (keysAt.length === 0) return bogus('no-dnskey', `no dnskey rrset for ${zone}`, zone);
  const parsed: { dnskey: Dnskey; rdata: Uint8Array; tag: number }[] = [];
  for (const record of keysAt) {
    if (compareNames(record.name, zone) !== 0) {
      return bogus('rrset-inconsistent', `dnskey at ${record.name} is not at the apex of ${zone}`, zone);
    }
    try {
      parsed.push({
        dnskey: dnskeyCodec.decode(record.rdata),
        rdata: record.rdata,
        tag: keyTag(record.rdata),
      });
    } catch {
      return bogus('malformed', `malformed dnskey in the rrset of ${zone}`, zone);
    }
  }

  const ds = authority.ds ?? [];
  const anchorKeys = authority.dnskeys ?? [];
  const supportedDs = ds.filter((d) => d.algorithm === ALGORITHM_ED25519 && d.digestType === DIGEST_SHA256);
  const supportedAnchors = anchorKeys.filter(usable);
  if (ds.length === 0 && anchorKeys.length === 0) {
    return bogus('no-ds', `nothing vouches for the dnskey rrset of ${zone}`, zone);
  }
  if (supportedDs.length === 0 && supportedAnchors.length === 0) {
    const first = ds[0] ?? anchorKeys[0]!;
    return bogus(
      'unsupported-algorithm',
      `the ds/anchor records of ${zone} use algorithm ${first.algorithm}${'digestType' in first ? ` digest ${first.digestType}` : ''}; only ed25519 (15) with sha-256 (2) is supported`,
      zone,
      'keyTag' in first ? first.keyTag : undefined,
    );
  }

  const entryKeys: TrustedKey[] = parsed
    .filter(
      ({ dnskey, rdata }) =>
        usable(dnskey) &&
        (supportedDs.some((d) => dsMatchesDnskey(d, zone, rdata)) ||
          supportedAnchors.some((anchor) => sameBytes(dnskeyCodec.encode(anchor), rdata))),
    )
    .map(({ dnskey, tag }) => ({ keyTag: tag, dnskey }));
  if (entryKeys.length === 0) {
    const tag = supportedDs[0]?.keyTag;
    return supportedDs.length > 0
      ? bogus('ds-mismatch', `no dnskey of ${zone} matches its ds (key tag ${tag})`, zone, tag)
      : bogus('anchor-missing', `the trust-anchor key is not in the dnskey rrset of ${zone}`, zone);
  }

  const selfSigned = validateRrset(keysAt, rrsigs, { zone, keys: entryKeys }, now);
  if (selfSigned.status !== 'secure') return selfSigned;
  const keys = parsed
    .filter(({ dnskey }) => usable(dnskey))
    .map(({ dnskey, tag }) => ({ keyTag: tag, dnskey }));
  return { status: 'secure', keys: { zone, keys }, ttl: selfSigned.ttl };
}
