/**
 * Names inside a message (RFC 1035 §4.1.4): reading with compression pointers, and
 * writing owner names with compression.
 *
 * Reading is defensive: a pointer must point before the start of the label sequence
 * that contains it (so each jump strictly decreases the position and no loop is
 * possible), never into the header, at most MAX_POINTER_JUMPS times per name; label
 * types 01 and 10 (RFC 6891 §5: extended labels, deprecated) are refused; the
 * expanded name must fit 255 octets (RFC 1035 §2.3.4).
 */
import { WireFormatError } from '../../errors.js';
import {
  formatLabel,
  formatName,
  isPlainName,
  isPlainOctet,
  MAX_LABEL_LENGTH,
  MAX_NAME_WIRE_LENGTH,
  nameToWire,
  parseName,
} from '../name.js';
import type { WireReader } from '../reader.js';
import type { WireWriter } from '../writer.js';

/** A 255-octet name has at most 127 labels, so no valid name needs more jumps. */
export const MAX_POINTER_JUMPS = 127;
/** Pointers address the first 2^14 octets of a message (RFC 1035 §4.1.4: 14-bit OFFSET). */
const MAX_POINTER_OFFSET = 0x3fff;
const HEADER_LENGTH = 12;

/** Labels of a possibly compressed name at `offset` of the message; `end` is where the reader continues. */
export function readCompressedLabels(
  bytes: Uint8Array,
  offset: number,
  limit: number = bytes.length,
): { labels: Uint8Array[]; end: number } {
  const spans: number[] = [];
  const end = scanName(bytes, offset, limit, spans);
  const labels: Uint8Array[] = [];
  for (let i = 0; i < spans.length; i += 2) labels.push(bytes.slice(spans[i]!, spans[i]! + spans[i + 1]!));
  return { labels, end };
}

/**
 * Follow a possibly compressed name at `offset`, every check included; push each
 * label's start and length onto `spans`; return where the reader continues.
 */
function scanName(bytes: Uint8Array, offset: number, limit: number, spans: number[]): number {
  let position = offset;
  let segmentStart = offset;
  let end = -1;
  let jumps = 0;
  let wireLength = 1;
  // `limit` bounds the octets of the name at its original place (e.g. the RDATA end);
  // after a jump the whole message before that place may be read.
  let bound = limit;
  for (;;) {
    if (position >= bound) throw new WireFormatError('name-truncated', 'name runs past the end of its data');
    const length = bytes[position]!;
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      if (position + 1 >= bound) throw new WireFormatError('name-truncated', 'compression pointer cut short');
      const target = ((length & 0x3f) << 8) | bytes[position + 1]!;
      if (target >= segmentStart) {
        throw new WireFormatError(
          'name-pointer-forward',
          `compression pointer at ${position} to ${target} does not point backwards`,
        );
      }
      if (target < HEADER_LENGTH) {
        throw new WireFormatError(
          'name-pointer-header',
          `compression pointer at ${position} points into the header`,
        );
      }
      if (++jumps > MAX_POINTER_JUMPS) {
        throw new WireFormatError(
          'name-pointer-loop',
          `more than ${MAX_POINTER_JUMPS} compression pointers in one name`,
        );
      }
      if (end < 0) end = position + 2;
      bound = segmentStart;
      position = target;
      segmentStart = target;
      continue;
    }
    if (kind !== 0) {
      throw new WireFormatError(
        'name-bad-label-type',
        `label type 0x${kind.toString(16)} at ${position} is not supported`,
      );
    }
    if (length === 0) return end < 0 ? position + 1 : end;
    if (length > MAX_LABEL_LENGTH)
      throw new WireFormatError('name-label-too-long', 'label longer than 63 octets');
    if (position + 1 + length > bound)
      throw new WireFormatError('name-truncated', 'label runs past the end of its data');
    wireLength += 1 + length;
    if (wireLength > MAX_NAME_WIRE_LENGTH)
      throw new WireFormatError('name-too-long', 'name longer than 255 octets');
    spans.push(position + 1, length);
    position += 1 + length;
  }
}

/**
 * Read a possibly compressed name at the reader's offset (advances it), as presentation
 * text: `formatName` of its labels, written straight from the message's octets.
 */
export function readMessageName(reader: WireReader): string {
  const { bytes } = reader;
  const spans: number[] = [];
  reader.offset = scanName(bytes, reader.offset, reader.end, spans);
  if (spans.length === 0) return '.';
  let text = '';
  for (let i = 0; i < spans.length; i += 2) {
    const start = spans[i]!;
    const stop = start + spans[i + 1]!;
    let plain = true;
    for (let j = start; j < stop && plain; j++) plain = isPlainOctet(bytes[j]!);
    if (plain) {
      // A character at a time: short strings are built flat, one-character ones are shared.
      for (let j = start; j < stop; j++) text += String.fromCharCode(bytes[j]!);
    } else {
      text += formatLabel(bytes.subarray(start, stop));
    }
    text += '.';
  }
  return text;
}

/**
 * Writes names with compression against names written before. Suffixes are matched on
 * their exact octets (case-sensitive) so that a compressed name keeps the case it was
 * given: 0x20-randomised qnames stay echoed exactly. A suffix is known by its absolute
 * presentation text, which names one octet string only: for a name of plain characters
 * (letters, digits, `-`, `_`, `*` — every name the servers answer for) that is a slice of
 * the text itself, so such names are written without being parsed.
 */
export class NameCompressor {
  private readonly offsets = new Map<string, number>();

  write(writer: WireWriter, name: string): void {
    const absolute = name.endsWith('.') ? name : `${name}.`;
    if (isPlainName(name)) {
      this.writePlain(writer, absolute);
      return;
    }
    const labels = parseName(name);
    for (let i = 0; i < labels.length; i++) {
      if (this.pointTo(writer, formatName(labels.slice(i)))) return;
      const label = labels[i]!;
      writer.u8(label.length, 'label length');
      writer.bytes(label);
    }
    writer.u8(0, 'root label');
  }

  /** `text`: absolute, plain characters only, labels of 1–63 octets. */
  private writePlain(writer: WireWriter, text: string): void {
    for (let start = 0; start < text.length; ) {
      if (this.pointTo(writer, start === 0 ? text : text.slice(start))) return;
      const dot = text.indexOf('.', start);
      writer.u8(dot - start, 'label length');
      writer.latin1(text, start, dot);
      start = dot + 1;
    }
    writer.u8(0, 'root label');
  }

  /** Write a pointer to `suffix` when written before; else remember it is about to be. */
  private pointTo(writer: WireWriter, suffix: string): boolean {
    const known = this.offsets.get(suffix);
    if (known !== undefined) {
      writer.u16(0xc000 | known, 'compression pointer');
      return true;
    }
    if (writer.length <= MAX_POINTER_OFFSET) this.offsets.set(suffix, writer.length);
    return false;
  }
}

/** Writes a name uncompressed (RDATA, and everywhere compression is not wanted). */
export function writeUncompressedName(writer: WireWriter, name: string): void {
  writer.bytes(nameToWire(name));
}
