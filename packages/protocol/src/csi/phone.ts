/**
 * Phone CSIs: E.164 numbers (ITU-T E.164 §6; DESIGN §3 "Normalization", phone rules).
 *
 * Input: optional `tel:` prefix (any case, RFC 3966 §3 scheme), ASCII space, `-`, `.`,
 * `(`, `)` removed; then `+` and 1–15 digits beginning with an assigned country calling
 * code with at least one digit after it. A number is never refused for failing a
 * validity or number-type check (test ranges such as +44 7700 900xxx are real CSIs
 * here); only national formats go through libphonenumber-js, and only with a region.
 */
import { createRequire } from 'node:module';
import { type CountryCode, isSupportedCountry, parsePhoneNumberWithError } from 'libphonenumber-js';
import { CsiError } from '../errors.js';
import { MAX_E164_DIGITS } from './constants.js';

export interface PhoneCsi {
  readonly kind: 'phone';
  /** `+` and the digits: the normalized CSI. */
  readonly csi: string;
  /** The digits without `+`. */
  readonly digits: string;
  /** The ITU-T country calling code the digits start with. */
  readonly countryCode: string;
}

/** The shape of libphonenumber-js metadata we read: calling codes are the keys. */
interface CallingCodeMetadata {
  country_calling_codes: Record<string, unknown>;
  nonGeographic?: Record<string, unknown>;
}

/**
 * "an assigned ITU-T country calling code (the list in the phone library's metadata)":
 * geographic codes plus the non-geographic ones (800, 808, 870, 878, 881–883, 888, 979).
 */
const ASSIGNED_CALLING_CODES: ReadonlySet<string> = (() => {
  const metadata = createRequire(import.meta.url)(
    'libphonenumber-js/metadata.min.json',
  ) as CallingCodeMetadata;
  return new Set([
    ...Object.keys(metadata.country_calling_codes),
    ...Object.keys(metadata.nonGeographic ?? {}),
  ]);
})();

/** Calling codes are 1–3 digits and prefix-free (ITU-T E.164 §6.2.1). */
const MAX_CALLING_CODE_DIGITS = 3;

const TEL_PREFIX = /^tel:/i;
const SEPARATORS = /[ \-.()]/g;
const E164 = new RegExp(`^\\+[0-9]{1,${MAX_E164_DIGITS}}$`);
const DIGITS = /^[0-9]+$/;

function quote(text: string): string {
  return `'${text}'`;
}

function fail(code: string, shown: string, problem: string, input: string): never {
  throw new CsiError(code, `${quote(shown)}: ${problem}`, { details: { input } });
}

/** The assigned calling code `digits` begins with, if any. */
export function callingCodeOf(digits: string): string | undefined {
  for (let length = 1; length <= MAX_CALLING_CODE_DIGITS && length <= digits.length; length++) {
    const prefix = digits.slice(0, length);
    if (ASSIGNED_CALLING_CODES.has(prefix)) return prefix;
  }
  return undefined;
}

/** National digits in international form through libphonenumber-js, for an explicit region. */
function fromNational(national: string, region: string, input: string): string {
  const upper = region.toUpperCase();
  if (!isSupportedCountry(upper)) {
    fail('csi-phone-region', region, 'unknown region (want an ISO 3166 alpha-2 code)', input);
  }
  if (!DIGITS.test(national)) {
    fail('csi-phone-format', national, 'a national number is digits 0-9 only', input);
  }
  try {
    return parsePhoneNumberWithError(national, upper as CountryCode).number;
  } catch (cause) {
    throw new CsiError('csi-phone-format', `${quote(national)}: not a national number of ${upper}`, {
      cause,
      details: { input },
    });
  }
}

/**
 * Normalize a phone number to E.164 (`+digits`). `trimmed` has had ASCII whitespace
 * removed from both ends. Throws CsiError `csi-phone-format`, `csi-phone-cc` or
 * `csi-phone-region`.
 */
export function normalizePhone(
  trimmed: string,
  options: { region?: string } = {},
  input = trimmed,
): PhoneCsi {
  // Input already `+digits` (bulk lists usually are) has no prefix or separator to remove.
  let text = E164.test(trimmed) ? trimmed : trimmed.replace(TEL_PREFIX, '').replace(SEPARATORS, '');
  if (!text.startsWith('+')) {
    if (options.region === undefined) {
      fail('csi-phone-format', text, "E.164 number must start with '+' (no national formats)", input);
    }
    text = fromNational(text, options.region, input);
  }
  if (!E164.test(text)) {
    fail('csi-phone-format', text, `'+' must be followed by 1-${MAX_E164_DIGITS} digits 0-9 only`, input);
  }
  const digits = text.slice(1);
  if (digits.startsWith('0')) fail('csi-phone-cc', text, 'no country code starts with 0', input);
  const countryCode = callingCodeOf(digits);
  if (countryCode === undefined) fail('csi-phone-cc', text, 'no assigned country calling code', input);
  if (digits.length === countryCode.length) {
    fail('csi-phone-format', text, 'no digits after the country code', input);
  }
  return { kind: 'phone', csi: text, digits, countryCode };
}
