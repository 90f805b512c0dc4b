/**
 * Email CSIs (DESIGN §3 "Normalization", email rules; RFC 7929 §3 for the local part,
 * UTS #46 §4 for the domain).
 *
 * NFC, then Unicode default lowercase (`toLowerCase()`); exactly one `@`; a local part of
 * 1–64 octets of UTF-8 without whitespace, control characters, `"` or `\`; a domain
 * through UTS #46 non-transitional processing to A-labels, refusing the deviation
 * characters so no second (transitional) reading exists, then checked as a host name.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { CsiError } from '../errors.js';
import { IDNA_DEVIATION_CHARACTERS, MAX_LOCAL_PART_OCTETS } from './constants.js';
import { hasValidALabels, hostNameProblem } from './host-name.js';

export interface EmailCsi {
  readonly kind: 'email';
  /** `local@domain`, normalized. */
  readonly csi: string;
  /** The normalized local part (hashed into the owner name). */
  readonly local: string;
  /** The domain in A-labels, lowercase, without a trailing dot. */
  readonly domain: string;
}

/** White_Space, control characters (Cc), `"` and `\` (DESIGN §3). */
const FORBIDDEN_IN_LOCAL = /[\p{White_Space}\p{Cc}"\\]/u;
/** An unpaired surrogate (in `u` mode a valid pair is one code point and does not match). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const NON_ASCII = /[^\p{ASCII}]/u;
/**
 * ASCII other than letters, digits, `-` and `.` (and any control character). Refused
 * before UTS #46 processing: the URL host parser would percent-decode `%2e` into a dot.
 */
const NON_LDH_ASCII = /[\p{Cc} -,/:-`{-~]/u;

function quote(text: string): string {
  return `'${text}'`;
}

function hostNameError(domain: string, problem: string, input: string): CsiError {
  const suffix =
    problem === 'trailing dot not allowed'
      ? problem
      : `not a host name (LDH labels of 1-63, <= 253 octets): ${problem}`;
  return new CsiError('hostname', `domain ${quote(domain)}: ${suffix}`, { details: { input } });
}

function hasDeviation(text: string): boolean {
  return IDNA_DEVIATION_CHARACTERS.some((ch) => text.includes(ch));
}

/** The domain in A-labels, or a CsiError `hostname` / `csi-email-idna`. */
function domainToALabels(domain: string, input: string): string {
  if (hasDeviation(domain)) {
    throw new CsiError(
      'csi-email-idna',
      `domain ${quote(domain)}: deviation character (ß, ς, zwj or zwnj) has two uts #46 readings`,
      { details: { input } },
    );
  }
  if (domain.startsWith('[')) throw hostNameError(domain, 'ip literal not allowed', input);
  const stray = NON_LDH_ASCII.exec(domain)?.[0];
  if (stray !== undefined) {
    throw hostNameError(domain, `character ${JSON.stringify(stray)} not allowed`, input);
  }
  let ascii: string;
  if (!NON_ASCII.test(domain)) {
    // Plain ASCII never needs mapping: check it as typed, so an IPv4 form is reported
    // as what it is rather than rewritten by the URL host parser.
    const problem = hostNameProblem(domain);
    if (problem !== null) throw hostNameError(domain, problem, input);
    ascii = domain;
    if (!hasValidALabels(ascii)) {
      throw new CsiError('csi-email-idna', `domain ${quote(domain)}: an xn-- label is not a valid a-label`, {
        details: { input },
      });
    }
  } else {
    ascii = domainToASCII(domain);
    if (ascii === '') {
      throw new CsiError('csi-email-idna', `domain ${quote(domain)}: not convertible to a-labels (uts #46)`, {
        details: { input },
      });
    }
    const problem = hostNameProblem(ascii);
    if (problem !== null) throw hostNameError(domain, problem, input);
  }
  // An A-label may itself spell a deviation character (`xn--zca` is ß).
  if (hasDeviation(domainToUnicode(ascii))) {
    throw new CsiError(
      'csi-email-idna',
      `domain ${quote(domain)}: an a-label decodes to a deviation character`,
      {
        details: { input },
      },
    );
  }
  return ascii;
}

/**
 * Normalize an email address. `trimmed` has had ASCII whitespace removed from both ends.
 * Throws CsiError `csi-email-format`, `csi-email-local`, `csi-email-idna` or `hostname`.
 */
export function normalizeEmail(trimmed: string, input = trimmed): EmailCsi {
  if (LONE_SURROGATE.test(trimmed)) {
    throw new CsiError('csi-email-format', `${quote(trimmed)}: not well-formed unicode (lone surrogate)`, {
      details: { input },
    });
  }
  const text = trimmed.normalize('NFC').toLowerCase();
  const parts = text.split('@');
  if (parts.length !== 2) {
    throw new CsiError('csi-email-format', `${quote(trimmed)}: exactly one '@' required`, {
      details: { input },
    });
  }
  const [local, rawDomain] = parts as [string, string];
  const localOctets = Buffer.byteLength(local, 'utf8');
  if (localOctets < 1 || localOctets > MAX_LOCAL_PART_OCTETS) {
    throw new CsiError(
      'csi-email-local',
      `${quote(trimmed)}: local part must be 1-${MAX_LOCAL_PART_OCTETS} octets`,
      {
        details: { input },
      },
    );
  }
  if (FORBIDDEN_IN_LOCAL.test(local)) {
    throw new CsiError(
      'csi-email-local',
      `${quote(trimmed)}: whitespace, control, quote or backslash in local part`,
      { details: { input } },
    );
  }
  if (rawDomain === '') throw hostNameError('', 'empty name', input);
  const domain = domainToALabels(rawDomain, input);
  return { kind: 'email', csi: `${local}@${domain}`, local, domain };
}
