/**
 * The online signer (DESIGN §5): never signs the same RRset twice while its signature
 * is fresh, re-signs once less than 2 days remain, signs each denial once per
 * (qname, bitmap) in a bounded LRU. Signatures are counted with a spy.
 */
import { type SignatureWindow, signRrset, testZoneKey, validateRrset, type ZoneKey } from '@mimi/dnssec';
import { CLASS_IN, nsecCodec, type ResourceRecord, type RRset, RRType, rrsigCodec } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { jitterOf, Lru, OnlineSigner, type SignFunction } from '../src/index.js';
import { NOW } from './fixtures.js';

const ZONE = 'mimi.arpa.';
const KEY = testZoneKey(ZONE);
const KEYS = { zone: ZONE, keys: [{ keyTag: KEY.keyTag, dnskey: KEY.dnskey }] };
const DAY = 86_400;

/** A signer whose signatures are counted; no jitter unless asked, so windows are exact. */
function spySigner(
  options: { denialCacheEntries?: number; rrsetCacheEntries?: number; jitterSeconds?: number } = {},
) {
  const calls: { owner: string; type: number; window: SignatureWindow }[] = [];
  const sign: SignFunction = (records: readonly ResourceRecord[], key: ZoneKey, window: SignatureWindow) => {
    calls.push({ owner: records[0]!.name, type: records[0]!.type, window });
    return signRrset(records, key, window);
  };
  return { calls, signer: new OnlineSigner({ jitterSeconds: 0, ...options, sign }) };
}

function txt(owner: string, text: string, ttl = 300): RRset {
  const bytes = new TextEncoder().encode(text);
  return {
    name: owner,
    type: RRType.TXT,
    class: CLASS_IN,
    ttl,
    rdatas: [Uint8Array.of(bytes.length, ...bytes)],
  };
}

describe('data RRsets', () => {
  it('signs with validity [now − 1 h, now + 7 d] and the signature verifies', () => {
    const { signer, calls } = spySigner();
    const signed = signer.sign(txt('a.mimi.arpa.', 'x'), KEY, NOW);
    expect(calls[0]!.window).toEqual({ inception: NOW - 3600, expiration: NOW + 7 * DAY });
    const rrsig = rrsigCodec.decode(signed.rrsig.rdata);
    expect(rrsig.keyTag).toBe(KEY.keyTag);
    expect(signed.refreshAt).toBe(NOW + 5 * DAY);
    expect(validateRrset(signed.records, [signed.rrsig], KEYS, NOW).status).toBe('secure');
  });

  it('never signs an RRset twice while its signature is fresh (same object or same content)', () => {
    const { signer, calls } = spySigner();
    const rrset = txt('a.mimi.arpa.', 'x');
    const first = signer.sign(rrset, KEY, NOW);
    for (let i = 0; i < 100; i++) expect(signer.sign(rrset, KEY, NOW + i * 3600)).toEqual(first);
    expect(signer.sign(txt('a.mimi.arpa.', 'x'), KEY, NOW + 60)).toEqual(first);
    expect(calls).toHaveLength(1);
  });

  it('signs again when the content, the TTL, the owner or the key differ', () => {
    const { signer, calls } = spySigner();
    signer.sign(txt('a.mimi.arpa.', 'x'), KEY, NOW);
    signer.sign(txt('a.mimi.arpa.', 'y'), KEY, NOW);
    signer.sign(txt('a.mimi.arpa.', 'x', 60), KEY, NOW);
    signer.sign(txt('b.mimi.arpa.', 'x'), KEY, NOW);
    signer.sign(txt('a.mimi.arpa.', 'x'), testZoneKey('mimi.arpa.'), NOW); // same key material: cached
    expect(calls).toHaveLength(4);
  });

  it('re-signs once the clock passes the refresh point (2 days before expiry), not before', () => {
    const { signer, calls } = spySigner();
    const rrset = txt('a.mimi.arpa.', 'x');
    const first = signer.sign(rrset, KEY, NOW);
    expect(signer.sign(rrset, KEY, first.refreshAt - 1)).toEqual(first);
    expect(calls).toHaveLength(1);
    const second = signer.sign(rrset, KEY, first.refreshAt);
    expect(calls).toHaveLength(2);
    expect(second.rrsig.rdata).not.toEqual(first.rrsig.rdata);
    expect(rrsigCodec.decode(second.rrsig.rdata).inception).toBe(first.refreshAt - 3600);
    expect(validateRrset(second.records, [second.rrsig], KEYS, first.refreshAt + 6 * DAY).status).toBe(
      'secure',
    );
    expect(signer.sign(rrset, KEY, first.refreshAt + DAY)).toEqual(second);
    expect(calls).toHaveLength(2);
  });

  it('refuses a refresh period that is not below the validity', () => {
    expect(() => new OnlineSigner({ validitySeconds: DAY, refreshSeconds: DAY })).toThrow(RangeError);
  });
});

