/**
 * QNAME minimisation toward parents (RFC 9156), read carefully for CSI names:
 *
 * - A name under the CSI subtrees (`e164.<apex>`, `email.<apex>`) is private. A server
 *   of a zone ABOVE the CSI prefix zones — the apex, or a zone that is `e164.`/`email.`
 *   itself — is asked one more label at a time, with qtype NS (RFC 9156 §3: NS
 *   "matches the intent": it finds the zone cut), so the root learns `4.4.e164`, not
 *   the number.
 * - A server of a zone INSIDE a CSI subtree (strictly below `e164.`/`email.`: the DP
 *   holding the prefix) is asked the full qname and the real qtype at once: it is the
 *   DP that serves the CSI, and walking its digits one by one would only cost queries
 *   and online denial signatures without hiding anything from it.
 * - Infrastructure names (`nic.`, `csip.`, `_dns.` hosts) are public: asked in full.
 *
 * Steps follow RFC 9156 §2.3: the first MINIMISE_ONE_LAB labels one at a time, then the
 * remaining labels spread over at most MAX_MINIMISE_COUNT queries in all.
 */
import { formatName, isInCsiSubtree, labelCount, parentName, parseName } from '@mimi/protocol';
import { MAX_MINIMISE_COUNT, MINIMISE_ONE_LAB } from './constants.js';

/**
 * True when `zone` is strictly below a CSI subtree root (a DP holding a prefix): it is
 * in a subtree and so is its parent, i.e. it is not `e164.`/`email.` itself.
 */
export function zoneInsideCsiSubtree(zone: string, apex: string): boolean {
  return isInCsiSubtree(zone, apex) && isInCsiSubtree(parentName(zone), apex);
}

/** Whether a server of `zone` should see a minimised name for `qname`. */
export function shouldMinimise(zone: string, qname: string, apex: string): boolean {
  return isInCsiSubtree(qname, apex) && !zoneInsideCsiSubtree(zone, apex);
}

/**
 * The next name to ask for `qname` when `base` (a zone, or the last name asked) is
 * known, at step `count` (0-based) of the minimisation in this zone.
 */
export function nextMinimisedName(qname: string, base: string, count: number): string {
  const labels = parseName(qname);
  const remaining = labels.length - labelCount(base);
  if (remaining <= 1) return formatName(labels);
  let add: number;
  if (count < MINIMISE_ONE_LAB) {
    add = 1;
  } else {
    const left = MAX_MINIMISE_COUNT - count;
    add = left <= 1 ? remaining : Math.max(1, Math.floor(remaining / left));
  }
  return formatName(labels.slice(labels.length - labelCount(base) - add));
}
