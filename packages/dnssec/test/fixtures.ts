// Shared fixtures for the DNSSEC tests: a fixed clock, deterministic zone keys and
// small record builders. No wall clock anywhere: every test passes NOW explicitly.
import { privateKeyFromSeed, sha256 } from '@mimi/crypto';
import { CLASS_IN, nameToWire, type ResourceRecord, RRType, type Rrsig, rrsigCodec } from '@mimi/protocol';
import { createZoneKey, type ZoneKey, type ZoneKeys } from '../src/index.js';

/** 2026-01-01T00:00:00Z. */
export const NOW = 1767225600;
export const WINDOW = { inception: NOW - 3600, expiration: NOW + 7 * 86400 };
export const ZONE = 'example.test.';

export function keyFor(zone: string, label = 'main'): ZoneKey {
  return createZoneKey(
    zone,
    privateKeyFromSeed(sha256(new TextEncoder().encode(`fixture ${label} ${zone}`))),
  );
}

export const KEY = keyFor(ZONE);
export const OTHER_KEY = keyFor(ZONE, 'other');

export function trusted(zone: string, ...keys: ZoneKey[]): ZoneKeys {
  return { zone, keys: keys.map((k) => ({ keyTag: k.keyTag, dnskey: k.dnskey })) };
}

export function rr(name: string, type: number, rdata: Uint8Array, ttl = 300): ResourceRecord {
  return { name, type, class: CLASS_IN, ttl, rdata };
}

export function a(name: string, ...octets: number[]): ResourceRecord {
  return rr(name, RRType.A, Uint8Array.from(octets.length ? octets : [192, 0, 2, 1]));
}

export function txt(name: string, text: string, ttl = 300): ResourceRecord {
  const bytes = new TextEncoder().encode(text);
  return rr(name, RRType.TXT, Uint8Array.from([bytes.length, ...bytes]), ttl);
}

export function mx(name: string, preference: number, exchange: string): ResourceRecord {
  return rr(name, RRType.MX, Uint8Array.from([preference >> 8, preference & 0xff, ...nameToWire(exchange)]));
}

/** An RRSIG record with some fields changed (its signature kept unless given). */
export function tamper(rrsig: ResourceRecord, patch: Partial<Rrsig>): ResourceRecord {
  return { ...rrsig, rdata: rrsigCodec.encode({ ...rrsigCodec.decode(rrsig.rdata), ...patch }) };
}

/** A copy of `bytes` with one bit flipped at `index` (negative counts from the end). */
export function flip(bytes: Uint8Array, index: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const at = index < 0 ? out.length + index : index;
  out[at] = out[at]! ^ 0x01;
  return out;
}

/** The error `fn` throws; fails the test when it throws nothing. */
export function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected an error to be thrown');
}
