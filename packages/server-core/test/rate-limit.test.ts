/** Per-client token buckets and the client key (IPv6 aggregated by /64). */
import { describe, expect, it } from 'vitest';
import { ClientRateLimiter, clientKey } from '../src/rate-limit.js';

describe('ClientRateLimiter', () => {
  it('allows a burst, then the rate', () => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 10, burst: 3, maxClients: 10 });
    const results = [0, 0, 0, 0].map(() => limiter.take('192.0.2.1', 1000));
    expect(results).toEqual([true, true, true, false]);
    expect(limiter.take('192.0.2.1', 1099)).toBe(false); // 0.99 token
    expect(limiter.take('192.0.2.1', 1100)).toBe(true);
    expect(limiter.take('192.0.2.1', 1100)).toBe(false);
  });

  it('never holds more than the burst, even after a long pause', () => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 10, burst: 2, maxClients: 10 });
    limiter.take('c', 0);
    const after = [1, 2, 3].map(() => limiter.take('c', 3_600_000));
    expect(after).toEqual([true, true, false]);
  });

  it('is disabled at rate 0', () => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 0, maxClients: 1 });
    expect(limiter.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limiter.take('c', 0)).toBe(true);
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

  it('treats all addresses of one IPv6 /64 as one client', () => {
    const limiter = new ClientRateLimiter({ ratePerSecond: 1, burst: 1, maxClients: 10 });
    expect(limiter.take('2001:db8:1:2::1', 0)).toBe(true);
    expect(limiter.take('2001:db8:1:2:ffff::9', 0)).toBe(false);
    expect(limiter.take('2001:db8:1:3::1', 0)).toBe(true);
  });
});

describe('clientKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:DB8:A::', '2001:db8:a:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
