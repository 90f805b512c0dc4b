/**
 * The octets an RRSIG signs (RFC 4034 §3.1.8.1):
 *
 *   signature = sign(RRSIG_RDATA | RR(1) | RR(2)... )
 *
 * where RRSIG_RDATA is the RRSIG RDATA without the Signature field, "with the
 * Signer's Name field in canonical form", and RR(i) are the RRset's records in
 * canonical form and order (canonical.ts) with the TTL set to the Original TTL.
 */
import { CLASS_IN, nameToWire, type Rrsig } from '@mimi/protocol';
import { canonicalOwnerWire, canonicalRrsetWire } from './canonical.js';

/** The RRSIG fields that are signed: everything but the signature. */
export type RrsigFields = Omit<Rrsig, 'signature'>;

/** RRSIG RDATA without its Signature field, signer's name lowercased. */
export function rrsigPrefix(fields: RrsigFields): Uint8Array {
  const signer = nameToWire(fields.signerName, { lowercase: true });
  const out = new Uint8Array(18 + signer.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, fields.typeCovered);
  view.setUint8(2, fields.algorithm);
  view.setUint8(3, fields.labels);
  view.setUint32(4, fields.originalTtl);
  view.setUint32(8, fields.expiration);
  view.setUint32(12, fields.inception);
  view.setUint16(16, fields.keyTag);
  out.set(signer, 18);
  return out;
}

/** The complete signed data for an RRset at `owner` (class IN unless given). */
export function signedData(
  fields: RrsigFields,
  owner: string,
  rdatas: readonly Uint8Array[],
  rrClass: number = CLASS_IN,
): Uint8Array {
  const prefix = rrsigPrefix(fields);
  const rrset = canonicalRrsetWire(
    canonicalOwnerWire(owner, fields.labels),
    fields.typeCovered,
    rrClass,
    fields.originalTtl,
    rdatas,
  );
  const out = new Uint8Array(prefix.length + rrset.length);
  out.set(prefix);
  out.set(rrset, prefix.length);
  return out;
}
