/**
 * The wire-answer cache: finished response bytes keyed by (qname lowercase, qtype,
 * EDNS present, DO bit). It memoises the query engine, it is not a DNS cache: TTLs in
 * the bytes are the authoritative ones and are never decremented; an entry lives for
 * the engine's `cacheSeconds` (shortest TTL, and time left before a signature in it is
 * refreshed), or until the engine reports a change of its `invalidationName`.
 *
 * Bounded by entries and by bytes, least recently used first out (a JavaScript Map
 * iterates in insertion order, so re-inserting on a hit keeps the order exact).
 */
import { canonicalName } from '@mimi/protocol';

export interface CacheEntry {
  /** The response as encoded on the miss; ID, RD, CD and qname case are patched per query. */
  readonly bytes: Buffer;
  readonly questionEnd: number;
  readonly rcode: number;
  /** Milliseconds (same clock as the pipeline's `now`). */
  readonly expiresAt: number;
  /** Canonical name whose change drops this entry. */
  readonly invalidationName: string;
}

export interface AnswerCacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/** Rough per-entry overhead (Map slot, entry object, index set) counted against maxBytes. */
const ENTRY_OVERHEAD = 96;

export class AnswerCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly byName = new Map<string, Set<string>>();
  private totalBytes = 0;

  constructor(private readonly limits: AnswerCacheLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The live entry for `key`, made most recently used; expired entries are dropped. */
  get(key: string, now: number): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.remove(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Store an entry, evicting the least recently used ones until both limits hold. */
  set(key: string, entry: CacheEntry): void {
    const cost = costOf(key, entry);
    if (cost > this.limits.maxBytes || this.limits.maxEntries <= 0) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous);
    const name = normalize(entry.invalidationName);
    const stored: CacheEntry = name === entry.invalidationName ? entry : { ...entry, invalidationName: name };
    this.entries.set(key, stored);
    this.totalBytes += cost;
    let keys = this.byName.get(name);
    if (keys === undefined) {
      keys = new Set();
      this.byName.set(name, keys);
    }
    keys.add(key);
    while (this.entries.size > this.limits.maxEntries || this.totalBytes > this.limits.maxBytes) {
      const oldest = this.entries.entries().next().value;
      if (oldest === undefined) break;
      this.remove(oldest[0], oldest[1]);
    }
  }

  /** Drop every entry whose invalidation name is one of `names`; returns how many. */
  invalidate(names: readonly string[]): number {
    let dropped = 0;
    for (const raw of names) {
      const keys = this.byName.get(normalize(raw));
      if (keys === undefined) continue;
      for (const key of [...keys]) {
        const entry = this.entries.get(key);
        if (entry !== undefined) {
          this.remove(key, entry);
          dropped++;
        }
      }
    }
    return dropped;
  }

  clear(): void {
    this.entries.clear();
    this.byName.clear();
    this.totalBytes = 0;
  }

  private remove(key: string, entry: CacheEntry): void {
    this.entries.delete(key);
    this.totalBytes -= costOf(key, entry);
    const keys = this.byName.get(entry.invalidationName);
    if (keys !== undefined) {
      keys.delete(key);
      if (keys.size === 0) this.byName.delete(entry.invalidationName);
    }
  }
}

function costOf(key: string, entry: CacheEntry): number {
  return entry.bytes.length + key.length + ENTRY_OVERHEAD;
}

/** Canonical form of a name from the engine; a name we cannot parse is used as given. */
function normalize(name: string): string {
  try {
    return canonicalName(name);
  } catch {
    return name.toLowerCase();
  }
}
