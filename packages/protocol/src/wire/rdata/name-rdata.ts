/**
 * RDATA that is exactly one domain name: NS (RFC 1035 §3.3.11), CNAME (§3.3.1) and
 * PTR (§3.3.12). Stored uncompressed (ResourceRecord keeps expanded RDATA); the value
 * is the absolute presentation name, case preserved.
 *
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     /                 NSDNAME / CNAME / PTRDNAME    /
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 */
import { formatName, nameToWire, parseName, readUncompressedName, resolveName } from '../name.js';
import { expectFieldCount } from '../presentation.js';
import { WireReader } from '../reader.js';
import { RRType } from '../types.js';
import type { RdataCodec } from './codec.js';

function nameCodec(type: number, label: string): RdataCodec<string> {
  return {
    type,
    encode: (name) => nameToWire(name),
    decode(rdata) {
      const { labels, end } = readUncompressedName(rdata, 0);
      new WireReader(rdata, end, rdata.length, `${label} rdata`).expectEnd();
      return formatName(labels);
    },
    toText: (name) => formatName(parseName(name)),
    fromText(fields, origin) {
      expectFieldCount(fields, 1, label);
      return resolveName(fields[0]!, origin);
    },
  };
}

export const nsCodec = nameCodec(RRType.NS, 'ns');
export const cnameCodec = nameCodec(RRType.CNAME, 'cname');
export const ptrCodec = nameCodec(RRType.PTR, 'ptr');
