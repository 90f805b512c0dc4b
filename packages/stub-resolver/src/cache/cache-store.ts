/**
 * The cache store interface (injectable, DESIGN §2 "embeddable in an MSP") and its
 * default implementation on lru-cache.
 *
 * A store is a bounded key → entry map and knows nothing about time: every entry carries
 * `expiresAt` in milliseconds on the resolver's clock, and the resolver (`TimedCache`)
 * drops entries it finds expired. Keeping time out of the store makes the injected clock
 * the only clock, so unit tests control expiry exactly.
 */
import { LRUCache } from 'lru-cache';
import { DEFAULT_CACHE_ENTRIES } from '../constants.js';

export interface CacheEntry {
  readonly value: unknown;
  /** Milliseconds on the resolver clock after which the entry must not be used. */
  readonly expiresAt: number;
}

export interface CacheStore {
  get(key: string): CacheEntry | undefined;
  set(key: string, entry: CacheEntry): void;
  delete(key: string): void;
  clear(): void;
  /** Number of entries held (expired ones included until they are looked at or evicted). */
  readonly size: number;
}

/** The default store: least-recently-used eviction beyond `max` entries. */
export function createLruCacheStore(options: { max?: number } = {}): CacheStore {
  const lru = new LRUCache<string, CacheEntry>({ max: options.max ?? DEFAULT_CACHE_ENTRIES });
  return {
    get: (key) => lru.get(key),
    set: (key, entry) => {
      lru.set(key, entry);
    },
    delete: (key) => {
      lru.delete(key);
    },
    clear: () => lru.clear(),
    get size() {
      return lru.size;
    },
  };
}
