/**
 * IP address text ↔ octets, strict: IPv4 dotted quad without leading zeros (RFC 6943
 * §3.1.1 warns that they read as octal elsewhere), IPv6 per RFC 4291 §2.2 (incl. an
 * embedded IPv4 tail), printed in RFC 5952 §4 canonical form. Shared by A, AAAA and
 * the SVCB address hints.
 */
import { WireFormatError } from '../../errors.js';

export function ipv4ToBytes(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) {
    throw new WireFormatError('bad-ipv4', `'${text}' is not an IPv4 address`);
  }
  return Uint8Array.from(parts.map(Number));
}

export function ipv4FromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 4) throw new WireFormatError('bad-ipv4', `ipv4 address of ${bytes.length} octets`);
  return Array.from(bytes).join('.');
}

export function ipv6ToBytes(text: string): Uint8Array {
  const bad = () => new WireFormatError('bad-ipv6', `'${text}' is not an IPv6 address`);
  if (!/^[0-9a-fA-F:.]+$/.test(text)) throw bad();
  let head = text;
  const tail: number[] = [];
  if (text.includes('.')) {
    const cut = text.lastIndexOf(':');
    if (cut < 0) throw bad();
    let v4: Uint8Array;
    try {
      v4 = ipv4ToBytes(text.slice(cut + 1));
    } catch {
      throw bad();
    }
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    head = text.slice(0, cut + 1);
    // "::1.2.3.4" leaves "::", "a::1.2.3.4" leaves "a::"; a lone trailing ':' needs a group before it.
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) throw bad();
  const groups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').map((g) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad();
      return Number.parseInt(g, 16);
    });
  };
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const explicit = left.length + right.length + tail.length;
  let all: number[];
  if (halves.length === 2) {
    if (explicit > 7) throw bad();
    all = [...left, ...new Array<number>(8 - explicit).fill(0), ...right, ...tail];
  } else {
    if (explicit !== 8) throw bad();
    all = [...left, ...tail];
  }
  const out = new Uint8Array(16);
  all.forEach((group, i) => {
    out[2 * i] = group >>> 8;
    out[2 * i + 1] = group & 0xff;
  });
  return out;
}

/** RFC 5952 §4: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
export function ipv6FromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new WireFormatError('bad-ipv6', `ipv6 address of ${bytes.length} octets`);
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
