/**
 * Domain names (RFC 1035 §2.3.4, §3.1, §5.1; RFC 4034 §6).
 *
 * A name is handled as a list of labels (raw octets). Its text form is absolute
 * presentation format with a trailing dot; octets outside printable ASCII, and the
 * characters that are special in master files, are escaped (`\.`, `\\`, `\DDD`).
 * Limits: a label is 1–63 octets, a name ≤ 255 octets in wire form (RFC 1035 §2.3.4).
 */
import { WireFormatError } from '../errors.js';

export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_WIRE_LENGTH = 255;

export type Labels = readonly Uint8Array[];

/** Labels of letters, digits, `-`, `_` and `*` (1–63 each), the trailing dot optional. */
const PLAIN_NAME = /^(?:[A-Za-z0-9_*-]{1,63}\.)*[A-Za-z0-9_*-]{1,63}\.?$/;
const DOT = 0x2e;

/**
 * Plain text: labels of letters, digits, `-`, `_` and `*` only, within the 255-octet
 * limit. Such text has no escapes — each character is one octet, each dot a label
 * boundary — so the functions below work on it without parsing it into labels (every
 * name the project serves is plain; the parser was a visible share of resolving and
 * validating, docs/benchmarks-resolver.md). Their results are those of the general path.
 */
export function isPlainName(text: string): boolean {
  // Absolute text of n characters is n + 1 octets in wire form; relative, n + 2.
  const limit = text.endsWith('.') ? MAX_NAME_WIRE_LENGTH - 1 : MAX_NAME_WIRE_LENGTH - 2;
  return text.length <= limit && PLAIN_NAME.test(text);
}

/** An octet of a plain name's labels (the characters of PLAIN_NAME): written as itself. */
export function isPlainOctet(octet: number): boolean {
  return (
    (octet >= 0x61 && octet <= 0x7a) ||
    (octet >= 0x30 && octet <= 0x39) ||
    (octet >= 0x41 && octet <= 0x5a) ||
    octet === 0x2d ||
    octet === 0x5f ||
    octet === 0x2a
  );
}

/** End (exclusive) of the last label of plain text. */
function plainEnd(text: string): number {
  return text.charCodeAt(text.length - 1) === DOT ? text.length - 1 : text.length;
}

/** Labels of plain text before `end`. */
function plainLabelCount(text: string, end: number): number {
  let count = end > 0 ? 1 : 0;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === DOT) count++;
  return count;
}

/** Characters escaped with a backslash in presentation format (RFC 1035 §5.1, RFC 4343 §2.1). */
const ESCAPED_ASCII = new Set([0x2e, 0x5c, 0x28, 0x29, 0x3b, 0x22, 0x24, 0x40, 0x20]); // . \ ( ) ; " $ @ space

function wireLength(labels: Labels): number {
  let length = 1;
  for (const label of labels) length += 1 + label.length;
  return length;
}

function checkLimits(labels: Labels, text: string): void {
  for (const label of labels) {
    if (label.length === 0) throw new WireFormatError('name-empty-label', `empty label in name '${text}'`);
    if (label.length > MAX_LABEL_LENGTH) {
      throw new WireFormatError(
        'name-label-too-long',
        `label of ${label.length} octets (max 63) in name '${text}'`,
      );
    }
  }
  if (wireLength(labels) > MAX_NAME_WIRE_LENGTH) {
    throw new WireFormatError('name-too-long', `name '${text}' is longer than 255 octets`);
  }
}

/**
 * Labels of a presentation-format name. A trailing dot is optional (the name is taken
 * as absolute); `.` alone is the root. Throws WireFormatError on bad escapes or limits.
 */
export function parseName(text: string): Labels {
  if (text === '.') return [];
  if (isPlainName(text)) return plainLabels(text);
  if (text.length === 0) throw new WireFormatError('name-empty', 'empty name');
  const labels: Uint8Array[] = [];
  let current: number[] = [];
  let sawTrailingDot = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    sawTrailingDot = false;
    if (ch === 0x5c /* \ */) {
      const next = text.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(next)) {
        const value = Number(next);
        if (value > 255)
          throw new WireFormatError('name-bad-escape', `escape \\${next} out of range in name '${text}'`);
        current.push(value);
        i += 3;
      } else if (i + 1 < text.length && !/\d/.test(text[i + 1]!)) {
        const escaped = text.charCodeAt(i + 1);
        if (escaped > 0x7e)
          throw new WireFormatError('name-non-ascii', `non-ASCII character in name '${text}'`);
        current.push(escaped);
        i += 1;
      } else {
        throw new WireFormatError('name-bad-escape', `bad escape in name '${text}'`);
      }
    } else if (ch === 0x2e /* . */) {
      if (current.length === 0)
        throw new WireFormatError('name-empty-label', `empty label in name '${text}'`);
      labels.push(Uint8Array.from(current));
      current = [];
      sawTrailingDot = true;
    } else {
      if (ch < 0x21 || ch > 0x7e) {
        throw new WireFormatError(
          'name-non-ascii',
          `character U+${ch.toString(16).padStart(4, '0')} not allowed unescaped in name '${text}'`,
        );
      }
      current.push(ch);
    }
  }
  if (!sawTrailingDot) {
    if (current.length === 0) throw new WireFormatError('name-empty-label', `empty label in name '${text}'`);
    labels.push(Uint8Array.from(current));
  }
  checkLimits(labels, text);
  return labels;
}

