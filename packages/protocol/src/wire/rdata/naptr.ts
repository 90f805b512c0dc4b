/**
 * NAPTR RDATA (RFC 3403 §4.1), the ENUM view of DESIGN §4.
 *
 *     |                     ORDER                     |  16 bits
 *     |                   PREFERENCE                  |  16 bits
 *     /                     FLAGS                     /  <character-string>
 *     /                   SERVICES                    /  <character-string>
 *     /                    REGEXP                     /  <character-string>
 *     /                  REPLACEMENT                  /  uncompressed name
 *
 * FLAGS are alphanumeric (RFC 3403 §4.1: "A-Z and 0-9"); REGEXP is UTF-8 (RFC 3402
 * §3.2); REGEXP and REPLACEMENT are mutually exclusive ("it is an error for both the
 * REGEXP and REPLACEMENT fields to be present": a non-empty REGEXP needs REPLACEMENT `.`).
 */
import { WireFormatError } from '../../errors.js';
import { formatName, nameToWire, parseName, readUncompressedName, resolveName } from '../name.js';
import { expectFieldCount, parseUint, quoteCharacterString, unescapeText } from '../presentation.js';
import { WireReader } from '../reader.js';
import { RRType } from '../types.js';
import { WireWriter } from '../writer.js';
import type { RdataCodec } from './codec.js';

export interface Naptr {
  readonly order: number;
  readonly preference: number;
  readonly flags: string;
  readonly services: string;
  readonly regexp: string;
  readonly replacement: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Uint8Array, field: string): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new WireFormatError('naptr-bad-utf8', `naptr ${field} is not valid utf-8`, { cause });
  }
}

function check(naptr: Naptr): void {
  if (!/^[A-Za-z0-9]*$/.test(naptr.flags)) {
    throw new WireFormatError('naptr-bad-flags', `naptr flags '${naptr.flags}' must be letters and digits`);
  }
  if (naptr.regexp !== '' && parseName(naptr.replacement).length !== 0) {
    throw new WireFormatError('naptr-regexp-and-replacement', 'naptr has both a regexp and a replacement');
  }
}

export const naptrCodec: RdataCodec<Naptr> = {
  type: RRType.NAPTR,
  encode(naptr) {
    check(naptr);
    const writer = new WireWriter(128);
    writer.u16(naptr.order, 'naptr order');
    writer.u16(naptr.preference, 'naptr preference');
    writer.characterString(encoder.encode(naptr.flags), 'naptr flags');
    writer.characterString(encoder.encode(naptr.services), 'naptr services');
    writer.characterString(encoder.encode(naptr.regexp), 'naptr regexp');
    writer.bytes(nameToWire(naptr.replacement));
    return writer.finish();
  },
  decode(rdata) {
    const reader = new WireReader(rdata, 0, rdata.length, 'naptr rdata');
    const order = reader.u16('order');
    const preference = reader.u16('preference');
    const flags = utf8(reader.characterString('flags'), 'flags');
    const services = utf8(reader.characterString('services'), 'services');
    const regexp = utf8(reader.characterString('regexp'), 'regexp');
    const { labels, end } = readUncompressedName(rdata, reader.offset);
    new WireReader(rdata, end, rdata.length, 'naptr rdata').expectEnd();
    const naptr: Naptr = { order, preference, flags, services, regexp, replacement: formatName(labels) };
    check(naptr);
    return naptr;
  },
  toText(naptr) {
    const strings = [naptr.flags, naptr.services, naptr.regexp].map((s) =>
      quoteCharacterString(encoder.encode(s)),
    );
    return `${naptr.order} ${naptr.preference} ${strings.join(' ')} ${formatName(parseName(naptr.replacement))}`;
  },
  fromText(fields, origin) {
    expectFieldCount(fields, 6, 'naptr');
    const text = (i: number, field: string) => {
      const bytes = unescapeText(fields[i]!, `naptr ${field}`);
      if (bytes.length > 255) throw new WireFormatError('string-too-long', `naptr ${field} over 255 octets`);
      return utf8(bytes, field);
    };
    const naptr: Naptr = {
      order: parseUint(fields[0], 0xffff, 'naptr order'),
      preference: parseUint(fields[1], 0xffff, 'naptr preference'),
      flags: text(2, 'flags'),
      services: text(3, 'services'),
      regexp: text(4, 'regexp'),
      replacement: resolveName(fields[5]!, origin),
    };
    check(naptr);
    return naptr;
  },
};
