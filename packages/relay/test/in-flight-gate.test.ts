/**
 * The relay's in-flight gate with its idle signal. (Its per-client token buckets are
 * the server core's `ClientRateLimiter`, tested in packages/server-core/test/rate-limit.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { InFlightGate } from '../src/in-flight-gate.js';

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
