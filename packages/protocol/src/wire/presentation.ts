/**
 * Presentation-format building blocks shared by the RDATA codecs and the zone-file
 * parser: <character-string> escapes (RFC 1035 §5.1), strict decimals, hex, and the
 * RFC 3597 §5 generic RDATA form `\# <length> <hex>`.
 */
import { WireFormatError } from '../errors.js';

const encoder = new TextEncoder();

/**
 * Octets of a presentation token with its escapes intact (quotes already removed):
 * `\DDD` is one octet (decimal, ≤ 255), `\X` is X itself, other characters are their
 * UTF-8 encoding (zone files are UTF-8 text).
 */
export function unescapeText(token: string, field: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const ch = token[i]!;
    if (ch === '\\') {
      const digits = token.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(digits)) {
        const value = Number(digits);
        if (value > 255)
          throw new WireFormatError('bad-escape', `escape \\${digits} out of range in ${field}`);
        out.push(value);
        i += 3;
      } else if (i + 1 < token.length && !/\d/.test(token[i + 1]!)) {
        const next = token.codePointAt(i + 1)!;
        const text = String.fromCodePoint(next);
        for (const octet of encoder.encode(text)) out.push(octet);
        i += text.length;
      } else {
        throw new WireFormatError('bad-escape', `bad escape in ${field}`);
      }
    } else {
      const code = token.codePointAt(i)!;
      const text = String.fromCodePoint(code);
      if (code < 0x80) out.push(code);
      else for (const octet of encoder.encode(text)) out.push(octet);
      i += text.length - 1;
    }
  }
  return Uint8Array.from(out);
}

/**
 * A <character-string> in presentation format, always quoted: printable ASCII as is
 * except `"` and `\` (backslash-escaped); every other octet as `\DDD`.
 */
export function quoteCharacterString(bytes: Uint8Array): string {
  return `"${escapeOctets(bytes, new Set([0x22, 0x5c]))}"`;
}

/** Backslash-escape `special` octets and `\DDD` every octet outside printable ASCII. */
export function escapeOctets(bytes: Uint8Array, special: ReadonlySet<number>): string {
  let out = '';
  for (const octet of bytes) {
    if (octet < 0x20 || octet > 0x7e) out += `\\${octet.toString().padStart(3, '0')}`;
    else if (special.has(octet)) out += `\\${String.fromCharCode(octet)}`;
    else out += String.fromCharCode(octet);
  }
  return out;
}

/** A strict unsigned decimal (no sign, no spaces, no leading zeros beyond "0") in 0..max. */
export function parseUint(text: string | undefined, max: number, field: string): number {
  if (text === undefined) throw new WireFormatError('missing-field', `missing ${field}`);
  if (!/^(0|[1-9]\d{0,15})$/.test(text)) {
    throw new WireFormatError('bad-number', `${field} '${text}' is not an unsigned decimal`);
  }
  const value = Number(text);
  if (value > max) throw new WireFormatError('value-out-of-range', `${field} ${text} exceeds ${max}`);
  return value;
}

export function toHexString(bytes: Uint8Array): string {
  let out = '';
  for (const octet of bytes) out += octet.toString(16).padStart(2, '0');
  return out;
}

/** Strict hex (either case, even length) to octets. */
export function fromHexString(text: string, field: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new WireFormatError('bad-hex', `${field} is not an even-length hex string`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The RFC 3597 §5 generic token that introduces `\# <length> <hex>`. */
export const GENERIC_RDATA_TOKEN = '\\#';

/** RFC 3597 §5: `\# <length> <hex...>`; hex may be split into several fields. */
export function formatGenericRdata(rdata: Uint8Array): string {
  return rdata.length === 0 ? '\\# 0' : `\\# ${rdata.length} ${toHexString(rdata)}`;
}

/** True when presentation fields use the RFC 3597 generic form. */
export function isGenericRdata(fields: readonly string[]): boolean {
  return fields[0] === GENERIC_RDATA_TOKEN;
}

/** Octets of generic RDATA fields (`\#`, length, hex words); the length must match exactly. */
export function parseGenericRdata(fields: readonly string[]): Uint8Array {
  if (!isGenericRdata(fields))
    throw new WireFormatError('generic-rdata', 'generic rdata must start with \\#');
  const length = parseUint(fields[1], 0xffff, 'generic rdata length');
  const hex = fields.slice(2).join('');
  const bytes = fromHexString(hex, 'generic rdata');
  if (bytes.length !== length) {
    throw new WireFormatError(
      'generic-rdata-length',
      `generic rdata says ${length} octets but has ${bytes.length}`,
    );
  }
  return bytes;
}

/** Throws unless exactly `count` fields were given. */
export function expectFieldCount(fields: readonly string[], count: number, type: string): void {
  if (fields.length !== count) {
    throw new WireFormatError(
      'field-count',
      `${type} rdata needs ${count} field${count === 1 ? '' : 's'}, got ${fields.length}`,
    );
  }
}
