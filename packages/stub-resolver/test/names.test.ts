/**
 * The name fast paths (src/names.ts) and the zone-suffix walk (ZoneTrust.startZone's
 * suffixesDownTo) agree with @mimi/protocol's general functions on every kind of name:
 * plain canonical, upper case, escaped dots and octets, the root.
 */
import { canonicalName, compareNames, isInCsiSubtree, isSubdomain } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { canonical, inCsiSubtree, isAtOrBelow, isPlainCanonical, sameName } from '../src/names.js';
import { suffixesDownTo } from '../src/zone-trust.js';

const NAMES = [
  'mimi.arpa.',
  'e164.mimi.arpa.',
  '4.4.e164.mimi.arpa.',
  '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
  '_dns.tel.nic.mimi.arpa.',
  '*.mimi.arpa.',
  'MIMI.Arpa.',
  'a\\.mimi.arpa.',
  'x\\046mimi.arpa.',
  'sp\\032ace.mimi.arpa.',
  'amimi.arpa.',
  'other.arpa.',
  'email.mimi.arpa.',
  'example.com.email.mimi.arpa.',
  'E164.mimi.arpa.',
  'xe164.mimi.arpa.',
  'e164.other.arpa.',
  'e164.',
  '4.e164.',
  '.',
  `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.`,
];

describe('isPlainCanonical', () => {
  it.each([
    ['mimi.arpa.', true],
    ['_dns.tel.nic.mimi.arpa.', true],
    ['*.mimi.arpa.', true],
    ['MIMI.arpa.', false],
    ['a\\.mimi.arpa.', false],
    ['mimi.arpa', false],
    ['.', false],
    ['a..b.', false],
    [`${'a'.repeat(64)}.`, false],
    [`${'a.'.repeat(127)}`, true],
    [`${'a.'.repeat(127)}a.`, false],
  ])('%s: %s', (name, plain) => {
    expect(isPlainCanonical(name)).toBe(plain);
  });
});

describe('fast paths agree with the general functions', () => {
  it.each(NAMES)('canonical(%s)', (name) => {
    expect(canonical(name)).toBe(canonicalName(name));
  });

  it('sameName and isAtOrBelow over every pair', () => {
    for (const a of NAMES) {
      for (const b of NAMES) {
        expect(sameName(a, b), `${a} ${b}`).toBe(compareNames(a, b) === 0);
        expect(isAtOrBelow(a, b), `${a} under ${b}`).toBe(isSubdomain(a, b));
      }
    }
  });

  it('inCsiSubtree over every pair, each apex in turn', () => {
    const csiNames = NAMES.filter((name) => name.includes('e164') || name.includes('email'));
    expect(csiNames.filter((name) => isInCsiSubtree(name, 'mimi.arpa.')).length).toBeGreaterThan(3);
    for (const name of NAMES) {
      for (const apex of NAMES) {
        expect(inCsiSubtree(name, apex), `${name} under ${apex}`).toBe(isInCsiSubtree(name, apex));
      }
    }
  });

  it('the general parser still refuses what it refuses', () => {
    expect(() => canonical('a..b.')).toThrow(expect.objectContaining({ code: 'name-empty-label' }));
  });
});

describe('suffixesDownTo', () => {
  it.each([
    [
      '3.2.4.4.e164.mimi.arpa.',
      'mimi.arpa.',
      [
        '3.2.4.4.e164.mimi.arpa.',
        '2.4.4.e164.mimi.arpa.',
        '4.4.e164.mimi.arpa.',
        '4.e164.mimi.arpa.',
        'e164.mimi.arpa.',
        'mimi.arpa.',
      ],
    ],
    ['mimi.arpa.', 'mimi.arpa.', ['mimi.arpa.']],
    ['a\\.b.mimi.arpa.', 'mimi.arpa.', ['a\\.b.mimi.arpa.', 'mimi.arpa.']],
    ['a\\\\.b.mimi.arpa.', 'mimi.arpa.', ['a\\\\.b.mimi.arpa.', 'b.mimi.arpa.', 'mimi.arpa.']],
    ['x.other.arpa.', 'mimi.arpa.', ['x.other.arpa.', 'other.arpa.']],
    ['.', 'mimi.arpa.', []],
  ])('%s down to %s', (name, apex, expected) => {
    expect([...suffixesDownTo(name, apex)]).toEqual(expected);
  });
});