function plainLabels(text: string): Uint8Array[] {
  const labels: Uint8Array[] = [];
  const end = plainEnd(text);
  for (let start = 0; start < end; ) {
    let dot = text.indexOf('.', start);
    if (dot === -1 || dot > end) dot = end;
    const label = new Uint8Array(dot - start);
    for (let i = start; i < dot; i++) label[i - start] = text.charCodeAt(i);
    labels.push(label);
    start = dot + 1;
  }
  return labels;
}

/** Presentation format of one label. */
export function formatLabel(label: Uint8Array): string {
  let out = '';
  for (const octet of label) {
    if (ESCAPED_ASCII.has(octet)) out += `\\${String.fromCharCode(octet)}`;
    else if (octet < 0x21 || octet > 0x7e) out += `\\${octet.toString().padStart(3, '0')}`;
    else out += String.fromCharCode(octet);
  }
  return out;
}

/** Absolute presentation format of a label list (`.` for the root). */
export function formatName(labels: Labels): string {
  if (labels.length === 0) return '.';
  return `${labels.map(formatLabel).join('.')}.`;
}

function lowerOctet(octet: number): number {
  return octet >= 0x41 && octet <= 0x5a ? octet + 0x20 : octet;
}

function lowerLabel(label: Uint8Array): Uint8Array {
  return label.map(lowerOctet);
}

/** The canonical text of a name: absolute, ASCII letters lowercased (RFC 4034 §6.2). */
export function canonicalName(text: string): string {
  if (isPlainName(text)) return (text.endsWith('.') ? text : `${text}.`).toLowerCase();
  return formatName(parseName(text).map(lowerLabel));
}

/** Uncompressed wire form; with `lowercase`, the canonical form of RFC 4034 §6.2. */
export function nameToWire(text: string | Labels, options: { lowercase?: boolean } = {}): Uint8Array {
  if (typeof text === 'string' && isPlainName(text)) return plainToWire(text, options.lowercase === true);
  const labels = typeof text === 'string' ? parseName(text) : text;
  const out = new Uint8Array(wireLength(labels));
  let offset = 0;
  for (const label of labels) {
    out[offset++] = label.length;
    out.set(options.lowercase ? lowerLabel(label) : label, offset);
    offset += label.length;
  }
  out[offset] = 0;
  return out;
}

function plainToWire(text: string, lowercase: boolean): Uint8Array {
  const end = plainEnd(text);
  const out = new Uint8Array(end + 2); // a length octet per label, the root's zero
  let at = 0;
  for (let start = 0; start < end; ) {
    let dot = text.indexOf('.', start);
    if (dot === -1 || dot > end) dot = end;
    out[at++] = dot - start;
    for (let i = start; i < dot; i++) {
      const octet = text.charCodeAt(i);
      out[at++] = lowercase ? lowerOctet(octet) : octet;
    }
    start = dot + 1;
  }
  return out;
}

/**
 * Read an uncompressed name from `bytes` at `offset` (as inside RDATA of types whose
 * names may not be compressed, RFC 3597 §4). Returns the labels and the offset after it.
 */
export function readUncompressedName(bytes: Uint8Array, offset: number): { labels: Labels; end: number } {
  const labels: Uint8Array[] = [];
  let position = offset;
  for (;;) {
    if (position >= bytes.length)
      throw new WireFormatError('name-truncated', 'name runs past the end of its data');
    const length = bytes[position]!;
    if (length === 0) break;
    if (length > MAX_LABEL_LENGTH) {
      throw new WireFormatError('name-compressed', 'compressed or extended label where none is allowed');
    }
    if (position + 1 + length > bytes.length) {
      throw new WireFormatError('name-truncated', 'label runs past the end of its data');
    }
    labels.push(bytes.slice(position + 1, position + 1 + length));
    position += 1 + length;
  }
  if (wireLength(labels) > MAX_NAME_WIRE_LENGTH)
    throw new WireFormatError('name-too-long', 'name longer than 255 octets');
  return { labels, end: position + 1 };
}

