/**
 * A RDATA (RFC 1035 §3.4.1): one 32-bit IPv4 address. Presentation: dotted quad.
 *
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     |                    ADDRESS                    |
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 */
import { WireFormatError } from '../../errors.js';
import { expectFieldCount } from '../presentation.js';
import { RRType } from '../types.js';
import type { RdataCodec } from './codec.js';
import { ipv4FromBytes, ipv4ToBytes } from './ip.js';

export const aCodec: RdataCodec<string> = {
  type: RRType.A,
  encode: (address) => ipv4ToBytes(address),
  decode(rdata) {
    if (rdata.length !== 4)
      throw new WireFormatError('rdata-length', `a rdata is ${rdata.length} octets, not 4`);
    return ipv4FromBytes(rdata);
  },
  toText: (address) => ipv4FromBytes(ipv4ToBytes(address)),
  fromText(fields) {
    expectFieldCount(fields, 1, 'a');
    return ipv4FromBytes(ipv4ToBytes(fields[0]!));
  },
};
