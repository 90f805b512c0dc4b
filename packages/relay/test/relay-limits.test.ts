/**
 * The relay's limits on loopback: the per-client token bucket (429 with Retry-After),
 * the in-flight ceiling (503), the drain on close, and the logging rule for the lines
 * that do name a client (rate limiting): they never name a target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRelayFixture,
  linesJoiningClientAndTarget,
  type RelayFixture,
} from './support/relay-fixture.js';

let fixture: RelayFixture;
let target: RelayFixture['target'];
const relayWith: RelayFixture['relayWith'] = (overrides) => fixture.relayWith(overrides);
const post: RelayFixture['post'] = (relay, options) => fixture.post(relay, options);

beforeAll(async () => {
  fixture = await createRelayFixture();
  target = fixture.target;
});

afterAll(async () => {
  await fixture.close();
});

describe('limits', () => {
  it('a client over its token bucket gets 429 until it refills', async () => {
    let now = 1_000_000;
    const relay = await relayWith({ ratePerSecond: 1, burst: 2, now: () => now });
    expect((await post(relay)).status).toBe(200);
    expect((await post(relay)).status).toBe(200);
    const limited = await post(relay);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(JSON.parse(limited.body.toString()).error.code).toBe('rate-limited');
    now += 1000;
    expect((await post(relay)).status).toBe(200);
  });

  it('more requests in flight than the ceiling get 503', async () => {
    const relay = await relayWith({ maxInFlight: 1 });
    const slow = post(relay, { path: '/slow' });
    // Wait until the slow request is held by the target.
    while (!target.seen.some((seen) => seen.path === '/slow')) await new Promise((r) => setTimeout(r, 10));
    const refused = await post(relay);
    expect(refused.status).toBe(503);
    expect(refused.headers['proxy-status']).toMatch(/^mimi-relay; error=connection_limit_reached/);
    target.release();
    expect((await slow).status).toBe(200);
  });

  it('close() lets a forward in flight finish, then stops listening', async () => {
    const relay = await relayWith();
    const slow = post(relay, { path: '/slow' });
    const seenBefore = target.seen.filter((seen) => seen.path === '/slow').length;
    while (target.seen.filter((seen) => seen.path === '/slow').length === seenBefore) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const closed = relay.close();
    target.release();
    expect((await slow).status).toBe(200);
    await closed;
    await expect(post(relay)).rejects.toThrow();
  });
});

describe('logs (docs/odoh.md: never a client address and a target host on one line)', () => {
  it('rate-limit lines name the client and no target', () => {
    const parsed = fixture.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const limited = parsed.filter((line) => line.event === 'rate-limited');
    expect(limited.length).toBeGreaterThan(0);
    for (const line of limited)
      expect(Object.keys(line).sort()).toEqual(
        ['client', 'level', 'msg', 'name', 'pid', 'time', 'event'].sort(),
      );
    expect(linesJoiningClientAndTarget(fixture.lines)).toEqual([]);
  });
});
