/**
 * Compact denial of existence (RFC 9824; DESIGN §5): every negative answer is one
 * NSEC at the qname whose next name is the qname's immediate successor, signed
 * online. The caller signs the record with signRrset.
 *
 * - NODATA (RFC 9824 §3.2): the bitmap lists the types present plus RRSIG and NSEC.
 * - A missing name (RFC 9824 §3.1): RRSIG, NSEC and NXNAME (128) — except inside
 *   the CSI subtrees, where DESIGN §5 answers exactly like an empty non-terminal
 *   (RRSIG and NSEC only), so that a scraper cannot tell an unused prefix of the
 *   digit tree from a used one.
 */
import {
  CLASS_IN,
  formatName,
  nameToWire,
  nsecCodec,
  parseName,
  type ResourceRecord,
  RRType,
} from '@mimi/protocol';
import { DnssecError } from './errors.js';

/** RFC 1035 §2.3.4: names are at most 255 octets in wire form. */
const MAX_NAME_WIRE_LENGTH = 255;
/** RFC 1035 §2.3.4: labels are at most 63 octets. */
const MAX_LABEL_LENGTH = 63;

/** Next octet value in canonical order: uppercase letters sort as lowercase (RFC 4034 §6.1). */
function nextCanonicalOctet(octet: number): number {
  const next = octet + 1;
  return next >= 0x41 && next <= 0x5a ? 0x5b : next;
}

/**
 * The immediate successor of `qname` in canonical order (RFC 9824 §3.1, "the
 * epsilon function"): `\000.<qname>`. When that would exceed 255 octets, no name
 * below `qname` can exist either, so (RFC 4471 §3.1.2) the successor extends the
 * first label with a zero octet if it fits, else increments its last octet that is
 * below 255 (dropping the 255s after it). A first label that can do neither (every
 * octet 255, and no room to grow) has no longer sibling that fits in 255 octets
 * either, so the successor is that of its parent's label, and so on up the name.
 */
export function nsecNextName(qname: string): string {
  const labels = parseName(qname);
  const wireLength = nameToWire(labels).length;
  if (wireLength + 2 <= MAX_NAME_WIRE_LENGTH) return formatName([Uint8Array.of(0), ...labels]);
  // Wire length of labels[k..]: the whole name minus the labels dropped before k.
  let suffixLength = wireLength;
  for (let k = 0; k < labels.length; k++) {
    const label = labels[k]!;
    const lowered = label.map((octet) => (octet >= 0x41 && octet <= 0x5a ? octet + 0x20 : octet));
    const rest = labels.slice(k + 1);
    if (suffixLength + 1 <= MAX_NAME_WIRE_LENGTH && label.length < MAX_LABEL_LENGTH) {
      return formatName([Uint8Array.from([...lowered, 0]), ...rest]);
    }
    for (let i = lowered.length - 1; i >= 0; i--) {
      if (lowered[i]! < 0xff) {
        const next = lowered.slice(0, i + 1);
        next[i] = nextCanonicalOctet(next[i]!);
        return formatName([next, ...rest]);
      }
    }
    suffixLength -= 1 + label.length;
  }
  throw new DnssecError('denial-name-too-long', `no successor fits for the name ${qname}`);
}

function nsecRecord(qname: string, types: readonly number[], ttl: number): ResourceRecord {
  const rdata = nsecCodec.encode({ nextName: nsecNextName(qname), types });
  return { name: formatName(parseName(qname)), type: RRType.NSEC, class: CLASS_IN, ttl, rdata };
}

/** NODATA at an existing name: `types` are the RRset types present there. */
export function nodataNsec(qname: string, types: readonly number[], ttl: number): ResourceRecord {
  if (types.includes(RRType.NXNAME)) {
    throw new DnssecError('denial-bitmap', `nxname cannot be among the types present at ${qname}`);
  }
  return nsecRecord(qname, [...types, RRType.RRSIG, RRType.NSEC], ttl);
}

/**
 * A name that does not exist. With `insideCsiSubtree` (names under `e164.` and
 * `email.`, DESIGN §5) the NSEC is the one of an empty non-terminal: no NXNAME.
 */
export function missingNameNsec(
  qname: string,
  ttl: number,
  options: { insideCsiSubtree: boolean },
): ResourceRecord {
  const types = options.insideCsiSubtree
    ? [RRType.RRSIG, RRType.NSEC]
    : [RRType.RRSIG, RRType.NSEC, RRType.NXNAME];
  return nsecRecord(qname, types, ttl);
}
