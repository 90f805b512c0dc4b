/**
 * RRset validation with a zone's trusted keys (RFC 4035 §5.3): pick the RRSIGs that
 * cover the RRset, check each one's fields (§5.3.1), rebuild the signed data
 * (RFC 4034 §3.1.8.1) and verify it with strict Ed25519 (RFC 8080, DESIGN §4). One
 * valid RRSIG makes the RRset secure; otherwise the most telling failure is reported.
 */
import { CryptoError, verifyEd25519 } from '@mimi/crypto';
import { MimiError } from '@mimi/errors';
import {
  compareNames,
  isSubdomain,
  type ResourceRecord,
  RRType,
  type Rrsig,
  rrsigCodec,
  typeToString,
} from '@mimi/protocol';
import { ALGORITHM_ED25519 } from './constants.js';
import { type Bogus, type BogusCode, bogus, type SecureRrset, type ZoneKeys } from './results.js';
import { rrsigTimeToUnix } from './serial-time.js';
import { signedData } from './signed-data.js';
import { rrsigLabelCount } from './signer.js';

/** Failures in the order they are reached; the furthest one is the most telling. */
const FAILURE_RANK: readonly BogusCode[] = [
  'malformed',
  'signer-mismatch',
  'unsupported-algorithm',
  'labels',
  'wildcard-unsupported',
  'no-matching-key',
  'signature-not-yet-valid',
  'signature-expired',
  'bad-key',
  'bad-signature',
];

function describe(records: readonly ResourceRecord[]): string {
  const first = records[0]!;
  return `${typeToString(first.type)} rrset at ${first.name}`;
}

/** Check that `records` are one non-empty RRset; returns a bogus result if not. */
export function checkRrset(records: readonly ResourceRecord[], zone: string): Bogus | undefined {
  const first = records[0];
  if (!first) return bogus('rrset-inconsistent', 'empty rrset', zone);
  for (const record of records) {
    if (
      record.type !== first.type ||
      record.class !== first.class ||
      compareNames(record.name, first.name) !== 0
    ) {
      return bogus(
        'rrset-inconsistent',
        `${record.name} ${typeToString(record.type)} mixed into the ${describe(records)}`,
        zone,
      );
    }
  }
  return undefined;
}

