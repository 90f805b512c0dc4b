/**
 * Abuse limits of the relay (RFC 9230 §11.1: "it is expected that Proxies either
 * implement some form of rate limiting or client authentication to limit abuse"):
 * a token bucket per client, and one gate on requests in flight over all clients.
 *
 * Clients are keyed by address, IPv6 by its /64 (one host usually holds a whole /64,
 * RFC 6177 §3, and could otherwise rotate addresses to refill its bucket). The table
 * is bounded; the client seen least recently is forgotten first. Times are passed in.
 */
import { isIP } from 'node:net';

interface Bucket {
  tokens: number;
  at: number;
}

export class ClientBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxClients: number,
  ) {}

  /** Take a token for `address` at `now` (ms); false when the bucket is empty. */
  take(address: string, now: number): boolean {
    if (this.ratePerSecond <= 0) return true;
    const key = limiterKey(address);
    const known = this.buckets.get(key);
    const bucket = known ?? { tokens: this.burst, at: now };
    if (known !== undefined) {
      bucket.tokens = Math.min(
        this.burst,
        bucket.tokens + (Math.max(0, now - bucket.at) * this.ratePerSecond) / 1000,
      );
      bucket.at = now;
      this.buckets.delete(key); // re-inserted below: the map stays ordered by last use
    } else if (this.buckets.size >= this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** IPv4 (and IPv4-mapped IPv6) as is; IPv6 by its first four groups. */
export function limiterKey(address: string): string {
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return lower.slice(7);
  if (isIP(lower) !== 6) return lower;
  const [head = '', tail = ''] = lower.split('%')[0]!.split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === '' ? [] : tail.split(':');
  const groups = lower.includes('::')
    ? [...front, ...Array(8 - front.length - back.length).fill('0'), ...back]
    : front;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** A counter of requests in flight with a ceiling. */
export class InFlightGate {
  private count = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly max: number) {}

  tryEnter(): boolean {
    if (this.count >= this.max) return false;
    this.count += 1;
    return true;
  }

  leave(): void {
    this.count = Math.max(0, this.count - 1);
    if (this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  get active(): number {
    return this.count;
  }

  /** Resolves once nothing is in flight. */
  whenIdle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}
