/**
 * The packed form of a cached signature: RRSIG RDATA, its TTL, the refresh point and
 * the key number survive the round trip byte for byte; content keys tell RRsets apart
 * by every field that a signature covers.
 */
import { CLASS_IN, type RRset, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  contentKey,
  packedKey,
  packedRefreshAt,
  packSignature,
  unpackRrsig,
} from '../src/signer/packed-signature.js';
import { NOW } from './fixtures.js';

const RDATA = Uint8Array.from({ length: 102 }, (_, i) => (i * 37) & 0xff);

function rrset(overrides: Partial<RRset> = {}): RRset {
  return {
    name: 'a.4.4.e164.mimi.arpa.',
    type: RRType.MSPMAP,
    class: CLASS_IN,
    ttl: 300,
    rdatas: [Uint8Array.of(1, 2, 3)],
    ...overrides,
  };
}

describe('packSignature ↔ unpackRrsig', () => {
  it.each([
    [0, NOW + 5 * 86_400, 300],
    [7, 0xffff_ffff, 0],
    [0xffff, 1, 0x7fff_ffff],
  ])('key %i, refresh at %i, ttl %i', (key, refreshAt, ttl) => {
    const rrsig = { name: 'x.', type: RRType.RRSIG, class: CLASS_IN, ttl, rdata: RDATA };
    const packed = packSignature(key, refreshAt, rrsig);
    expect(packed).toHaveLength(10 + RDATA.length);
    expect([packedKey(packed), packedRefreshAt(packed)]).toEqual([key, refreshAt]);
    const back = unpackRrsig('owner.example.', 3, packed);
    expect(back).toEqual({ name: 'owner.example.', type: RRType.RRSIG, class: 3, ttl, rdata: RDATA });
    expect(back.rdata).toBeInstanceOf(Uint8Array);
  });
});

describe('contentKey', () => {
  it('is one flat base64url digest, equal for equal RRsets', () => {
    const key = contentKey(1, rrset());
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(contentKey(1, rrset({ rdatas: [Uint8Array.of(1, 2, 3)] }))).toBe(key);
  });

  it.each([
    ['key number', 2, {}],
    ['owner', 1, { name: 'b.4.4.e164.mimi.arpa.' }],
    ['type', 1, { type: RRType.NAPTR }],
    ['class', 1, { class: 3 }],
    ['ttl', 1, { ttl: 299 }],
    ['rdata', 1, { rdatas: [Uint8Array.of(1, 2, 4)] }],
    ['rdata split', 1, { rdatas: [Uint8Array.of(1), Uint8Array.of(2, 3)] }],
  ])('differs when the %s differs', (_label, key, overrides) => {
    expect(contentKey(key as number, rrset(overrides as Partial<RRset>))).not.toBe(contentKey(1, rrset()));
  });
});