describe('spread refresh points (jitter) and early renewal', () => {
  it("shortens each RRset's validity by its own offset, the same at every signing", () => {
    const { signer, calls } = spySigner({ jitterSeconds: DAY });
    const offset = jitterOf('a.mimi.arpa.', RRType.TXT, DAY);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(DAY);
    const first = signer.sign(txt('a.mimi.arpa.', 'x'), KEY, NOW);
    expect(calls[0]!.window).toEqual({ inception: NOW - 3600, expiration: NOW + 7 * DAY - offset });
    expect(first.refreshAt).toBe(NOW + 5 * DAY - offset);
    expect(rrsigCodec.decode(first.rrsig.rdata).expiration).toBe(NOW + 7 * DAY - offset);
    expect(validateRrset(first.records, [first.rrsig], KEYS, NOW).status).toBe('secure');
    const second = signer.sign(txt('a.mimi.arpa.', 'x'), KEY, first.refreshAt);
    expect(calls[1]!.window.expiration).toBe(first.refreshAt + 7 * DAY - offset);
    expect(second.refreshAt).toBe(first.refreshAt + 5 * DAY - offset);
  });

  it('spreads the refresh points of RRsets signed in the same second over the day', () => {
    const { signer } = spySigner({ jitterSeconds: DAY });
    const perHour = new Array<number>(24).fill(0);
    const count = 1200;
    for (let i = 0; i < count; i++) {
      const owner = `${String(i).split('').join('.')}.4.4.e164.mimi.arpa.`;
      const { refreshAt } = signer.sign(txt(owner, 'x'), KEY, NOW);
      expect(refreshAt).toBeLessThanOrEqual(NOW + 5 * DAY);
      expect(refreshAt).toBeGreaterThan(NOW + 4 * DAY);
      perHour[Math.floor((NOW + 5 * DAY - refreshAt) / 3600)]!++;
    }
    // Even spread: each hour holds 50 on average; none is empty or holds twice that.
    expect(Math.min(...perHour)).toBeGreaterThan(25);
    expect(Math.max(...perHour)).toBeLessThan(100);
  });

  it('with renewAt, re-signs ahead of the refresh point, and only once', () => {
    const { signer, calls } = spySigner();
    const rrset = txt('a.mimi.arpa.', 'x');
    const first = signer.sign(rrset, KEY, NOW);
    const early = first.refreshAt - 3600;
    expect(signer.sign(rrset, KEY, early, early + 3599)).toEqual(first);
    const renewed = signer.sign(rrset, KEY, early, early + 3600);
    expect(renewed.rrsig.rdata).not.toEqual(first.rrsig.rdata);
    expect(calls.map((c) => c.window.inception)).toEqual([NOW - 3600, early - 3600]);
    expect(signer.sign(txt('a.mimi.arpa.', 'x'), KEY, early, early + 3600)).toEqual(renewed);
    expect(calls).toHaveLength(2);
  });

  it('refuses a jitter that leaves no validity before the refresh window', () => {
    expect(
      () => new OnlineSigner({ validitySeconds: 7 * DAY, refreshSeconds: 2 * DAY, jitterSeconds: 5 * DAY }),
    ).toThrow(RangeError);
    expect(() => new OnlineSigner({ jitterSeconds: -1 })).toThrow(RangeError);
  });
});

describe('signature count and reserved room', () => {
  it('counts every signature made, and keeps reserved RRsets beyond the configured bound', () => {
    const { signer, calls } = spySigner({ rrsetCacheEntries: 2 });
    const names = ['a', 'b', 'c', 'd'].map((n) => `${n}.mimi.arpa.`);
    for (const name of names.slice(0, 3)) signer.sign(txt(name, 'x'), KEY, NOW);
    signer.sign(txt(names[0]!, 'x'), KEY, NOW); // evicted by c: signed again
    expect(calls).toHaveLength(4);
    signer.reserve(2); // room for 4: b (evicted by a) and d are signed, then all four stay
    for (const name of names) signer.sign(txt(name, 'x'), KEY, NOW);
    expect(calls).toHaveLength(6);
    for (const name of names) signer.sign(txt(name, 'x'), KEY, NOW);
    expect(calls).toHaveLength(6);
    signer.denial(KEY, 'z.mimi.arpa.', { kind: 'nodata', types: [] }, 300, NOW);
    expect(signer.signatures).toBe(7);
    expect(calls).toHaveLength(7);
  });
});

