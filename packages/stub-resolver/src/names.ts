/**
 * Fast paths for the names the resolver handles most: those already in canonical
 * presentation form (RFC 4034 §6.2 lowercase, absolute) with no character that needs an
 * escape. For them string equality is name equality and a suffix at a dot is a label
 * boundary, so the general parser of @mimi/protocol is needed only for the others —
 * it was a few per cent of bulk resolution's main thread (docs/benchmarks-resolver.md).
 */
import { canonicalName, compareNames, isInCsiSubtree, isSubdomain } from '@mimi/protocol';

/**
 * Lowercase letters, digits, `-`, `_` and `*` (none escaped in presentation form), labels
 * of 1–63 octets, a trailing dot; ≤ 254 characters keeps the wire form ≤ 255 octets
 * (RFC 1035 §2.3.4).
 */
const PLAIN_CANONICAL = /^(?:[a-z0-9_*-]{1,63}\.)+$/;
const MAX_PLAIN_LENGTH = 254;

export function isPlainCanonical(name: string): boolean {
  return name.length <= MAX_PLAIN_LENGTH && PLAIN_CANONICAL.test(name);
}

/** `canonicalName(name)`, without parsing a name that is canonical already. */
export function canonical(name: string): string {
  return isPlainCanonical(name) ? name : canonicalName(name);
}

/** Name equality (case-insensitive, RFC 4343), equal strings first. */
export function sameName(a: string, b: string): boolean {
  return a === b || compareNames(a, b) === 0;
}

/** `isSubdomain(name, zone)` (at or below), by string for plain canonical names. */
export function isAtOrBelow(name: string, zone: string): boolean {
  if (isPlainCanonical(name) && isPlainCanonical(zone)) {
    return name === zone || (name.length > zone.length && name.endsWith(`.${zone}`));
  }
  return isSubdomain(name, zone);
}

/**
 * `isInCsiSubtree(name, apex)` (at or below `e164.<apex>` or `email.<apex>`, DESIGN §3),
 * by string for plain canonical names: the walk asks it once per name.
 */
export function inCsiSubtree(name: string, apex: string): boolean {
  if (isPlainCanonical(name) && isPlainCanonical(apex)) {
    // Both plain: a suffix at a dot is a label boundary (as in isAtOrBelow).
    const under = (zone: string) => name === zone || name.endsWith(`.${zone}`);
    return under(`e164.${apex}`) || under(`email.${apex}`);
  }
  return isInCsiSubtree(name, apex);
}
