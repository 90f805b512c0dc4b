/**
 * A bounded least-recently-used map: a Map keeps insertion order, so re-inserting on
 * access moves an entry to the young end and the oldest is always the first key.
 * Bounded so that a flood of distinct queries (each denial is a new entry) costs memory
 * in proportion to the bound, never to the flood.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  private bound: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`lru capacity ${capacity} must be a positive integer`);
    this.bound = capacity;
  }

  get capacity(): number {
    return this.bound;
  }

  /** Raise the bound to at least `capacity` (never lowers it). */
  grow(capacity: number): void {
    if (Number.isInteger(capacity) && capacity > this.bound) this.bound = capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.bound) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
