/**
 * AAAA RDATA (RFC 3596 §2.2): one 128-bit IPv6 address. Presentation: RFC 4291 §2.2
 * text on input; RFC 5952 canonical text on output.
 */
import { WireFormatError } from '../../errors.js';
import { expectFieldCount } from '../presentation.js';
import { RRType } from '../types.js';
import type { RdataCodec } from './codec.js';
import { ipv6FromBytes, ipv6ToBytes } from './ip.js';

export const aaaaCodec: RdataCodec<string> = {
  type: RRType.AAAA,
  encode: (address) => ipv6ToBytes(address),
  decode(rdata) {
    if (rdata.length !== 16)
      throw new WireFormatError('rdata-length', `aaaa rdata is ${rdata.length} octets, not 16`);
    return ipv6FromBytes(rdata);
  },
  toText: (address) => ipv6FromBytes(ipv6ToBytes(address)),
  fromText(fields) {
    expectFieldCount(fields, 1, 'aaaa');
    return ipv6FromBytes(ipv6ToBytes(fields[0]!));
  },
};
