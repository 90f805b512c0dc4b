/**
 * SOA RDATA (RFC 1035 §3.3.13). Two names, then five 32-bit fields (RFC 1982 serial
 * arithmetic applies to SERIAL; the others are seconds).
 *
 *     /                     MNAME                     /
 *     /                     RNAME                     /
 *     |                    SERIAL                     |  32 bits
 *     |                    REFRESH                    |  32 bits
 *     |                     RETRY                     |  32 bits
 *     |                    EXPIRE                     |  32 bits
 *     |                    MINIMUM                    |  32 bits
 */
import { formatName, nameToWire, parseName, readUncompressedName, resolveName } from '../name.js';
import { expectFieldCount, parseUint } from '../presentation.js';
import { WireReader } from '../reader.js';
import { RRType } from '../types.js';
import { WireWriter } from '../writer.js';
import type { RdataCodec } from './codec.js';

export interface Soa {
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

const NUMBERS = ['serial', 'refresh', 'retry', 'expire', 'minimum'] as const;

export const soaCodec: RdataCodec<Soa> = {
  type: RRType.SOA,
  encode(soa) {
    const writer = new WireWriter(64);
    writer.bytes(nameToWire(soa.mname));
    writer.bytes(nameToWire(soa.rname));
    for (const field of NUMBERS) writer.u32(soa[field], `soa ${field}`);
    return writer.finish();
  },
  decode(rdata) {
    const mname = readUncompressedName(rdata, 0);
    const rname = readUncompressedName(rdata, mname.end);
    const reader = new WireReader(rdata, rname.end, rdata.length, 'soa rdata');
    const soa: Soa = {
      mname: formatName(mname.labels),
      rname: formatName(rname.labels),
      serial: reader.u32('serial'),
      refresh: reader.u32('refresh'),
      retry: reader.u32('retry'),
      expire: reader.u32('expire'),
      minimum: reader.u32('minimum'),
    };
    reader.expectEnd();
    return soa;
  },
  toText(soa) {
    const names = `${formatName(parseName(soa.mname))} ${formatName(parseName(soa.rname))}`;
    return `${names} ${NUMBERS.map((field) => soa[field]).join(' ')}`;
  },
  fromText(fields, origin) {
    expectFieldCount(fields, 7, 'soa');
    const [mname, rname, serial, refresh, retry, expire, minimum] = fields.map((f, i) =>
      i < 2 ? resolveName(f, origin) : f,
    ) as [string, string, string, string, string, string, string];
    const n = (text: string, field: string) => parseUint(text, 0xffffffff, `soa ${field}`);
    return {
      mname,
      rname,
      serial: n(serial, 'serial'),
      refresh: n(refresh, 'refresh'),
      retry: n(retry, 'retry'),
      expire: n(expire, 'expire'),
      minimum: n(minimum, 'minimum'),
    };
  },
};
