/**
 * DNSKEY key tag (RFC 4034 Appendix B): the ones'-complement-style sum of the RDATA
 * taken as 16-bit big-endian words, folded to 16 bits. Algorithm 1 (RSA/MD5) has its
 * own rule (Appendix B.1), kept for completeness of the text form only.
 */

/** Key tag of DNSKEY RDATA (wire form: flags, protocol, algorithm, public key). */
export function keyTag(dnskeyRdata: Uint8Array): number {
  if (dnskeyRdata[3] === 1 && dnskeyRdata.length >= 7) {
    // B.1: "the most significant 16 bits of the least significant 24 bits" of the modulus.
    const n = dnskeyRdata.length;
    return (dnskeyRdata[n - 3]! << 8) | dnskeyRdata[n - 2]!;
  }
  let sum = 0;
  for (let i = 0; i < dnskeyRdata.length; i++) {
    sum += (i & 1) === 0 ? dnskeyRdata[i]! << 8 : dnskeyRdata[i]!;
  }
  sum += (sum >>> 16) & 0xffff;
  return sum & 0xffff;
}
