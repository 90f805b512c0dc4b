/**
 * Option values typed on the command line (DESIGN §8): integers, https URLs, regions and
 * ids (DESIGN §4 "`id` and CSIP ids 1–32 of `a-z 0-9 -`"), each refused with
 * CliError `bad-option` naming the option and value.
 */
import { describe, expect, it } from 'vitest';
import { attachDashValues } from '../src/app.js';
import { CliError } from '../src/errors.js';
import {
  DAYS_RANGE,
  EPOCH_RANGE,
  integerOption,
  parseHttpsUrl,
  parseId,
  parseInteger,
  parseRegion,
  SERIAL_RANGE,
} from '../src/options.js';

function refusal(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('parseInteger', () => {
  it.each([
    ['1', DAYS_RANGE, 1],
    ['365', DAYS_RANGE, 365],
    [' 36500 ', DAYS_RANGE, 36500],
    ['007', DAYS_RANGE, 7],
    ['9007199254740991', EPOCH_RANGE, Number.MAX_SAFE_INTEGER],
    ['0', SERIAL_RANGE, 0],
  ])('%j in range -> %i', (text, range, value) => {
    expect(parseInteger('days', text, range)).toBe(value);
  });

  it.each([
    ['abc', 'must be a whole number'],
    ['', 'must be a whole number'],
    ['-1', 'must be a whole number'],
    ['1.5', 'must be a whole number'],
    ['1e3', 'must be a whole number'],
    ['0x10', 'must be a whole number'],
    ['0', 'must be between 1 and 36500'],
    ['36501', 'must be between 1 and 36500'],
  ])('%j is refused: %s', (text, problem) => {
    const err = refusal(() => parseInteger('days', text, DAYS_RANGE));
    expect(err.code).toBe('bad-option');
    expect(err.message).toBe(`--days ${problem}, got '${text}'`);
  });

  it('refuses integers past 2^53-1 (DESIGN §4)', () => {
    expect(refusal(() => parseInteger('epoch', '9007199254740992', EPOCH_RANGE)).message).toContain(
      '--epoch must be between 1 and 9007199254740991',
    );
  });

  it('integerOption falls back to its default only when the option is absent', () => {
    expect(integerOption('days', undefined, 90, DAYS_RANGE)).toBe(90);
    expect(integerOption('days', '30', 90, DAYS_RANGE)).toBe(30);
    expect(() => integerOption('days', '', 90, DAYS_RANGE)).toThrow(CliError);
  });
});

describe('parseHttpsUrl', () => {
  it('takes https URLs as given', () => {
    expect(parseHttpsUrl('root', 'https://127.0.0.1:8443/dns-query')).toBe(
      'https://127.0.0.1:8443/dns-query',
    );
  });
  it.each([
    ['http://127.0.0.1/dns-query', "--root must be an https url, got 'http://127.0.0.1/dns-query'"],
    ['not a url', "--root is not a url: 'not a url'"],
    ['https://user:pw@example.com/', '--root must not carry credentials'],
  ])('%j is refused', (text, message) => {
    expect(refusal(() => parseHttpsUrl('root', text)).message).toBe(message);
  });
});

describe('parseRegion and parseId', () => {
  it('regions are two letters, upper-cased', () => {
    expect(parseRegion('gb')).toBe('GB');
    expect(refusal(() => parseRegion('GBR')).message).toContain(
      "--region must be an iso 3166 alpha-2 code such as GB, got 'GBR'",
    );
  });
  it.each(['personal', 'work-2', 'a', 'x'.repeat(32)])('id %j is accepted', (id) => {
    expect(parseId('id', id)).toBe(id);
  });
  it.each(['', 'Personal', 'work_2', 'x'.repeat(33), 'née'])('id %j is refused', (id) => {
    const err = refusal(() => parseId('id', id));
    expect(err.message).toBe(`--id '${id}' must be 1-32 characters of a-z, 0-9 and '-'`);
  });
});

describe('attachDashValues: a key that begins with a dash is still a value', () => {
  it.each([
    [
      ['attest', '--recipient-pub', '-abc', '--out', 'x'],
      ['attest', '--recipient-pub=-abc', '--out', 'x'],
    ],
    [
      ['attest', '--recipient-pub', 'abc'],
      ['attest', '--recipient-pub', 'abc'],
    ],
    [
      ['attest', '--recipient-pub=-abc'],
      ['attest', '--recipient-pub=-abc'],
    ],
    [
      ['attest', '--recipient-pub', '--', 'x'],
      ['attest', '--recipient-pub', '--', 'x'],
    ],
    [
      ['attest', '--recipient-pub'],
      ['attest', '--recipient-pub'],
    ],
    [
      ['attest', '--out', '-abc'],
      ['attest', '--out', '-abc'],
    ],
  ])('%j → %j', (argv, expected) => {
    expect(attachDashValues(argv)).toEqual(expected);
  });
});
