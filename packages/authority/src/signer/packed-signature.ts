/**
 * The signature cache's stored form: one latin1 string per signed RRset, holding its
 * RRSIG (RFC 4034 §3.1) and when it is due for refresh.
 *
 *     0      2          6          10
 *   +------+----------+----------+---------------------+
 *   | key  | refresh  | RRSIG    | RRSIG RDATA ...     |
 *   | u16  | at, u32  | TTL, u32 |                     |
 *   +------+----------+----------+---------------------+
 *
 * Why a string: an authoritative DP keeps a signature for every RRset it serves — two
 * per mapped CSI, so hundreds of thousands — for days. As objects (records, RRSIG
 * record, typed array, array buffer) each cost about a kilobyte of heap and a dozen
 * objects that every major garbage collection marks; under load that marking took a
 * third of a DoH server's core. A string is one object with no pointers in it. The
 * records themselves are the RRset's, which the caller holds; they are rebuilt (cheaply)
 * when an answer is made.
 */
import { sha256, toBase64Url } from '@mimi/crypto';
import { type ResourceRecord, type RRset, RRType } from '@mimi/protocol';

const KEY_AT = 0;
const REFRESH_AT = 2;
const TTL_AT = 6;
const RDATA_AT = 10;

/** Pack a signature made with key number `key` (an index the signer assigns). */
export function packSignature(key: number, refreshAt: number, rrsig: ResourceRecord): string {
  const bytes = Buffer.allocUnsafe(RDATA_AT + rrsig.rdata.length);
  bytes.writeUInt16BE(key, KEY_AT);
  bytes.writeUInt32BE(refreshAt, REFRESH_AT);
  bytes.writeUInt32BE(rrsig.ttl, TTL_AT);
  bytes.set(rrsig.rdata, RDATA_AT);
  return bytes.toString('latin1');
}

function u32(packed: string, at: number): number {
  return (
    ((packed.charCodeAt(at) << 24) |
      (packed.charCodeAt(at + 1) << 16) |
      (packed.charCodeAt(at + 2) << 8) |
      packed.charCodeAt(at + 3)) >>>
    0
  );
}

/** The key number a packed signature was made with. */
export function packedKey(packed: string): number {
  return (packed.charCodeAt(KEY_AT) << 8) | packed.charCodeAt(KEY_AT + 1);
}

/** Unix seconds from which the packed signature is due for replacement. */
export function packedRefreshAt(packed: string): number {
  return u32(packed, REFRESH_AT);
}

/** The RRSIG record at `owner` (class `rrclass`, those of the RRset it covers) from its packed form. */
export function unpackRrsig(owner: string, rrclass: number, packed: string): ResourceRecord {
  const bytes = Buffer.from(packed, 'latin1');
  // A plain Uint8Array view, like the RDATA the signing function returned.
  const rdata = new Uint8Array(bytes.buffer, bytes.byteOffset + RDATA_AT, bytes.length - RDATA_AT);
  return { name: owner, type: RRType.RRSIG, class: rrclass, ttl: u32(packed, TTL_AT), rdata };
}

/**
 * The cache key of an RRset's content under key number `key`: SHA-256 over the key
 * number, owner, type, class, TTL and length-prefixed RDATAs, in base64url (one flat
 * 43-character string; equal keys mean equal RRsets).
 */
export function contentKey(key: number, rrset: RRset): string {
  const head = Buffer.allocUnsafe(2 + 2 + 2 + 4);
  head.writeUInt16BE(key, 0);
  head.writeUInt16BE(rrset.type, 2);
  head.writeUInt16BE(rrset.class, 4);
  head.writeUInt32BE(rrset.ttl >>> 0, 6);
  const parts: Uint8Array[] = [head, Buffer.from(rrset.name), Uint8Array.of(0)];
  for (const rdata of rrset.rdatas) parts.push(Uint8Array.of(rdata.length >>> 8, rdata.length & 0xff), rdata);
  return toBase64Url(sha256(...parts));
}
