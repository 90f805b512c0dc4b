/**
 * Typed, time-aware view over a CacheStore: namespaced keys, expiry against the injected
 * clock, and the TTL rules of the resolver (RFC 2181 §8 TTLs in seconds, capped;
 * RFC 4035 §5.3.3 — a validated RRset lives no longer than its RRSIG's expiration).
 */
import { MAX_CACHE_TTL_SECONDS } from '../constants.js';
import type { CacheStore } from './cache-store.js';

/** What each namespace holds; the resolver keeps one kind of value per namespace. */
export type CacheNamespace = 'rrset' | 'keys' | 'zone' | 'servers' | 'object' | 'csip';

export class TimedCache {
  constructor(
    private readonly store: CacheStore,
    private readonly now: () => number,
  ) {}

  get<T>(namespace: CacheNamespace, key: string): T | undefined {
    const fullKey = `${namespace}:${key}`;
    const entry = this.store.get(fullKey);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.store.delete(fullKey);
      return undefined;
    }
    return entry.value as T;
  }

  /** Store `value` until `expiresAt` (ms); entries already expired are not stored. */
  set(namespace: CacheNamespace, key: string, value: unknown, expiresAt: number): void {
    const capped = Math.min(expiresAt, this.now() + MAX_CACHE_TTL_SECONDS * 1000);
    if (capped <= this.now()) return;
    this.store.set(`${namespace}:${key}`, { value, expiresAt: capped });
  }

  delete(namespace: CacheNamespace, key: string): void {
    this.store.delete(`${namespace}:${key}`);
  }

  clear(): void {
    this.store.clear();
  }
}
