/**
 * The wire-answer cache: finished response bytes keyed by (qname lowercase, qtype,
 * EDNS present, DO bit). It memoises the query engine, it is not a DNS cache: TTLs in
 * the bytes are the authoritative ones and are never decremented; an entry lives for
 * the engine's `keepSeconds` (until a signature in it is due for refresh or a mapping
 * in it expires), or until the engine reports a change of its `invalidationName`.
 *
 * Bounded by entries and by bytes, least recently used first out, by "second chance"
 * (CLOCK): a JavaScript Map iterates in insertion order, oldest first; a hit only marks
 * its entry, and eviction moves a marked oldest entry to the young end (clearing the
 * mark) instead of dropping it. A hit costs one lookup and no reordering, which matters
 * when every query is a hit; the order work happens only when the cache is full.
 */
import { canonicalName } from '@mimi/protocol';

export interface CacheEntry {
  /** The response as encoded on the miss; ID, RD, CD and qname case are patched per query. */
  readonly bytes: Buffer;
  readonly questionEnd: number;
  readonly rcode: number;
  /** Milliseconds (same clock as the pipeline's `now`). */
  readonly expiresAt: number;
  /** Freshness lifetime HTTP caches may be given (s): the smallest TTL in the bytes (RFC 8484 §5.1). */
  readonly maxAge: number;
  /** Canonical name whose change drops this entry. */
  readonly invalidationName: string;
}

export interface AnswerCacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/** Rough per-entry overhead (Map slot, entry object, index set) counted against maxBytes. */
const ENTRY_OVERHEAD = 96;

/** An entry, and whether it was read since it was last put at the young end. */
interface Slot {
  readonly entry: CacheEntry;
  used: boolean;
}

export class AnswerCache {
  private readonly entries = new Map<string, Slot>();
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
    const slot = this.entries.get(key);
    if (slot === undefined) return undefined;
    const entry = slot.entry;
    if (entry.expiresAt <= now) {
      this.remove(key, entry);
      return undefined;
    }
    slot.used = true;
    return entry;
  }

  /** Store an entry, evicting the least recently used ones until both limits hold. */
  set(key: string, entry: CacheEntry): void {
    const cost = costOf(key, entry);
    if (cost > this.limits.maxBytes || this.limits.maxEntries <= 0) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous.entry);
    const name = normalize(entry.invalidationName);
    const stored: CacheEntry = name === entry.invalidationName ? entry : { ...entry, invalidationName: name };
    this.entries.set(key, { entry: stored, used: false });
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
      const [oldestKey, slot] = oldest;
      if (slot.used || oldestKey === key) {
        // Read since it was last moved (or the entry just stored, after a whole round of
        // second chances): to the young end; the next round finds the others unmarked.
        slot.used = false;
        this.entries.delete(oldestKey);
        this.entries.set(oldestKey, slot);
        continue;
      }
      this.remove(oldestKey, slot.entry);
    }
  }

  /** Drop every entry whose invalidation name is one of `names`; returns how many. */
  invalidate(names: readonly string[]): number {
    let dropped = 0;
    for (const raw of names) {
      const keys = this.byName.get(normalize(raw));
      if (keys === undefined) continue;
      for (const key of [...keys]) {
        const slot = this.entries.get(key);
        if (slot !== undefined) {
          this.remove(key, slot.entry);
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
