/**
 * Checks of option values typed on the command line (DESIGN §8), pure and shared by the
 * commands: integers in a range, https URLs, regions and the short ids of DESIGN §4.
 * Each failure is a CliError `bad-option` naming the option and the value.
 */
import { CliError } from './errors.js';

/** DESIGN §4: "`id` and CSIP ids 1–32 of `a-z 0-9 -`". */
export const ID_PATTERN = /^[a-z0-9-]{1,32}$/;

/** DESIGN §4: unsigned integers "≤ 2^53−1". */
export const MAX_UINT = Number.MAX_SAFE_INTEGER;

/** Seconds in a day, for `--days`. */
export const DAY_SECONDS = 86_400;

/** `--days` ranges from one day to a century: enough for any key or mapping, far below 2^53 s. */
export const DAYS_RANGE = { min: 1, max: 36_500 } as const;

/** Epochs and serials: "unsigned integers ≤ 2^53−1"; "epochs start at 1" (DESIGN §4). */
export const EPOCH_RANGE = { min: 1, max: MAX_UINT } as const;
export const SERIAL_RANGE = { min: 0, max: MAX_UINT } as const;

function quoted(text: string): string {
  return `'${text}'`;
}

export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/** A decimal integer within `range` (no sign, no fraction, no exponent, no hex). */
export function parseInteger(option: string, text: string, range: IntegerRange): number {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) {
    throw new CliError('bad-option', `--${option} must be a whole number, got ${quoted(text)}`, {
      details: { option },
    });
  }
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new CliError(
      'bad-option',
      `--${option} must be between ${range.min} and ${range.max}, got ${quoted(text)}`,
      { details: { option } },
    );
  }
  return value;
}

/** An optional integer option with its default. */
export function integerOption(
  option: string,
  text: string | undefined,
  fallback: number,
  range: IntegerRange,
): number {
  return text === undefined ? fallback : parseInteger(option, text, range);
}

/** An https URL without credentials (root DPs, relays and DPs are reached over TLS only). */
export function parseHttpsUrl(option: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('bad-option', `--${option} is not a url: ${quoted(text)}`, { details: { option } });
  }
  if (url.protocol !== 'https:') {
    throw new CliError('bad-option', `--${option} must be an https url, got ${quoted(text)}`, {
      details: { option },
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new CliError('bad-option', `--${option} must not carry credentials`, { details: { option } });
  }
  return text;
}

/** An ISO 3166 alpha-2 region (`GB`), any case on input. */
export function parseRegion(text: string): string {
  const upper = text.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) {
    throw new CliError(
      'bad-option',
      `--region must be an iso 3166 alpha-2 code such as GB, got ${quoted(text)}`,
      {
        details: { option: 'region' },
      },
    );
  }
  return upper;
}

/** A mapping id or CSIP id (DESIGN §4). */
export function parseId(option: string, text: string): string {
  if (!ID_PATTERN.test(text)) {
    throw new CliError(
      'bad-option',
      `--${option} ${quoted(text)} must be 1-32 characters of a-z, 0-9 and '-'`,
      { details: { option } },
    );
  }
  return text;
}
