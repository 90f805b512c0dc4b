/**
 * Per-client token buckets and the client key (IPv6 aggregated by /64), on an injected
 * clock. The servers' pipeline and the relay share this limiter (the relay's own
 * copy, `ClientBuckets` + `limiterKey`, was merged into it with its tests).
 */
import { describe, expect, it } from 'vitest';
import { ClientRateLimiter, clientKey } from '../src/rate-limit.js';

describe('ClientRateLimiter', () => {
  it.each([
    // rate, burst, start (ms): the servers' case and the relay's.
    [10, 3, 1000],
    [2, 3, 0],
  ])('rate %s, burst %s: the burst, then one token per 1/rate seconds', (rate, burst, start) => {
    const limiter = new ClientRateLimiter({ ratePerSecond: rate, burst, maxClients: 10 });
    const results = Array.from({ length: burst + 1 }, () => limiter.take('192.0.2.1', start));
    expect(results).toEqual([...Array<boolean>(burst).fill(true), false]);
    const period = 1000 / rate;
    expect(limiter.take('192.0.2.1', start + period - 1)).toBe(false); // just short of a token
    expect(limiter.take('192.0.2.1', start + period)).toBe(true);
    expect(limiter.take('192.0.2.1', start + period)).toBe(false);
  });

  it.each([3_600_000, 1_000_000])('never holds more than the burst, even after %s ms', (pause) => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 10, burst: 2, maxClients: 10 });
    limiter.take('c', 0);
    const after = [1, 2, 3].map(() => limiter.take('c', pause));
    expect(after).toEqual([true, true, false]);
  });

  it('defaults the burst to twice the rate', () => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 2, maxClients: 10 });
    expect([1, 2, 3, 4, 5].map(() => limiter.take('c', 0))).toEqual([true, true, true, true, false]);
  });

  it('is disabled at rate 0, and then remembers no client', () => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 0, burst: 1, maxClients: 1 });
    expect(limiter.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limiter.take(`c${i % 3}`, 0)).toBe(true);
    expect(limiter.clients).toBe(0);
  });

  it('forgets the least recently seen client when full', () => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 1, burst: 1, maxClients: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('a', 0); // a used again: b is now the oldest
    limiter.take('c', 0); // evicts b
    expect(limiter.clients).toBe(2);
    expect(limiter.take('b', 0)).toBe(true); // fresh bucket
    expect(limiter.take('c', 0)).toBe(false);
  });

  it('keeps clients apart, and all addresses of one IPv6 /64 together', () => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 1, burst: 1, maxClients: 10 });
    expect(limiter.take('2001:db8:1:2::1', 0)).toBe(true);
    expect(limiter.take('2001:db8:1:2:ffff::9', 0)).toBe(false);
    expect(limiter.take('2001:db8:1:3::1', 0)).toBe(true);
    expect(limiter.take('2001:db8::1', 0)).toBe(true);
    expect(limiter.take('2001:db8::2', 0)).toBe(false);
    expect(limiter.take('2001:db8:0:1::1', 0)).toBe(true);
    expect(limiter.take('192.0.2.1', 0)).toBe(true);
    expect(limiter.take('::ffff:192.0.2.1', 0)).toBe(false); // the same IPv4 client
  });
});

describe('clientKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['2001:DB8:A::', '2001:db8:a:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    // A dotted IPv4 tail counts as two groups (RFC 4291 §2.2).
    ['::1:2:3:4:5:192.0.2.1', '0:1:2:3::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    // Not an IP address (e.g. an unknown peer): kept as is, lowercased.
    ['unknown', 'unknown'],
    ['Not:An:Address', 'not:an:address'],
    ['::ffff:not-ipv4', '::ffff:not-ipv4'],
  ])('%s → %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
