/**
 * Per-client token buckets (DESIGN §5: "rate-limit per client before signing"). One
 * limiter counts all queries, a second one only cache misses, and the pipeline takes a
 * miss token before it calls the engine, so a flood of new names costs at most
 * `rate` online signatures per second per client.
 *
 * Clients are keyed by address; IPv6 clients by their /64, since one host usually
 * holds a whole /64 (RFC 6177 §3 assigns at least that to an end site) and could
 * otherwise rotate through addresses to reset its bucket. The table is bounded; the
 * client seen least recently is forgotten first.
 */
export interface TokenBucketOptions {
  /** Tokens added per second; 0 disables the limit. */
  readonly ratePerSecond: number;
  /** Bucket size (burst); defaults to twice the rate. */
  readonly burst?: number;
  /** How many clients to remember. */
  readonly maxClients: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class ClientRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;

  constructor(private readonly options: TokenBucketOptions) {
    this.rate = options.ratePerSecond;
    this.burst = Math.max(1, options.burst ?? options.ratePerSecond * 2);
  }

  get enabled(): boolean {
    return this.rate > 0;
  }

  /** Take one token for `client` at `now` (ms); false when its bucket is empty. */
  take(client: string, now: number): boolean {
    if (this.rate <= 0) return true;
    const key = clientKey(client);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.burst, updatedAt: now };
      if (this.buckets.size >= this.options.maxClients) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    } else {
      const elapsed = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(this.burst, bucket.tokens + (elapsed * this.rate) / 1000);
      bucket.updatedAt = now;
      // Keep the map ordered by last use so eviction forgets idle clients first.
      this.buckets.delete(key);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get clients(): number {
    return this.buckets.size;
  }
}

/** The rate-limit key of an address: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64. */
export function clientKey(address: string): string {
  if (!address.includes(':')) return address;
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:') && lower.includes('.')) return lower.slice(7);
  const zoneless = lower.split('%')[0]!;
  const [head = '', tail] = zoneless.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...new Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
