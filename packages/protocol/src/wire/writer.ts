/**
 * Growable big-endian byte writer (RFC 1035 §2.3.2: network byte order). Values are
 * range-checked here so that no codec can silently wrap an out-of-range integer.
 */
import { WireFormatError } from '../errors.js';

export class WireWriter {
  private buffer: Uint8Array;
  length = 0;

  constructor(initialSize = 512) {
    this.buffer = new Uint8Array(initialSize);
  }

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + count) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  u8(value: number, field: string): void {
    checkUint(value, 0xff, field);
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  u16(value: number, field: string): void {
    checkUint(value, 0xffff, field);
    this.reserve(2);
    this.buffer[this.length++] = value >>> 8;
    this.buffer[this.length++] = value & 0xff;
  }

  u32(value: number, field: string): void {
    checkUint(value, 0xffffffff, field);
    this.reserve(4);
    this.buffer[this.length++] = value >>> 24;
    this.buffer[this.length++] = (value >>> 16) & 0xff;
    this.buffer[this.length++] = (value >>> 8) & 0xff;
    this.buffer[this.length++] = value & 0xff;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Characters `from`..`to` of `text`, one octet each (callers pass ASCII only). */
  latin1(text: string, from: number, to: number): void {
    this.reserve(to - from);
    for (let i = from; i < to; i++) this.buffer[this.length++] = text.charCodeAt(i);
  }

  /** A <character-string> (RFC 1035 §3.3): at most 255 octets after its length octet. */
  characterString(data: Uint8Array, field: string): void {
    if (data.length > 255) {
      throw new WireFormatError(
        'string-too-long',
        `${field} is ${data.length} octets (max 255 in a character-string)`,
      );
    }
    this.u8(data.length, field);
    this.bytes(data);
  }

  /** Overwrite a u16 written earlier (lengths known only afterwards, e.g. RDLENGTH). */
  patchU16(at: number, value: number, field: string): void {
    checkUint(value, 0xffff, field);
    this.buffer[at] = value >>> 8;
    this.buffer[at + 1] = value & 0xff;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Throws unless `value` is an integer in 0..max. */
export function checkUint(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new WireFormatError('value-out-of-range', `${field} ${value} is not an integer in 0..${max}`);
  }
}
