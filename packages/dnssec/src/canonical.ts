/**
 * Canonical form of RDATA, RRs and RRsets (RFC 4034 §6.2, §6.3), the input of every
 * signature and of RRset comparison.
 *
 * Embedded names are lowercased only for the types RFC 4034 §6.2 item 3 lists, as
 * corrected by RFC 6840 §5.1: "DNS names in the RDATA section of NSEC resource
 * records are not converted to lowercase. DNS names in the RDATA section of RRSIG
 * resource records are converted to lowercase." Types defined after RFC 3597 (SVCB,
 * NAPTR's successors, our private types) are never downcased (RFC 3597 §7).
 */
import {
  isPlainName,
  labelCount,
  nameToWire,
  parseName,
  RRType,
  readUncompressedName,
  WireFormatError,
} from '@mimi/protocol';

/** One step of walking an RDATA layout to its embedded names. */
type Field = { skip: number } | 'name' | 'string' | 'a6';

/** Wire layouts of the types whose RDATA names are lowercased (RFC 4034 §6.2 item 3). */
const NAME_LAYOUTS: ReadonlyMap<number, readonly Field[]> = new Map<number, readonly Field[]>([
  [RRType.NS, ['name']],
  [3 /* MD */, ['name']],
  [4 /* MF */, ['name']],
  [RRType.CNAME, ['name']],
  [RRType.SOA, ['name', 'name']],
  [7 /* MB */, ['name']],
  [8 /* MG */, ['name']],
  [9 /* MR */, ['name']],
  [RRType.PTR, ['name']],
  [14 /* MINFO */, ['name', 'name']],
  [RRType.MX, [{ skip: 2 }, 'name']],
  [17 /* RP */, ['name', 'name']],
  [18 /* AFSDB */, [{ skip: 2 }, 'name']],
  [21 /* RT */, [{ skip: 2 }, 'name']],
  [24 /* SIG */, [{ skip: 18 }, 'name']],
  [26 /* PX */, [{ skip: 2 }, 'name', 'name']],
  [30 /* NXT */, ['name']],
  [33 /* SRV */, [{ skip: 6 }, 'name']],
  [RRType.NAPTR, [{ skip: 4 }, 'string', 'string', 'string', 'name']],
  [36 /* KX */, [{ skip: 2 }, 'name']],
  [38 /* A6 */, ['a6']],
  [39 /* DNAME */, ['name']],
  [RRType.RRSIG, [{ skip: 18 }, 'name']],
]);

function lowercaseName(bytes: Uint8Array, offset: number): number {
  const { end } = readUncompressedName(bytes, offset);
  let position = offset;
  while (position < end - 1) {
    const length = bytes[position]!;
    for (let i = position + 1; i <= position + length; i++) {
      const octet = bytes[i]!;
      if (octet >= 0x41 && octet <= 0x5a) bytes[i] = octet + 0x20;
    }
    position += 1 + length;
  }
  return end;
}

function need(bytes: Uint8Array, offset: number, count: number, type: number): void {
  if (offset + count > bytes.length) {
    throw new WireFormatError('truncated', `rdata of type ${type} is too short for its canonical form`);
  }
}

/**
 * RDATA in canonical form (RFC 4034 §6.2 item 3): a copy with the embedded names of
 * the listed types lowercased. Throws WireFormatError when such RDATA is malformed.
 */
export function canonicalRdata(type: number, rdata: Uint8Array): Uint8Array {
  const layout = NAME_LAYOUTS.get(type);
  const out = Uint8Array.from(rdata);
  if (!layout) return out;
  let offset = 0;
  for (const field of layout) {
    if (field === 'name') {
      offset = lowercaseName(out, offset);
    } else if (field === 'string') {
      need(out, offset, 1, type);
      offset += 1 + out[offset]!;
      need(out, offset, 0, type);
    } else if (field === 'a6') {
      // RFC 2874 §3.1: prefix length, address suffix of (128 - prefix) bits, then
      // the prefix name only when the prefix length is not zero.
      need(out, offset, 1, type);
      const prefixLength = out[offset]!;
      if (prefixLength > 128)
        throw new WireFormatError('a6-prefix', `a6 prefix length ${prefixLength} exceeds 128`);
      offset += 1 + Math.ceil((128 - prefixLength) / 8);
      need(out, offset, 0, type);
      if (prefixLength > 0) offset = lowercaseName(out, offset);
    } else {
      need(out, offset, field.skip, type);
      offset += field.skip;
    }
  }
  return out;
}

/** Unsigned octet-string order; a missing octet sorts before a zero octet (RFC 4034 §6.3). */
export function compareOctets(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = a[i]! - b[i]!;
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/**
 * Canonical RDATA of an RRset, sorted (RFC 4034 §6.3) with duplicates removed
 * (RFC 2181 §5: an RRset holds no two identical RRs; they compare equal in canonical
 * form, so they are signed once).
 */
export function canonicalRdataSet(type: number, rdatas: readonly Uint8Array[]): Uint8Array[] {
  const sorted = rdatas.map((rdata) => canonicalRdata(type, rdata)).sort(compareOctets);
  return sorted.filter((rdata, i) => i === 0 || compareOctets(rdata, sorted[i - 1]!) !== 0);
}

/**
 * The owner name as it enters signed data (RFC 4034 §3.1.8.1): lowercased, and when
 * the RRSIG Labels field is smaller than the owner's label count (a wildcard
 * expansion), rebuilt as `*.` + the rightmost `labels` labels.
 */
export function canonicalOwnerWire(owner: string, rrsigLabels?: number): Uint8Array {
  // Plain text is read without parsing it; any other owner is parsed once.
  if (isPlainName(owner) && (rrsigLabels === undefined || rrsigLabels >= labelCount(owner))) {
    return nameToWire(owner, { lowercase: true });
  }
  const labels = parseName(owner);
  if (rrsigLabels === undefined || rrsigLabels >= labels.length)
    return nameToWire(labels, { lowercase: true });
  const wildcard = [Uint8Array.of(0x2a), ...labels.slice(labels.length - rrsigLabels)];
  return nameToWire(wildcard, { lowercase: true });
}

/**
 * The RRset part of the signed data (RFC 4034 §3.1.8.1): for each RR in canonical
 * order, `owner | type | class | TTL | RDATA length | RDATA`, with the original TTL.
 */
export function canonicalRrsetWire(
  ownerWire: Uint8Array,
  type: number,
  rrClass: number,
  ttl: number,
  rdatas: readonly Uint8Array[],
): Uint8Array {
  const canonical = canonicalRdataSet(type, rdatas);
  let total = 0;
  for (const rdata of canonical) total += ownerWire.length + 10 + rdata.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const rdata of canonical) {
    if (rdata.length > 0xffff)
      throw new WireFormatError('rdata-too-long', `rdata of type ${type} exceeds 65535 octets`);
    out.set(ownerWire, offset);
    offset += ownerWire.length;
    view.setUint16(offset, type);
    view.setUint16(offset + 2, rrClass);
    view.setUint32(offset + 4, ttl);
    view.setUint16(offset + 8, rdata.length);
    offset += 10;
    out.set(rdata, offset);
    offset += rdata.length;
  }
  return out;
}
