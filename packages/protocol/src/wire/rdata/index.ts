/**
 * The RDATA registry: one codec per known type, and the RFC 3597 rules for the rest.
 * - `decodeRdata` / `encodeRdata`: typed views of known types (wire ↔ value).
 * - `rdataToText` / `rdataFromText`: presentation (RFC 1035 §5.1); unknown types and
 *   the private types print as `\# <len> <hex>` (RFC 3597 §5), and `\#` is accepted
 *   for every type (RFC 3597 §5: "may be used to represent RRs of known type"), then
 *   checked by that type's codec.
 */
import { WireFormatError } from '../../errors.js';
import { formatGenericRdata, isGenericRdata, parseGenericRdata } from '../presentation.js';
import { RRType, typeToString } from '../types.js';
import { aCodec } from './a.js';
import { aaaaCodec } from './aaaa.js';
import type { RdataCodec } from './codec.js';
import { type Dnskey, dnskeyCodec } from './dnskey.js';
import { type Ds, dsCodec } from './ds.js';
import { cnameCodec, nsCodec, ptrCodec } from './name-rdata.js';
import { type Naptr, naptrCodec } from './naptr.js';
import { type Nsec, nsecCodec } from './nsec.js';
import { csipkeyCodec, mspmapCodec, odohcfgCodec } from './opaque.js';
import { type Rrsig, rrsigCodec } from './rrsig.js';
import { type Soa, soaCodec } from './soa.js';
import { httpsCodec, type Svcb, svcbCodec } from './svcb.js';
import { type Txt, txtCodec } from './txt.js';

/** Typed RDATA value of each known type. */
export interface RdataValueMap {
  [RRType.A]: string;
  [RRType.NS]: string;
  [RRType.CNAME]: string;
  [RRType.SOA]: Soa;
  [RRType.PTR]: string;
  [RRType.TXT]: Txt;
  [RRType.AAAA]: string;
  [RRType.NAPTR]: Naptr;
  [RRType.DS]: Ds;
  [RRType.RRSIG]: Rrsig;
  [RRType.NSEC]: Nsec;
  [RRType.DNSKEY]: Dnskey;
  [RRType.SVCB]: Svcb;
  [RRType.HTTPS]: Svcb;
  [RRType.MSPMAP]: Uint8Array;
  [RRType.CSIPKEY]: Uint8Array;
  [RRType.ODOHCFG]: Uint8Array;
}

export type KnownRdataType = keyof RdataValueMap;

const CODECS = new Map<number, RdataCodec<unknown>>(
  [
    aCodec,
    nsCodec,
    cnameCodec,
    soaCodec,
    ptrCodec,
    txtCodec,
    aaaaCodec,
    naptrCodec,
    dsCodec,
    rrsigCodec,
    nsecCodec,
    dnskeyCodec,
    svcbCodec,
    httpsCodec,
    mspmapCodec,
    csipkeyCodec,
    odohcfgCodec,
  ].map((codec) => [codec.type, codec as RdataCodec<unknown>]),
);

/** The codec of a known type, or undefined (RFC 3597 unknown type). */
export function rdataCodec(type: number): RdataCodec<unknown> | undefined {
  return CODECS.get(type);
}

function codecOrThrow(type: number): RdataCodec<unknown> {
  const codec = CODECS.get(type);
  if (!codec) throw new WireFormatError('unknown-type', `no typed codec for ${typeToString(type)}`);
  return codec;
}

/** Typed view of RDATA of a known type (strict; throws WireFormatError). */
export function decodeRdata<T extends KnownRdataType>(type: T, rdata: Uint8Array): RdataValueMap[T];
export function decodeRdata(type: number, rdata: Uint8Array): unknown;
export function decodeRdata(type: number, rdata: Uint8Array): unknown {
  return codecOrThrow(type).decode(rdata);
}

/** Wire RDATA of a typed value of a known type (validated). */
export function encodeRdata<T extends KnownRdataType>(type: T, value: RdataValueMap[T]): Uint8Array;
export function encodeRdata(type: number, value: unknown): Uint8Array;
export function encodeRdata(type: number, value: unknown): Uint8Array {
  return codecOrThrow(type).encode(value);
}

/** Presentation text of RDATA; unknown and private types in RFC 3597 generic form. */
export function rdataToText(type: number, rdata: Uint8Array): string {
  const codec = CODECS.get(type);
  if (!codec) return formatGenericRdata(rdata);
  return codec.toText(codec.decode(rdata));
}

/**
 * Wire RDATA from presentation fields (tokens, quotes removed, escapes intact), names
 * relative to `origin`. `\#` generic form works for every type and is validated by the
 * type's codec when it has one. Unknown types accept only the generic form.
 */
export function rdataFromText(type: number, fields: readonly string[], origin?: string): Uint8Array {
  const codec = CODECS.get(type);
  if (isGenericRdata(fields)) {
    const rdata = parseGenericRdata(fields);
    if (codec) codec.decode(rdata);
    return rdata;
  }
  if (!codec) {
    throw new WireFormatError(
      'unknown-type-rdata',
      `rdata of ${typeToString(type)} must be given as \\# <length> <hex>`,
    );
  }
  // Codecs resolve relative names against the origin; the root stands in when none is set
  // only for absolute names (resolveName refuses relative ones without an origin).
  return codec.encode(codec.fromText(fields, origin as string));
}

export * from './ip.js';
export type { SvcParam } from './svcb.js';
export * from './svcb-builder.js';
export * from './svcb-params.js';
export { txtFromStrings } from './txt.js';
export type { Dnskey, Ds, Naptr, Nsec, RdataCodec, Rrsig, Soa, Svcb, Txt };
export {
  aaaaCodec,
  aCodec,
  cnameCodec,
  csipkeyCodec,
  dnskeyCodec,
  dsCodec,
  httpsCodec,
  mspmapCodec,
  naptrCodec,
  nsCodec,
  nsecCodec,
  odohcfgCodec,
  ptrCodec,
  rrsigCodec,
  soaCodec,
  svcbCodec,
  txtCodec,
};
