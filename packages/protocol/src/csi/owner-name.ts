/**
 * Owner names of CSIs (DESIGN §3 "Names").
 *
 * Phone: the E.164 digits reversed, one label each, under `e164.<apex>` (the ENUM rule
 * of RFC 6116 §2.4 on another apex). Email: `<h>.<domain>.email.<apex>` where `h` is the
 * lowercase hex of the first 28 octets of SHA-256 of the normalized local part (the
 * OPENPGPKEY rule of RFC 7929 §3, applied after lowercasing).
 */
import { sha256, toHex } from '@mimi/crypto';
import { CsiError } from '../errors.js';
import { canonicalName } from '../wire/name.js';
import {
  DEFAULT_APEX,
  EMAIL_SUBTREE_LABEL,
  LOCAL_PART_HASH_OCTETS,
  MAX_OWNER_NAME_OCTETS,
  PHONE_SUBTREE_LABEL,
} from './constants.js';
import type { EmailCsi } from './email.js';
import type { PhoneCsi } from './phone.js';

export type Csi = PhoneCsi | EmailCsi;

const encoder = new TextEncoder();

/** Lowercase hex of the first 28 octets of SHA-256 of the local part's UTF-8. */
export function emailLocalHash(local: string): string {
  return toHex(sha256(encoder.encode(local)).subarray(0, LOCAL_PART_HASH_OCTETS));
}

/** Octets of a presentation name's wire form, for names made only of LDH labels. */
function wireLength(name: string): number {
  // Each label costs its length + 1; the dots stand in for all but the first length
  // octet, and the root label adds the last. `name` ends with a dot.
  return Buffer.byteLength(name, 'utf8') + 1;
}

/**
 * `canonicalName(apex)` for the apex asked last: a resolver names every CSI under one
 * apex, and parsing it again for each was a few per cent of bulk resolution
 * (docs/benchmarks-resolver.md). A bad apex is not remembered: it throws each time.
 */
let lastApex: { readonly input: string; readonly canonical: string } | undefined;
function canonicalApex(apex: string): string {
  if (lastApex?.input === apex) return lastApex.canonical;
  const canonical = canonicalName(apex);
  lastApex = { input: apex, canonical };
  return canonical;
}

/**
 * The owner name of a normalized CSI under `apex` (absolute, lowercase). Throws
 * CsiError `name-too-long` when it would exceed 255 octets.
 */
export function csiOwnerName(csi: Csi, apex: string = DEFAULT_APEX): string {
  const root = canonicalApex(apex);
  const suffix = root === '.' ? '' : root;
  const owner =
    csi.kind === 'phone'
      ? `${[...csi.digits].reverse().join('.')}.${PHONE_SUBTREE_LABEL}.${suffix}`
      : `${emailLocalHash(csi.local)}.${csi.domain}.${EMAIL_SUBTREE_LABEL}.${suffix}`;
  const length = wireLength(owner);
  if (length > MAX_OWNER_NAME_OCTETS) {
    throw new CsiError(
      'name-too-long',
      `owner name of '${csi.csi}' exceeds ${MAX_OWNER_NAME_OCTETS} octets (${length})`,
      { details: { input: csi.csi } },
    );
  }
  return owner;
}
