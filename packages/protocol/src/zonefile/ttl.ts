/**
 * TTL fields of master files: plain seconds (RFC 1035 §5.1) or the unit form that BIND
 * and most tools accept (`1h30m`, `2d`, `1w`). RFC 2181 §8 caps a TTL at 2^31 − 1.
 */
export const MAX_TTL = 0x7fffffff;

const UNITS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** True when the token has the shape of a TTL (so it is not a class or a type). */
export function looksLikeTtl(text: string): boolean {
  return /^\d+$/.test(text) || /^(\d+[wdhmsWDHMS])+$/.test(text);
}

/** Seconds of a TTL token, or undefined when it is out of range or malformed. */
export function ttlSeconds(text: string): number | undefined {
  if (!looksLikeTtl(text)) return undefined;
  let total = 0;
  if (/^\d+$/.test(text)) total = Number(text);
  else
    for (const [, n, unit] of text.matchAll(/(\d+)([a-zA-Z])/g))
      total += Number(n) * UNITS[unit!.toLowerCase()]!;
  return Number.isSafeInteger(total) && total <= MAX_TTL ? total : undefined;
}
