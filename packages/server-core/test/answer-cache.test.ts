/** The wire-answer cache: LRU order, entry and byte bounds, expiry, invalidation by name. */
import { describe, expect, it } from 'vitest';
import { AnswerCache, type CacheEntry } from '../src/answer-cache.js';

function entry(size: number, name = 'a.example.', expiresAt = 10_000): CacheEntry {
  return {
    bytes: Buffer.alloc(size),
    questionEnd: 12,
    rcode: 0,
    expiresAt,
    maxAge: 300,
    invalidationName: name,
  };
}

describe('AnswerCache', () => {
  it('returns live entries and drops expired ones on read', () => {
    const cache = new AnswerCache({ maxEntries: 10, maxBytes: 1 << 20 });
    cache.set('k', entry(100, 'a.example.', 5000));
    expect(cache.get('k', 4999)?.bytes.length).toBe(100);
    expect(cache.get('k', 5000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const cache = new AnswerCache({ maxEntries: 2, maxBytes: 1 << 20 });
    cache.set('a', entry(10));
    cache.set('b', entry(10));
    cache.get('a', 0); // a is now the most recent
    cache.set('c', entry(10));
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBeDefined();
    expect(cache.get('c', 0)).toBeDefined();
  });

  it('evicts in least-recently-used order: a hit saves an entry until the others were used later', () => {
    const cache = new AnswerCache({ maxEntries: 8, maxBytes: 1 << 20 });
    for (const key of 'abcdefgh') cache.set(key, entry(10));
    cache.get('a', 0);
    cache.get('h', 0); // used after a
    cache.set('i', entry(10)); // b is the least recently used
    expect(cache.get('b', 0)).toBeUndefined();
    for (const key of 'jklmn') cache.set(key, entry(10)); // c … g
    expect([...'acdefgh'].map((key) => cache.get(key, 0) !== undefined)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    // a and h were read again just now, a first: a new entry pushes out i, then j.
    cache.set('o', entry(10));
    cache.set('p', entry(10));
    expect([cache.get('i', 0), cache.get('j', 0)]).toEqual([undefined, undefined]);
    expect([cache.get('a', 0), cache.get('h', 0), cache.get('p', 0)].every(Boolean)).toBe(true);
    expect(cache.size).toBe(8);
  });

  it('keeps a new entry even when every older one was read', () => {
    const cache = new AnswerCache({ maxEntries: 3, maxBytes: 1 << 20 });
    for (const key of 'abc') cache.set(key, entry(10));
    for (const key of 'abc') cache.get(key, 0);
    cache.set('d', entry(10));
    expect(cache.get('d', 0)).toBeDefined();
    expect(cache.size).toBe(3);
  });

  it('evicts until the byte bound holds and refuses an entry bigger than the bound', () => {
    const cache = new AnswerCache({ maxEntries: 100, maxBytes: 1000 });
    cache.set('a', entry(300));
    cache.set('b', entry(300));
    expect(cache.size).toBe(2);
    cache.set('c', entry(300)); // 3 × (300 + 1 + 96) > 1000
    expect(cache.size).toBe(2);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    cache.set('huge', entry(2000));
    expect(cache.get('huge', 0)).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('replacing a key keeps the byte count exact', () => {
    const cache = new AnswerCache({ maxEntries: 10, maxBytes: 1 << 20 });
    cache.set('a', entry(100));
    const before = cache.bytes;
    cache.set('a', entry(100));
    expect(cache.bytes).toBe(before);
    expect(cache.size).toBe(1);
  });

  it('invalidates by canonical name, whatever case and trailing dot the engine uses', () => {
    const cache = new AnswerCache({ maxEntries: 10, maxBytes: 1 << 20 });
    cache.set('a1', entry(10, 'A.Example.'));
    cache.set('a2', entry(10, 'a.example.'));
    cache.set('b', entry(10, 'b.example.'));
    expect(cache.invalidate(['a.EXAMPLE'])).toBe(2);
    expect(cache.invalidate(['a.example.'])).toBe(0);
    expect(cache.get('b', 0)).toBeDefined();
    expect(cache.invalidate(['not a valid..name'])).toBe(0);
    cache.clear();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
  });
});
