/**
 * CSIP key selection (DESIGN §4 "Verification rules", the CSIP key): a CSIPKEY record
 * whose `id` equals the signer's csip id, with `now < exp` and a scope covering the CSI
 * (phone: string prefix of the `+digits`; email: domain equal to a scope entry).
 * "Several records may exist during a key rollover; any one that verifies will do."
 */
import { ObjectError } from '../errors.js';
import { decodeCsipKeyRecord } from './codec.js';
import { checkObjectSignature, checkSignatureOver } from './signing.js';
import type { CsipKeyRecord, SignedObjects } from './types.js';

/** True when `csi` (normalized) is in `scope`: a `+digits` prefix, or an equal domain. */
export function csiInScope(csi: string, scope: readonly string[]): boolean {
  if (csi.startsWith('+')) return scope.some((entry) => entry.startsWith('+') && csi.startsWith(entry));
  const domain = csi.slice(csi.lastIndexOf('@') + 1);
  return scope.some((entry) => !entry.startsWith('+') && entry === domain);
}

/** Records given as CBOR are decoded strictly; undecodable ones are counted, not used. */
function usableRecords(keys: readonly (CsipKeyRecord | Uint8Array)[]): {
  records: CsipKeyRecord[];
  malformed: number;
} {
  const records: CsipKeyRecord[] = [];
  let malformed = 0;
  for (const key of keys) {
    if (!(key instanceof Uint8Array)) {
      records.push(key);
      continue;
    }
    try {
      records.push(decodeCsipKeyRecord(key));
    } catch (err) {
      if (!(err instanceof ObjectError)) throw err;
      malformed++;
    }
  }
  return { records, malformed };
}

/**
 * Verify an attestation or unassignment signed by CSIP `object.csip` and return the
 * CSIPKEY record that verified it. Throws ObjectError `csip-key-unknown`, `scope`,
 * `csip-key-expired`, `key-noncanonical`/`key-small-order` (when the only candidate keys
 * are refused by the Ed25519 profile) or `signature`. `unsignedCbor`: the object's CBOR
 * without `sig` when already at hand (cut from its bytes), else it is encoded here.
 */
export function verifyByCsip<K extends 'attestation' | 'unassignment'>(
  kind: K,
  object: SignedObjects[K],
  csipKeys: readonly (CsipKeyRecord | Uint8Array)[],
  now: number,
  unsignedCbor?: Uint8Array,
): CsipKeyRecord {
  const { records, malformed } = usableRecords(csipKeys);
  const named = records.filter((record) => record.id === object.csip);
  if (named.length === 0) {
    const extra = malformed > 0 ? ` (${malformed} malformed record(s) ignored)` : '';
    throw new ObjectError('csip-key-unknown', `no csipkey record for csip '${object.csip}'${extra}`);
  }
  const covering = named.filter((record) => csiInScope(object.csi, record.scope));
  if (covering.length === 0) {
    throw new ObjectError(
      'scope',
      `csip '${object.csip}' (scope ${named[0]!.scope.join(' ')}) does not cover '${object.csi}'`,
    );
  }
  const live = covering.filter((record) => now < record.exp);
  if (live.length === 0) {
    throw new ObjectError('csip-key-expired', `every csipkey record of '${object.csip}' expired by ${now}`);
  }
  let failure: ObjectError | undefined;
  for (const record of live) {
    try {
      const signer = `csip key '${record.id}'`;
      if (unsignedCbor === undefined) checkObjectSignature(kind, object, record.pk, signer);
      else checkSignatureOver(kind, unsignedCbor, object.sig, record.pk, signer);
      return record;
    } catch (err) {
      if (!(err instanceof ObjectError)) throw err;
      // A plain bad signature outranks a refused key: report what most candidates said.
      if (failure === undefined || err.code === 'signature') failure = err;
    }
  }
  throw failure!;
}
