/**
 * Reading and writing the TLS presentation-language structures RFC 9230 §5 and §6.1 use
 * (RFC 8446 §3: big-endian integers, `opaque x<a..b>` as a length then bytes). Every
 * read is bounds-checked, so untrusted bytes never slice past their end.
 */
import { OdohError } from './errors.js';

export class TlsReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** What is being read, for error messages ("odoh message", "odoh configs"). */
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  uint8(field: string): number {
    this.need(1, field);
    return this.bytes[this.offset++]!;
  }

  uint16(field: string): number {
    this.need(2, field);
    const value = (this.bytes[this.offset]! << 8) | this.bytes[this.offset + 1]!;
    this.offset += 2;
    return value;
  }

  /** `opaque field<min..2^16-1>`: a 2-byte length, then that many bytes (a view, not a copy). */
  opaque16(field: string, min: number): Uint8Array {
    const length = this.uint16(`${field} length`);
    if (length < min) {
      throw new OdohError(
        'odoh-malformed',
        `${this.what}: ${field} is ${length} bytes, at least ${min} required`,
        {
          details: { field, length },
        },
      );
    }
    return this.take(length, field);
  }

  take(length: number, field: string): Uint8Array {
    this.need(length, field);
    const view = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return view;
  }

  /** Refuse trailing bytes: every structure here is exactly one value. */
  end(): void {
    if (this.remaining !== 0) {
      throw new OdohError('odoh-malformed', `${this.what}: ${this.remaining} trailing bytes`, {
        details: { trailing: this.remaining },
      });
    }
  }

  private need(length: number, field: string): void {
    if (this.remaining < length) {
      throw new OdohError(
        'odoh-malformed',
        `${this.what}: truncated in ${field} (${length} bytes needed, ${this.remaining} left)`,
        { details: { field } },
      );
    }
  }
}

export function uint16Bytes(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

/** `opaque<..2^16-1>`: the 2-byte length, then the bytes. */
export function opaque16(bytes: Uint8Array, field: string): Uint8Array {
  if (bytes.length > 0xffff) {
    throw new OdohError('odoh-too-large', `${field} is ${bytes.length} bytes, more than 65535`, {
      details: { field, length: bytes.length },
    });
  }
  return concatBytes(uint16Bytes(bytes.length), bytes);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
