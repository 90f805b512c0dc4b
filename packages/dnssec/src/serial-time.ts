/**
 * RRSIG time fields are 32-bit and compared with serial number arithmetic
 * (RFC 4034 §3.1.5, RFC 1982), so that they keep working after 2106. We place each
 * field at the absolute time nearest to `now` (within ±2^31 s), then compare plainly.
 */

const TWO_32 = 2 ** 32;
const TWO_31 = 2 ** 31;

/** A 32-bit RRSIG time field as Unix seconds, taken as the instant closest to `now`. */
export function rrsigTimeToUnix(field: number, now: number): number {
  let diff = (field - (Math.floor(now) % TWO_32) + TWO_32) % TWO_32;
  if (diff >= TWO_31) diff -= TWO_32;
  return Math.floor(now) + diff;
}

/** Unix seconds as a 32-bit RRSIG time field (modulo 2^32, RFC 4034 §3.1.5). */
export function unixToRrsigTime(seconds: number): number {
  return ((Math.floor(seconds) % TWO_32) + TWO_32) % TWO_32;
}
