/**
 * The ENUM view of a CSI's mappings (DESIGN §4; NAPTR of RFC 3403 §4.1, ENUM of
 * RFC 6116 §3.4): one NAPTR per MSP and tag —
 *
 *     order = pri, preference = the tag's position from 0,
 *     "U" "E2U+mimi:<tag>" "!^.*$!mimi:<msp>!" .
 *
 * Tags that are not valid enumservice subtypes (1–32 of letters, digits, `-`) are left
 * out; an MSP left with no tag gets one `E2U+mimi` record (preference 0). The position is
 * the tag's index in the signed list, so leaving out a tag never renumbers the others.
 * Identical records are merged (tags compared case-insensitively), and the view keeps at most 64, the most preferred
 * first: it is the DP's summary, and a lossy summary never refuses the recipient's word.
 */
import type { MspEntry, Naptr } from '@mimi/protocol';
import { ENUMSERVICE_SUBTYPE, ENUMSERVICE_TYPE, MAX_NAPTR_PER_NAME } from '../constants.js';

/** RFC 3403 §4.1: "U" — the rule is terminal and its output is a URI. */
const TERMINAL_URI_FLAG = 'U';
/** RFC 3403 §4.1: a rule with a REGEXP has the root as REPLACEMENT. */
const NO_REPLACEMENT = '.';

function record(msp: string, pri: number, preference: number, tag: string | undefined): Naptr {
  const services = tag === undefined ? `E2U+${ENUMSERVICE_TYPE}` : `E2U+${ENUMSERVICE_TYPE}:${tag}`;
  return {
    order: pri,
    preference,
    flags: TERMINAL_URI_FLAG,
    services,
    regexp: `!^.*$!${ENUMSERVICE_TYPE}:${msp}!`,
    replacement: NO_REPLACEMENT,
  };
}

function compare(a: Naptr, b: Naptr): number {
  return (
    a.order - b.order ||
    a.preference - b.preference ||
    (a.services < b.services ? -1 : a.services > b.services ? 1 : 0) ||
    (a.regexp < b.regexp ? -1 : a.regexp > b.regexp ? 1 : 0)
  );
}

/** The NAPTR records of the ENUM view for the MSP lists of a CSI's live mappings. */
export function enumView(mspLists: readonly (readonly MspEntry[])[]): Naptr[] {
  const byKey = new Map<string, Naptr>();
  for (const msps of mspLists) {
    for (const { msp, pri, tags } of msps) {
      const usable = tags
        .map((tag, position) => ({ tag, position }))
        .filter(({ tag }) => ENUMSERVICE_SUBTYPE.test(tag));
      const records =
        usable.length === 0
          ? [record(msp, pri, 0, undefined)]
          : usable.map(({ tag, position }) => record(msp, pri, position, tag));
      for (const naptr of records) {
        // Enumservice names compare case-insensitively (RFC 6117 §3.3), so merge that way.
        const key = `${naptr.order} ${naptr.preference} ${naptr.services.toLowerCase()} ${naptr.regexp}`;
        if (!byKey.has(key)) byKey.set(key, naptr);
      }
    }
  }
  return [...byKey.values()].sort(compare).slice(0, MAX_NAPTR_PER_NAME);
}
