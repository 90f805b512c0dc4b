/**
 * CSI normalization, the one function every program uses (DESIGN §3 "Normalization").
 *
 * Trim ASCII whitespace; an input containing `@` is an email address, anything else a
 * phone number; the result's text must be ≤ 320 octets and its owner name ≤ 255.
 */
import { CsiError } from '../errors.js';
import { DEFAULT_APEX, MAX_CSI_OCTETS, MAX_RAW_INPUT_CHARS } from './constants.js';
import { normalizeEmail } from './email.js';
import { type Csi, csiOwnerName } from './owner-name.js';
import { normalizePhone } from './phone.js';

export interface NormalizeCsiOptions {
  /** ISO 3166 alpha-2 region for national phone formats (`GB`); without it, `+` is required. */
  readonly region?: string;
  /** Apex under which the owner name must fit 255 octets; default `mimi.arpa.`. */
  readonly apex?: string;
}

/** ASCII whitespace (WHATWG Infra): TAB, LF, FF, CR, SPACE — not Unicode spaces. */
const ASCII_WHITESPACE_ENDS = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;
/** `+` and digits only: nothing to trim, no `@`, and as many octets as characters. */
const PLUS_DIGITS = /^\+[0-9]+$/;

/**
 * Normalize a phone number or email address. Throws CsiError with one of the codes
 * `csi-phone-format`, `csi-phone-cc`, `csi-phone-region`, `csi-email-format`,
 * `csi-email-local`, `csi-email-idna`, `hostname`, `csi-too-long`, `name-too-long`;
 * the message names the input and what is wrong.
 */
export function normalizeCsi(input: string, options: NormalizeCsiOptions = {}): Csi {
  if (input.length > MAX_RAW_INPUT_CHARS) {
    throw new CsiError(
      'csi-too-long',
      `input of ${input.length} characters is far over ${MAX_CSI_OCTETS} octets`,
      {
        details: { input: `${input.slice(0, 32)}…` },
      },
    );
  }
  // Fast path for input already `+digits` (bulk lists): the same steps, minus the no-ops.
  const plain = PLUS_DIGITS.test(input);
  const trimmed = plain ? input : input.replace(ASCII_WHITESPACE_ENDS, '');
  const csi =
    !plain && trimmed.includes('@')
      ? normalizeEmail(trimmed, input)
      : normalizePhone(trimmed, options, input);
  const octets = plain ? csi.csi.length : Buffer.byteLength(csi.csi, 'utf8');
  if (octets > MAX_CSI_OCTETS) {
    throw new CsiError('csi-too-long', `'${csi.csi}': ${octets} octets (max ${MAX_CSI_OCTETS})`, {
      details: { input },
    });
  }
  csiOwnerName(csi, options.apex ?? DEFAULT_APEX);
  return csi;
}

/** True when `text` is a CSI in normalized form (normalizing it changes nothing). */
export function isNormalizedCsi(text: string, options: { apex?: string } = {}): boolean {
  try {
    return normalizeCsi(text, options).csi === text;
  } catch (err) {
    if (err instanceof CsiError) return false;
    throw err;
  }
}
