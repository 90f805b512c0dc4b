/**
 * From a validated MSPMAP RRset to the mappings a sender may use (DESIGN §4
 * "Verification rules", §6): each record's CSIP key fetched (CSIPKEY at
 * `<att.csip>.csip.<apex>`, DNSSEC-validated) and the record checked by @mimi/protocol's
 * `verifyMapping` — scope, attestation signature and window, recipient signature, CSI
 * match against the name asked for, expiry. A record that fails is dropped and named in
 * `warnings`; only if every record fails is the result bogus. Then the epoch rule:
 * "when an RRset mixes attestation epochs, only mappings of the highest are used".
 *
 * Verified objects are cached by the hash of their bytes and of the CSIP keys that
 * verified them, until the earliest expiry involved, so a cached CSI costs no signature.
 */
import { sha256, toBase64Url, toHex } from '@mimi/crypto';
import { isMimiError } from '@mimi/errors';
import {
  decodeMapping,
  type Mapping,
  selectHighestEpoch,
  type VerifiedMapping as VerifiedObject,
  verifyMapping,
} from '@mimi/protocol';
import type { TimedCache } from './cache/timed-cache.js';
import { BogusError } from './outcomes.js';
import { formatExpires, type ResultMapping } from './result.js';
import type { TraceSink } from './trace.js';

export interface MappingCheckInput {
  /** The normalized CSI asked for. */
  readonly csi: string;
  /** Its owner name (where the RRset was found). */
  readonly qname: string;
  readonly apex: string;
  /** RDATA of the validated MSPMAP RRset. */
  readonly rdatas: readonly Uint8Array[];
  /** Unix milliseconds. */
  readonly now: number;
  /** Validated CSIPKEY RDATA of a CSIP id ([] when the CSIP has no key record). */
  readonly csipKeys: (csipId: string) => Promise<readonly Uint8Array[]>;
  readonly trace?: TraceSink;
}

export interface MappingCheckOutput {
  /** Sorted by `id` (then serial), highest epoch only. */
  readonly mappings: readonly ResultMapping[];
  readonly warnings: readonly string[];
}

function failureText(err: unknown): { code: string; message: string } {
  if (isMimiError(err)) return { code: err.code, message: err.message };
  throw err;
}

/** Check every record; throws BogusError when none passes. */
export async function checkMappings(
  input: MappingCheckInput,
  cache: TimedCache,
): Promise<MappingCheckOutput> {
  const warnings: string[] = [];
  const failures: { code: string; message: string }[] = [];
  const decoded: { rdata: Uint8Array; mapping: Mapping }[] = [];
  input.rdatas.forEach((rdata, index) => {
    try {
      decoded.push({ rdata, mapping: decodeMapping(rdata) });
    } catch (err) {
      const failure = failureText(err);
      failures.push(failure);
      warnings.push(`record ${index + 1}: ${failure.code}: ${failure.message}`);
      input.trace?.({ event: 'mapping', id: null, outcome: `${failure.code}: ${failure.message}` });
    }
  });

  // One CSIPKEY look-up per CSIP id; a DNSSEC failure there is a failure of the result.
  const csipIds = [...new Set(decoded.map(({ mapping }) => mapping.att.csip))];
  const keyEntries = await Promise.all(csipIds.map(async (id) => [id, await input.csipKeys(id)] as const));
  const keysById = new Map(keyEntries);

  const nowSeconds = Math.floor(input.now / 1000);
  const passed: VerifiedObject[] = [];
  for (const { rdata, mapping } of decoded) {
    const csipKeys = keysById.get(mapping.att.csip) ?? [];
    // One digest per key record: hashing them concatenated would let [A, B] and [A‖B]
    // share an entry, and a verification must never be reused for other key records.
    const keyDigests = csipKeys.map((key) => toHex(sha256(key))).join(',');
    const cacheKey = `${input.qname}|${toHex(sha256(rdata))}|${keyDigests}`;
    let verified = cache.get<VerifiedObject>('object', cacheKey);
    if (verified === undefined) {
      try {
        verified = verifyMapping(rdata, {
          now: nowSeconds,
          expectCsi: input.csi,
          ownerName: input.qname,
          apex: input.apex,
          csipKeys,
        });
      } catch (err) {
        const failure = failureText(err);
        failures.push(failure);
        warnings.push(`mapping '${mapping.id}': ${failure.code}: ${failure.message}`);
        input.trace?.({ event: 'mapping', id: mapping.id, outcome: `${failure.code}: ${failure.message}` });
        continue;
      }
      const until = Math.min(verified.expires, verified.csipKey.exp) * 1000;
      cache.set('object', cacheKey, verified, until);
    }
    input.trace?.({ event: 'mapping', id: mapping.id, outcome: 'verified' });
    passed.push(verified);
  }

  if (passed.length === 0) {
    const first = failures[0] ?? { code: 'no-mapping-record', message: 'the mspmap rrset is empty' };
    throw new BogusError(first.code, first.message, undefined, warnings);
  }
  const current = selectHighestEpoch(passed);
  for (const dropped of passed.filter((entry) => !current.includes(entry))) {
    warnings.push(
      `mapping '${dropped.mapping.id}': superseded: attestation epoch ${dropped.att.epoch} is below ${current[0]!.att.epoch}`,
    );
  }
  const mappings = current
    .map(toResultMapping)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.serial - b.serial));
  return { mappings, warnings };
}

function toResultMapping(verified: VerifiedObject): ResultMapping {
  const { mapping, att } = verified;
  return {
    id: mapping.id,
    serial: mapping.serial,
    recipientKey: toBase64Url(att.rk),
    csip: att.csip,
    epoch: att.epoch,
    expires: formatExpires(verified.expires),
    policy: mapping.policy?.sameMspOnly === true ? { sameMspOnly: true } : {},
    msps: mapping.msps.map((entry) => ({ msp: entry.msp, pri: entry.pri, tags: [...entry.tags] })),
  };
}
