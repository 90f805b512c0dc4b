/**
 * Bounds-checked reading of untrusted wire bytes (RFC 1035 §4.1: network byte order).
 * Every read checks the remaining length first and throws WireFormatError instead of
 * returning `undefined` or reading past a slice: no unchecked slicing of input.
 */
import { WireFormatError } from '../errors.js';

export class WireReader {
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
    /** Exclusive end of the readable window (e.g. the end of one RDATA). */
    readonly end: number = bytes.length,
    /** What is being read, for error messages ("message", "svcb rdata", ...). */
    readonly what: string = 'data',
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `count` more octets are available. */
  need(count: number, field: string): void {
    if (count > this.end - this.offset) {
      throw new WireFormatError(
        'truncated',
        `${this.what} truncated: ${field} needs ${count} octets at offset ${this.offset}, ${Math.max(0, this.end - this.offset)} left`,
      );
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.offset++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const value = (this.bytes[this.offset]! << 8) | this.bytes[this.offset + 1]!;
    this.offset += 2;
    return value;
  }

  u32(field: string): number {
    this.need(4, field);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }

  /** A copy of the next `count` octets (copies, so callers never alias the input buffer). */
  take(count: number, field: string): Uint8Array {
    this.need(count, field);
    const out = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** A <character-string> (RFC 1035 §3.3): one length octet, then that many octets. */
  characterString(field: string): Uint8Array {
    const length = this.u8(field);
    return this.take(length, field);
  }

  /** Throws unless everything up to `end` was consumed. */
  expectEnd(): void {
    if (this.offset !== this.end) {
      throw new WireFormatError(
        'trailing-bytes',
        `${this.what} has ${this.end - this.offset} unexpected trailing octets`,
      );
    }
  }
}