function compareLabels(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = lowerOctet(a[i]!) - lowerOctet(b[i]!);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** Canonical DNS name order (RFC 4034 §6.1): negative, zero or positive. */
export function compareNames(a: string | Labels, b: string | Labels): number {
  if (typeof a === 'string' && typeof b === 'string' && isPlainName(a) && isPlainName(b)) {
    return comparePlainNames(a, b);
  }
  const la = typeof a === 'string' ? parseName(a) : a;
  const lb = typeof b === 'string' ? parseName(b) : b;
  for (let i = 1; i <= Math.min(la.length, lb.length); i++) {
    const diff = compareLabels(la[la.length - i]!, lb[lb.length - i]!);
    if (diff !== 0) return diff;
  }
  return la.length - lb.length;
}

/** compareNames on plain text, label by label from the right, as compareLabels does. */
function comparePlainNames(a: string, b: string): number {
  let endA = plainEnd(a);
  let endB = plainEnd(b);
  while (endA > 0 && endB > 0) {
    const startA = a.lastIndexOf('.', endA - 1) + 1;
    const startB = b.lastIndexOf('.', endB - 1) + 1;
    const length = Math.min(endA - startA, endB - startB);
    for (let i = 0; i < length; i++) {
      const diff = lowerOctet(a.charCodeAt(startA + i)) - lowerOctet(b.charCodeAt(startB + i));
      if (diff !== 0) return diff;
    }
    const diff = endA - startA - (endB - startB);
    if (diff !== 0) return diff;
    endA = startA - 1;
    endB = startB - 1;
  }
  return plainLabelCount(a, endA) - plainLabelCount(b, endB);
}

/** Case-insensitive name equality. */
export function namesEqual(a: string, b: string): boolean {
  return compareNames(a, b) === 0;
}

/** True when `name` is `ancestor` or below it (case-insensitive). */
export function isSubdomain(name: string | Labels, ancestor: string | Labels): boolean {
  if (
    typeof name === 'string' &&
    typeof ancestor === 'string' &&
    isPlainName(name) &&
    isPlainName(ancestor)
  ) {
    const n = name.slice(0, plainEnd(name)).toLowerCase();
    const z = ancestor.slice(0, plainEnd(ancestor)).toLowerCase();
    return n === z || (n.length > z.length && n.endsWith(z) && n.charCodeAt(n.length - z.length - 1) === DOT);
  }
  const ln = typeof name === 'string' ? parseName(name) : name;
  const la = typeof ancestor === 'string' ? parseName(ancestor) : ancestor;
  if (la.length > ln.length) return false;
  for (let i = 1; i <= la.length; i++) {
    if (compareLabels(ln[ln.length - i]!, la[la.length - i]!) !== 0) return false;
  }
  return true;
}

/** Number of labels, not counting the root (RRSIG `labels` counts a leading `*` too; RFC 4034 §3.1.3 says to leave it out — the signer handles that). */
export function labelCount(name: string | Labels): number {
  if (typeof name === 'string' && isPlainName(name)) return plainLabelCount(name, plainEnd(name));
  return (typeof name === 'string' ? parseName(name) : name).length;
}

/** The name one label up; the root has no parent. */
export function parentName(name: string): string {
  const labels = parseName(name);
  if (labels.length === 0) throw new WireFormatError('name-root-parent', 'the root has no parent');
  return formatName(labels.slice(1));
}

/** `child` + `.` + `parent`, both in presentation format. */
export function joinNames(prefix: string, suffix: string): string {
  const suffixLabels = parseName(suffix);
  const prefixLabels = prefix === '' ? [] : parseName(prefix);
  const labels = [...prefixLabels, ...suffixLabels];
  checkLimits(labels, `${prefix}.${suffix}`);
  return formatName(labels);
}

/** True when presentation text ends in an unescaped dot (an absolute name, RFC 1035 §5.1). */
export function isAbsoluteText(text: string): boolean {
  if (!text.endsWith('.')) return false;
  let backslashes = 0;
  for (let i = text.length - 2; i >= 0 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/**
 * A master-file name (RFC 1035 §5.1) made absolute: `@` is `origin`, a name without
 * a trailing dot is relative to `origin`. Returns the absolute presentation form.
 */
export function resolveName(text: string, origin: string | undefined): string {
  if (text === '@') {
    if (origin === undefined) throw new WireFormatError('name-no-origin', "'@' used but no origin is set");
    return formatName(parseName(origin));
  }
  if (isAbsoluteText(text)) return formatName(parseName(text));
  if (origin === undefined) {
    throw new WireFormatError('name-no-origin', `relative name '${text}' but no origin is set`);
  }
  return joinNames(text, origin);
}
