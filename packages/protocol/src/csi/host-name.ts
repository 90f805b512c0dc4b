/**
 * Host-name syntax shared by email domains, MSP names and CSIP key scopes
 * (DESIGN §3 "checked as a host name", §4 "`msp` a lowercase LDH host name in A-labels").
 *
 * The LDH rule of RFC 952 / RFC 1123 §2.1 as restated by RFC 5890 §2.3.1: labels of
 * letters, digits and hyphens, 1–63 octets, no hyphen first or last; the whole name
 * ≤ 253 octets; written without the trailing dot. Only lowercase is accepted: every
 * caller has already case-folded (CSIs) or must send the canonical form (signed objects).
 */
import { domainToASCII } from 'node:url';
import { MAX_HOST_LABEL_OCTETS, MAX_HOST_NAME_OCTETS } from './constants.js';

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * A last label that reads as a number makes the whole name an IPv4 address to URL
 * parsers (WHATWG URL "ends in a number checker"); RFC 1123 §2.1 keeps top-level labels
 * alphabetic for the same reason. We refuse such names as IP literals.
 */
const NUMERIC_LAST_LABEL = /^(?:[0-9]+|0x[0-9a-f]*)$/;

/** Why `name` is not a lowercase LDH host name, or null when it is one. */
export function hostNameProblem(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if (name.endsWith('.')) return 'trailing dot not allowed';
  if (name.startsWith('[') || name.includes(':')) return 'ip literal not allowed';
  if (Buffer.byteLength(name, 'utf8') > MAX_HOST_NAME_OCTETS) {
    return `longer than ${MAX_HOST_NAME_OCTETS} octets`;
  }
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length === 0) return 'empty label';
    if (label.length > MAX_HOST_LABEL_OCTETS) return `label '${label}' over ${MAX_HOST_LABEL_OCTETS} octets`;
    if (!LDH_LABEL.test(label)) return `label '${label}' is not lowercase letters, digits and inner hyphens`;
  }
  if (NUMERIC_LAST_LABEL.test(labels[labels.length - 1]!)) return 'ip literal not allowed';
  return null;
}

/** True for a lowercase LDH host name (see hostNameProblem). */
export function isHostName(name: string): boolean {
  return hostNameProblem(name) === null;
}

/**
 * True when every `xn--` label of an LDH host name is a valid A-label (RFC 5890 §2.3.2.1):
 * UTS #46 processing must give the name back unchanged. Node's `domainToASCII` is the
 * WHATWG host parser, which runs UTS #46 (non-transitional, CheckBidi, CheckJoiners).
 */
export function hasValidALabels(name: string): boolean {
  if (!name.includes('xn--')) return true;
  return domainToASCII(name) === name;
}
