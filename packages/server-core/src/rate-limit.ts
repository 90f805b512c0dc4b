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
 *
 * The relay (RFC 9230 §11.1: proxies are "expected ... to implement some form of rate
 * limiting") uses the same limiter for its per-client buckets.
 */
import { isIP } from 'node:net';

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

/**
 * The rate-limit key of an address: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its
 * /64 (lowercase, leading zeros dropped), anything else (not an IP) lowercased as is.
 */
export function clientKey(address: string): string {
  // Fast path for the common case: IPv4 (the pipeline keys every query).
  if (!address.includes(':')) return address.toLowerCase();
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return lower.slice(7);
  if (isIP(lower) !== 6) return lower;
  const zoneless = lower.split('%')[0]!;
  const [head = '', tail] = zoneless.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  // A dotted IPv4 tail (RFC 4291 §2.2 form 3) stands for two groups.
  const tailWidth = tailGroups.length + (tailGroups.at(-1)?.includes('.') ? 1 : 0);
  const groups =
    tail === undefined
      ? headGroups
      : [
          ...headGroups,
          ...new Array<string>(Math.max(0, 8 - headGroups.length - tailWidth)).fill('0'),
          ...tailGroups,
        ];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
