/**
 * The private-use types of DESIGN §4 — MSPMAP (65280), CSIPKEY (65281), ODOHCFG
 * (65282) — at the wire layer: opaque octets. Their typed (CBOR / RFC 9230 §6) views
 * live with the objects; here the presentation is the RFC 3597 §5 generic form
 * `\# <length> <hex>`, the only text a private type has (RFC 3597 §5).
 */
import { WireFormatError } from '../../errors.js';
import { formatGenericRdata, isGenericRdata, parseGenericRdata } from '../presentation.js';
import { RRType, typeToString } from '../types.js';
import type { RdataCodec } from './codec.js';

function opaqueCodec(type: number): RdataCodec<Uint8Array> {
  const name = typeToString(type).toLowerCase();
  return {
    type,
    encode: (bytes) => {
      if (bytes.length > 0xffff)
        throw new WireFormatError('rdata-too-long', `${name} rdata over 65535 octets`);
      return bytes.slice();
    },
    decode: (rdata) => rdata.slice(),
    toText: (bytes) => formatGenericRdata(bytes),
    fromText(fields) {
      if (!isGenericRdata(fields)) {
        throw new WireFormatError('generic-rdata', `${name} rdata must be given as \\# <length> <hex>`);
      }
      return parseGenericRdata(fields);
    },
  };
}

export const mspmapCodec = opaqueCodec(RRType.MSPMAP);
export const csipkeyCodec = opaqueCodec(RRType.CSIPKEY);
export const odohcfgCodec = opaqueCodec(RRType.ODOHCFG);