/** One RRSIG against the RRset; undefined when it verifies. */
function checkRrsig(
  rrsig: Rrsig,
  records: readonly ResourceRecord[],
  keys: ZoneKeys,
  now: number,
): { code: BogusCode; message: string; keyTag?: number } | undefined {
  const first = records[0]!;
  const what = describe(records);
  if (compareNames(rrsig.signerName, keys.zone) !== 0) {
    return {
      code: 'signer-mismatch',
      message: `rrsig over ${what} is signed by ${rrsig.signerName}, not ${keys.zone}`,
    };
  }
  if (rrsig.algorithm !== ALGORITHM_ED25519) {
    return {
      code: 'unsupported-algorithm',
      message: `rrsig over ${what} uses algorithm ${rrsig.algorithm}; only 15 (ed25519) is supported`,
      keyTag: rrsig.keyTag,
    };
  }
  // RFC 4034 §3.1.3 counting (a leading `*` is not a label), so that the wildcard
  // RRset itself, asked for by its literal name, is not taken for an expansion.
  const ownerLabels = rrsigLabelCount(first.name);
  if (rrsig.labels > ownerLabels) {
    return {
      code: 'labels',
      message: `rrsig labels ${rrsig.labels} exceed the ${ownerLabels} labels of ${first.name}`,
    };
  }
  if (rrsig.labels < ownerLabels) {
    return {
      code: 'wildcard-unsupported',
      message: `rrsig over ${what} is a wildcard expansion, which is not accepted`,
    };
  }
  const inception = rrsigTimeToUnix(rrsig.inception, now);
  const expiration = rrsigTimeToUnix(rrsig.expiration, now);
  const candidates = keys.keys.filter(
    (k) => k.keyTag === rrsig.keyTag && k.dnskey.algorithm === rrsig.algorithm,
  );
  if (candidates.length === 0) {
    return {
      code: 'no-matching-key',
      message: `no trusted key of ${keys.zone} has tag ${rrsig.keyTag} for the rrsig over ${what}`,
      keyTag: rrsig.keyTag,
    };
  }
  if (now < inception) {
    const at = new Date(inception * 1000).toISOString();
    return {
      code: 'signature-not-yet-valid',
      message: `rrsig over ${what} is not valid before ${at}`,
      keyTag: rrsig.keyTag,
    };
  }
  if (now > expiration) {
    const at = new Date(expiration * 1000).toISOString();
    return {
      code: 'signature-expired',
      message: `rrsig over ${what} expired at ${at}`,
      keyTag: rrsig.keyTag,
    };
  }
  let data: Uint8Array;
  try {
    data = signedData(
      rrsig,
      first.name,
      records.map((r) => r.rdata),
      first.class,
    );
  } catch (err) {
    // Canonicalising reads the names inside RDATA: bytes that do not parse are bogus data,
    // not a crash of the validator.
    if (!(err instanceof MimiError)) throw err;
    return {
      code: 'malformed',
      message: `${what} has malformed rdata: ${err.message}`,
      keyTag: rrsig.keyTag,
    };
  }
  let keyRefused: CryptoError | undefined;
  for (const key of candidates) {
    try {
      if (verifyEd25519(key.dnskey.publicKey, data, rrsig.signature)) return undefined;
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      keyRefused = err;
    }
  }
  if (keyRefused && candidates.length === 1) {
    return {
      code: 'bad-key',
      message: `dnskey ${rrsig.keyTag} of ${keys.zone}: ${keyRefused.message}`,
      keyTag: rrsig.keyTag,
    };
  }
  return {
    code: 'bad-signature',
    message: `rrsig over ${what} by key ${rrsig.keyTag} does not verify`,
    keyTag: rrsig.keyTag,
  };
}

/**
 * Validate `records` (one RRset) with the RRSIG records among `rrsigs` that cover it,
 * using the trusted keys of the zone that holds it. `now` is Unix seconds.
 */
export function validateRrset(
  records: readonly ResourceRecord[],
  rrsigs: readonly ResourceRecord[],
  keys: ZoneKeys,
  now: number,
): SecureRrset | Bogus {
  const inconsistent = checkRrset(records, keys.zone);
  if (inconsistent) return inconsistent;
  const first = records[0]!;
  if (!isSubdomain(first.name, keys.zone)) {
    return bogus('owner-outside-zone', `${first.name} is not in zone ${keys.zone}`, keys.zone);
  }
  let worst: { code: BogusCode; message: string; keyTag?: number } | undefined;
  let covering = 0;
  for (const record of rrsigs) {
    if (
      record.type !== RRType.RRSIG ||
      record.class !== first.class ||
      compareNames(record.name, first.name) !== 0
    )
      continue;
    let rrsig: Rrsig;
    try {
      rrsig = rrsigCodec.decode(record.rdata);
    } catch {
      worst ??= { code: 'malformed', message: `malformed rrsig at ${record.name}` };
      continue;
    }
    if (rrsig.typeCovered !== first.type) continue;
    covering++;
    const failure = checkRrsig(rrsig, records, keys, now);
    if (!failure) {
      const expiresIn = rrsigTimeToUnix(rrsig.expiration, now) - now;
      const ttl = Math.max(
        0,
        Math.min(...records.map((r) => r.ttl), rrsig.originalTtl, Math.floor(expiresIn)),
      );
      return { status: 'secure', ttl, keyTag: rrsig.keyTag };
    }
    if (!worst || FAILURE_RANK.indexOf(failure.code) > FAILURE_RANK.indexOf(worst.code)) worst = failure;
  }
  if (covering === 0 && worst?.code !== 'malformed') {
    return bogus('no-rrsig', `no rrsig covers the ${describe(records)}`, keys.zone);
  }
  return bogus(worst!.code, worst!.message, keys.zone, worst!.keyTag);
}
