/**
 * Decompression of names inside RDATA on receipt (RFC 3597 §4): for the RFC 1035
 * types whose names may be compressed (NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO,
 * MX) and those RFC 3597 §4 says receivers SHOULD also decompress (RP, AFSDB, RT, PX,
 * NAPTR, SRV), the stored RDATA is the uncompressed form; every other type's RDATA is
 * copied as is. Each layout must consume the RDLENGTH octets exactly.
 */
import { WireFormatError } from '../../errors.js';
import { nameToWire } from '../name.js';
import { typeToString } from '../types.js';
import { WireWriter } from '../writer.js';
import { readCompressedLabels } from './names.js';

/** Field kinds of an RDATA layout: a name, `n` fixed octets, or a <character-string>. */
type Field = 'name' | 'string' | number;

const NAME: Field[] = ['name'];
const TWO_NAMES: Field[] = ['name', 'name'];
const PREFERENCE_NAME: Field[] = [2, 'name'];

/** Type code → layout (RFC 1035 §3.3, RFC 1183, RFC 2163, RFC 2782, RFC 3403 §4.1). */
const LAYOUTS = new Map<number, Field[]>([
  [2, NAME], // NS
  [3, NAME], // MD
  [4, NAME], // MF
  [5, NAME], // CNAME
  [6, ['name', 'name', 20]], // SOA
  [7, NAME], // MB
  [8, NAME], // MG
  [9, NAME], // MR
  [12, NAME], // PTR
  [14, TWO_NAMES], // MINFO
  [15, PREFERENCE_NAME], // MX
  [17, TWO_NAMES], // RP
  [18, PREFERENCE_NAME], // AFSDB
  [21, PREFERENCE_NAME], // RT
  [26, [2, 'name', 'name']], // PX
  [33, [6, 'name']], // SRV
  [35, [4, 'string', 'string', 'string', 'name']], // NAPTR
]);

/** True when RDATA of `type` may carry compressed names that we expand. */
export function hasCompressibleNames(type: number): boolean {
  return LAYOUTS.has(type);
}

/** RDATA at [start, start+length) of `message`, names expanded when the type allows compression. */
export function readRdata(message: Uint8Array, type: number, start: number, length: number): Uint8Array {
  const end = start + length;
  const layout = LAYOUTS.get(type);
  if (!layout) return message.slice(start, end);
  const writer = new WireWriter(length + 64);
  let position = start;
  for (const field of layout) {
    if (field === 'name') {
      const { labels, end: after } = readCompressedLabels(message, position, end);
      writer.bytes(nameToWire(labels));
      position = after;
    } else {
      const size = field === 'string' ? (position < end ? 1 + message[position]! : 1) : field;
      if (position + size > end) {
        throw new WireFormatError(
          'rdata-truncated',
          `${typeToString(type).toLowerCase()} rdata shorter than its fields`,
        );
      }
      writer.bytes(message.subarray(position, position + size));
      position += size;
    }
  }
  if (position !== end) {
    throw new WireFormatError(
      'rdata-length',
      `${typeToString(type).toLowerCase()} rdata has ${end - position} octets after its fields`,
    );
  }
  if (writer.length > 0xffff) throw new WireFormatError('rdata-too-long', 'expanded rdata over 65535 octets');
  return writer.finish();
}
