/** Name classification relative to the apex (DESIGN §3 "Names", §5 CSI subtrees). */
import { describe, expect, it } from 'vitest';
import { classifyName, isInCsiSubtree } from '../src/csi/index.js';
import { WireFormatError } from '../src/errors.js';

const hash = '2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db';

describe('classifyName', () => {
  it.each([
    ['mimi.arpa.', { kind: 'apex', name: 'mimi.arpa.' }],
    ['MIMI.ARPA', { kind: 'apex', name: 'mimi.arpa.' }],
    ['e164.mimi.arpa.', { kind: 'phone-tree', name: 'e164.mimi.arpa.', prefix: '' }],
    ['4.4.e164.mimi.arpa.', { kind: 'phone-tree', name: '4.4.e164.mimi.arpa.', prefix: '44' }],
    [
      '3.2.1.0.0.9.0.0.7.7.4.4.E164.mimi.arpa.',
      { kind: 'phone-tree', name: '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.', prefix: '447700900123' },
    ],
    ['_dns.4.4.e164.mimi.arpa.', { kind: 'phone-tree', name: '_dns.4.4.e164.mimi.arpa.', prefix: null }],
    ['44.e164.mimi.arpa.', { kind: 'phone-tree', name: '44.e164.mimi.arpa.', prefix: null }],
    ['email.mimi.arpa.', { kind: 'email-tree', name: 'email.mimi.arpa.', domain: null, hashedLocal: null }],
    [
      'example.com.email.mimi.arpa.',
      { kind: 'email-tree', name: 'example.com.email.mimi.arpa.', domain: 'example.com', hashedLocal: null },
    ],
    [
      `${hash}.example.com.email.mimi.arpa.`,
      {
        kind: 'email-tree',
        name: `${hash}.example.com.email.mimi.arpa.`,
        domain: 'example.com',
        hashedLocal: hash,
      },
    ],
    [
      `${hash}.email.mimi.arpa.`,
      { kind: 'email-tree', name: `${hash}.email.mimi.arpa.`, domain: hash, hashedLocal: null },
    ],
    ['csip.mimi.arpa.', { kind: 'csip', name: 'csip.mimi.arpa.', csipId: null }],
    [
      'uk-carrier.csip.mimi.arpa.',
      { kind: 'csip', name: 'uk-carrier.csip.mimi.arpa.', csipId: 'uk-carrier' },
    ],
    ['x.uk-carrier.csip.mimi.arpa.', { kind: 'csip', name: 'x.uk-carrier.csip.mimi.arpa.', csipId: null }],
    ['ns1.nic.mimi.arpa.', { kind: 'nic', name: 'ns1.nic.mimi.arpa.' }],
    ['_dns.ns1.nic.mimi.arpa.', { kind: 'nic', name: '_dns.ns1.nic.mimi.arpa.' }],
    ['www.mimi.arpa.', { kind: 'other', name: 'www.mimi.arpa.', underApex: true }],
    ['e164.arpa.', { kind: 'other', name: 'e164.arpa.', underApex: false }],
    ['.', { kind: 'other', name: '.', underApex: false }],
  ])('%s', (name, expected) => {
    expect(classifyName(name, 'mimi.arpa.')).toEqual(expected);
  });

  it('works under another apex and the root', () => {
    expect(classifyName('1.e164.test.', 'test.')).toEqual({
      kind: 'phone-tree',
      name: '1.e164.test.',
      prefix: '1',
    });
    expect(classifyName('4.4.e164.mimi.arpa.', 'test.').kind).toBe('other');
    expect(classifyName('1.e164.', '.')).toEqual({ kind: 'phone-tree', name: '1.e164.', prefix: '1' });
  });

  it('refuses a malformed name with WireFormatError', () => {
    expect(() => classifyName('a..mimi.arpa.')).toThrow(WireFormatError);
  });
});

describe('isInCsiSubtree', () => {
  it.each([
    ['e164.mimi.arpa.', true],
    ['9.9.9.e164.mimi.arpa.', true],
    ['email.mimi.arpa.', true],
    ['nobody.example.email.mimi.arpa.', true],
    ['mimi.arpa.', false],
    ['ns1.nic.mimi.arpa.', false],
    ['uk-carrier.csip.mimi.arpa.', false],
    ['e164.arpa.', false],
  ])('%s → %s', (name, expected) => {
    expect(isInCsiSubtree(name, 'mimi.arpa.')).toBe(expected);
  });
});
