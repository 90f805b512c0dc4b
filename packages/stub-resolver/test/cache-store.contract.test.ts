/**
 * The CacheStore contract (one suite for every implementation, as undici's and
 * js-libp2p's stores do), run on the default LRU store and on a plain Map store; then
 * the TimedCache rules on the injected clock.
 */
import { describe, expect, it } from 'vitest';
import { TimedCache } from '../src/cache/timed-cache.js';
import { type CacheEntry, type CacheStore, createLruCacheStore } from '../src/index.js';

function mapStore(): CacheStore {
  const map = new Map<string, CacheEntry>();
  return {
    get: (key) => map.get(key),
    set: (key, entry) => {
      map.set(key, entry);
    },
    delete: (key) => {
      map.delete(key);
    },
    clear: () => map.clear(),
    get size() {
      return map.size;
    },
  };
}

function cacheStoreContract(name: string, create: () => CacheStore): void {
  describe(`CacheStore contract: ${name}`, () => {
    it('returns what was set, and undefined for unknown keys', () => {
      const store = create();
      const entry = { value: { a: 1 }, expiresAt: 10 };
      store.set('k', entry);
      expect(store.get('k')).toEqual(entry);
      expect(store.get('other')).toBeUndefined();
      expect(store.size).toBe(1);
    });

    it('set replaces, delete removes, clear empties', () => {
      const store = create();
      store.set('k', { value: 1, expiresAt: 1 });
      store.set('k', { value: 2, expiresAt: 2 });
      expect(store.get('k')?.value).toBe(2);
      store.set('j', { value: 3, expiresAt: 3 });
      store.delete('k');
      expect(store.get('k')).toBeUndefined();
      expect(store.size).toBe(1);
      store.clear();
      expect(store.size).toBe(0);
      expect(store.get('j')).toBeUndefined();
    });

    it('knows nothing of time: an entry past expiresAt is still returned', () => {
      const store = create();
      store.set('k', { value: 1, expiresAt: 0 });
      expect(store.get('k')?.value).toBe(1);
    });
  });
}

cacheStoreContract('createLruCacheStore', () => createLruCacheStore());
cacheStoreContract('a Map', mapStore);

describe('createLruCacheStore bounds', () => {
  it('evicts the least recently used entry beyond max', () => {
    const store = createLruCacheStore({ max: 2 });
    store.set('a', { value: 1, expiresAt: 1 });
    store.set('b', { value: 2, expiresAt: 1 });
    store.get('a');
    store.set('c', { value: 3, expiresAt: 1 });
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')?.value).toBe(1);
    expect(store.size).toBe(2);
  });
});

describe('TimedCache', () => {
  it('serves an entry until expiresAt on the injected clock, then drops it', () => {
    let now = 1_000;
    const store = mapStore();
    const cache = new TimedCache(store, () => now);
    cache.set('rrset', 'x|1', 'value', 2_000);
    now = 1_999;
    expect(cache.get('rrset', 'x|1')).toBe('value');
    now = 2_000;
    expect(cache.get('rrset', 'x|1')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('keeps namespaces apart', () => {
    const cache = new TimedCache(mapStore(), () => 0);
    cache.set('rrset', 'k', 1, 10);
    cache.set('zone', 'k', 2, 10);
    expect([cache.get('rrset', 'k'), cache.get('zone', 'k'), cache.get('keys', 'k')]).toEqual([
      1,
      2,
      undefined,
    ]);
  });

  it('does not store what is already expired', () => {
    const store = mapStore();
    new TimedCache(store, () => 100).set('rrset', 'k', 1, 100);
    expect(store.size).toBe(0);
  });

  it('caps every entry at one day (RFC 2181 §8 TTLs are bounded by policy)', () => {
    const store = mapStore();
    const cache = new TimedCache(store, () => 0);
    cache.set('rrset', 'k', 1, 10 * 86_400_000);
    expect(store.get('rrset:k')?.expiresAt).toBe(86_400_000);
  });
});