describe('denials (RFC 9824)', () => {
  it('signs each (qname, bitmap) once', () => {
    const { signer, calls } = spySigner();
    const nodata = signer.denial(KEY, 'a.mimi.arpa.', { kind: 'nodata', types: [RRType.A] }, 300, NOW);
    expect(signer.denial(KEY, 'a.mimi.arpa.', { kind: 'nodata', types: [RRType.A] }, 300, NOW + 10)).toEqual(
      nodata,
    );
    signer.denial(KEY, 'a.mimi.arpa.', { kind: 'nodata', types: [RRType.AAAA] }, 300, NOW);
    signer.denial(KEY, 'b.mimi.arpa.', { kind: 'missing', insideCsiSubtree: false }, 300, NOW);
    expect(calls).toHaveLength(3);
    expect(nsecCodec.decode(nodata.records[0]!.rdata)).toEqual({
      nextName: '\\000.a.mimi.arpa.',
      types: [RRType.A, RRType.RRSIG, RRType.NSEC],
    });
    expect(validateRrset(nodata.records, [nodata.rrsig], KEYS, NOW).status).toBe('secure');
  });

  it('gives a missing CSI name the bitmap of an empty non-terminal, from the same cache entry', () => {
    const { signer, calls } = spySigner();
    const missing = signer.denial(
      KEY,
      '1.e164.mimi.arpa.',
      { kind: 'missing', insideCsiSubtree: true },
      300,
      NOW,
    );
    const ent = signer.denial(KEY, '1.e164.mimi.arpa.', { kind: 'nodata', types: [] }, 300, NOW);
    expect(ent).toEqual(missing);
    expect(calls).toHaveLength(1);
    expect(nsecCodec.decode(missing.records[0]!.rdata).types).toEqual([RRType.RRSIG, RRType.NSEC]);
    const outside = signer.denial(
      KEY,
      'x.nic.mimi.arpa.',
      { kind: 'missing', insideCsiSubtree: false },
      300,
      NOW,
    );
    expect(nsecCodec.decode(outside.records[0]!.rdata).types).toEqual([
      RRType.RRSIG,
      RRType.NSEC,
      RRType.NXNAME,
    ]);
  });

  it('keeps at most the configured number of denials (LRU)', () => {
    const { signer, calls } = spySigner({ denialCacheEntries: 2 });
    const deny = (name: string) =>
      signer.denial(KEY, name, { kind: 'missing', insideCsiSubtree: true }, 300, NOW);
    deny('1.e164.mimi.arpa.');
    deny('2.e164.mimi.arpa.');
    deny('1.e164.mimi.arpa.'); // hit: 1 is now the youngest
    deny('3.e164.mimi.arpa.'); // evicts 2
    expect(calls).toHaveLength(3);
    deny('1.e164.mimi.arpa.');
    expect(calls).toHaveLength(3);
    deny('2.e164.mimi.arpa.');
    expect(calls).toHaveLength(4);
  });

  it('re-signs a cached denial after its refresh point', () => {
    const { signer, calls } = spySigner();
    const first = signer.denial(KEY, 'a.mimi.arpa.', { kind: 'nodata', types: [] }, 300, NOW);
    signer.denial(KEY, 'a.mimi.arpa.', { kind: 'nodata', types: [] }, 300, first.refreshAt);
    expect(calls).toHaveLength(2);
  });
});

describe('Lru', () => {
  it('evicts the least recently used entry', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });

  it('refuses a capacity below one', () => {
    expect(() => new Lru(0)).toThrow(RangeError);
  });

  it('grows, never shrinks', () => {
    const lru = new Lru<string, number>(1);
    lru.grow(3);
    lru.grow(2);
    expect(lru.capacity).toBe(3);
    for (const key of ['a', 'b', 'c', 'd']) lru.set(key, 0);
    expect([lru.size, lru.get('a'), lru.get('b')]).toEqual([3, undefined, 0]);
  });
});
