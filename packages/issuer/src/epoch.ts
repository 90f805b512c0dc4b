/**
 * Key epochs: time is cut into epochs of `epochSeconds`; epoch N starts at Unix time
 * N × epochSeconds, has its own issuer key (DESIGN §7 "Tokens": keys rotate each
 * epoch, so tokens are time-bound) and its own quota per user. The directory's
 * `not-before` of a key is its epoch's start (RFC 9578 §4).
 */

export interface EpochClock {
  readonly epochSeconds: number;
  /** Milliseconds since the Unix epoch. */
  readonly now: () => number;
}

export function epochAt(clock: EpochClock, nowMs = clock.now()): number {
  return Math.floor(nowMs / 1000 / clock.epochSeconds);
}

/** Unix seconds at which `epoch` starts. */
export function epochStart(clock: EpochClock, epoch: number): number {
  return epoch * clock.epochSeconds;
}

/** Whole seconds until the next epoch starts (at least 1). */
export function secondsToNextEpoch(clock: EpochClock, nowMs = clock.now()): number {
  const next = (epochAt(clock, nowMs) + 1) * clock.epochSeconds * 1000;
  return Math.max(1, Math.ceil((next - nowMs) / 1000));
}
