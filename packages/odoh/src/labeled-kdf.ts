/**
 * RFC 9180 §4 LabeledExtract and LabeledExpand: HKDF with the "HPKE-v1" version label and
 * a suite id in front of every label, so keys derived for one suite or purpose never
 * equal keys derived for another.
 */
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import { concatBytes, uint16Bytes } from './tls-vector.js';

const encoder = new TextEncoder();
/** RFC 9180 §4: "the string "HPKE-v1"". */
const HPKE_VERSION_LABEL = encoder.encode('HPKE-v1');

/** labeled_ikm = concat("HPKE-v1", suite_id, label, ikm); Extract(salt, labeled_ikm). */
export function labeledExtract(
  suiteId: Uint8Array,
  salt: Uint8Array,
  label: string,
  ikm: Uint8Array,
): Uint8Array {
  return hkdfExtract(salt, concatBytes(HPKE_VERSION_LABEL, suiteId, encoder.encode(label), ikm));
}

/** labeled_info = concat(I2OSP(L, 2), "HPKE-v1", suite_id, label, info); Expand(prk, labeled_info, L). */
export function labeledExpand(
  suiteId: Uint8Array,
  prk: Uint8Array,
  label: string,
  info: Uint8Array,
  length: number,
): Uint8Array {
  const labeledInfo = concatBytes(
    uint16Bytes(length),
    HPKE_VERSION_LABEL,
    suiteId,
    encoder.encode(label),
    info,
  );
  return hkdfExpand(prk, labeledInfo, length);
}
