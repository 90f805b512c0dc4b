/** The result helpers of DESIGN §6/§8: reasons, expiry text, status of a mapping set. */
import { describe, expect, it } from 'vitest';
import { formatExpires, type ResultMapping, reasonCode } from '../src/index.js';
import { formatReason, statusOfMappings } from '../src/result.js';

describe('formatExpires', () => {
  it.each([
    [1798761600, '2027-01-01T00:00:00Z'],
    [0, '1970-01-01T00:00:00Z'],
    [1767315601, '2026-01-02T01:00:01Z'],
  ])('%i → %s', (seconds, text) => {
    expect(formatExpires(seconds)).toBe(text);
  });
});

describe('reasons', () => {
  it('"<code>: <one line>", folded onto one line', () => {
    expect(formatReason('bad-signature', 'rrsig over\n  MSPMAP rrset   does not verify ')).toBe(
      'bad-signature: rrsig over MSPMAP rrset does not verify',
    );
  });

  it.each([
    [null, null],
    ['timeout: no server answered', 'timeout'],
    ['weird', 'weird'],
  ])('reasonCode(%s) → %s', (reason, code) => {
    expect(reasonCode({ reason })).toBe(code);
  });
});

describe('statusOfMappings', () => {
  const mapping = (msps: number): ResultMapping => ({
    id: 'a',
    serial: 1,
    recipientKey: 'k',
    csip: 'c',
    epoch: 1,
    expires: 'x',
    policy: {},
    msps: Array.from({ length: msps }, (_, i) => ({ msp: `m${i}.example`, pri: i, tags: [] })),
  });
  it('found when any mapping has an MSP, opted-out when all are empty', () => {
    expect(statusOfMappings([mapping(0), mapping(1)])).toBe('found');
    expect(statusOfMappings([mapping(0), mapping(0)])).toBe('opted-out');
  });
});
