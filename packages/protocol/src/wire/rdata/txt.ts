/**
 * TXT RDATA (RFC 1035 §3.3.14): one or more <character-string>s, each a length octet
 * and ≤ 255 octets. The value keeps the strings as raw octets (they need not be UTF-8).
 * Presentation: each string quoted, with `\"`, `\\` and `\DDD` escapes.
 */
import { WireFormatError } from '../../errors.js';
import { quoteCharacterString, unescapeText } from '../presentation.js';
import { WireReader } from '../reader.js';
import { RRType } from '../types.js';
import { WireWriter } from '../writer.js';
import type { RdataCodec } from './codec.js';

export type Txt = readonly Uint8Array[];

const encoder = new TextEncoder();

/** TXT value from UTF-8 strings (each must fit 255 octets). */
export function txtFromStrings(strings: readonly string[]): Txt {
  return strings.map((s) => encoder.encode(s));
}

export const txtCodec: RdataCodec<Txt> = {
  type: RRType.TXT,
  encode(strings) {
    if (strings.length === 0) throw new WireFormatError('txt-empty', 'txt rdata needs at least one string');
    const writer = new WireWriter(256);
    strings.forEach((s, i) => {
      writer.characterString(s, `txt string ${i + 1}`);
    });
    return writer.finish();
  },
  decode(rdata) {
    if (rdata.length === 0) throw new WireFormatError('txt-empty', 'txt rdata needs at least one string');
    const reader = new WireReader(rdata, 0, rdata.length, 'txt rdata');
    const strings: Uint8Array[] = [];
    while (reader.remaining > 0) strings.push(reader.characterString(`txt string ${strings.length + 1}`));
    return strings;
  },
  toText: (strings) => strings.map(quoteCharacterString).join(' '),
  fromText(fields) {
    if (fields.length === 0) throw new WireFormatError('txt-empty', 'txt rdata needs at least one string');
    return fields.map((field, i) => {
      const bytes = unescapeText(field, `txt string ${i + 1}`);
      if (bytes.length > 255) {
        throw new WireFormatError(
          'string-too-long',
          `txt string ${i + 1} is ${bytes.length} octets (max 255)`,
        );
      }
      return bytes;
    });
  },
};
