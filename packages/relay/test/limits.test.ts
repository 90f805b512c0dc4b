/**
 * The relay's abuse limits: token buckets per client (IPv6 by /64) on an injected clock,
 * the bounded client table, and the in-flight gate with its idle signal.
 */
import { describe, expect, it } from 'vitest';
import { ClientBuckets, InFlightGate, limiterKey } from '../src/limits.js';

describe('limiter keys', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(limiterKey(address)).toBe(key);
  });
});

describe('token buckets', () => {
  it('gives a burst, then one token per 1/rate seconds', () => {
    const buckets = new ClientBuckets(2, 3, 10);
    const taken = [0, 0, 0, 0].map(() => buckets.take('192.0.2.1', 0));
    expect(taken).toEqual([true, true, true, false]);
    expect(buckets.take('192.0.2.1', 499)).toBe(false);
    expect(buckets.take('192.0.2.1', 500)).toBe(true);
    expect(buckets.take('192.0.2.1', 500)).toBe(false);
  });

  it('keeps clients apart, and one /64 together', () => {
    const buckets = new ClientBuckets(1, 1, 10);
    expect(buckets.take('2001:db8::1', 0)).toBe(true);
    expect(buckets.take('2001:db8::2', 0)).toBe(false);
    expect(buckets.take('2001:db8:0:1::1', 0)).toBe(true);
    expect(buckets.take('192.0.2.1', 0)).toBe(true);
  });

  it('never refills past the burst', () => {
    const buckets = new ClientBuckets(10, 2, 10);
    buckets.take('a', 0);
    expect([0, 0, 0].map(() => buckets.take('a', 1_000_000))).toEqual([true, true, false]);
  });

  it('forgets the least recently seen client when full', () => {
    const buckets = new ClientBuckets(1, 1, 2);
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('a', 0); // a is now the most recent
    buckets.take('c', 0); // evicts b
    expect(buckets.size).toBe(2);
    expect(buckets.take('b', 0)).toBe(true); // b starts afresh
    expect(buckets.take('c', 0)).toBe(false);
  });

  it('rate 0 means no limit', () => {
    const buckets = new ClientBuckets(0, 1, 1);
    expect([1, 2, 3].every(() => buckets.take('a', 0))).toBe(true);
    expect(buckets.size).toBe(0);
  });
});

describe('in-flight gate', () => {
  it('admits up to its ceiling and signals idle', async () => {
    const gate = new InFlightGate(2);
    expect([gate.tryEnter(), gate.tryEnter(), gate.tryEnter()]).toEqual([true, true, false]);
    let idle = false;
    const waiting = gate.whenIdle().then(() => {
      idle = true;
    });
    gate.leave();
    await Promise.resolve();
    expect(idle).toBe(false);
    gate.leave();
    await waiting;
    expect(idle).toBe(true);
    expect(gate.active).toBe(0);
  });
});
