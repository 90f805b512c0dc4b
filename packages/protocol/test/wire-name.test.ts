import { describe, expect, test } from 'vitest';
import {
  canonicalName,
  compareNames,
  formatName,
  isAbsoluteText,
  isSubdomain,
  joinNames,
  labelCount,
  nameToWire,
  parentName,
  parseName,
  readUncompressedName,
  resolveName,
} from '../src/wire/name.js';
import { hex, wireError } from './wire-fixtures.js';

function expectWireError(fn: () => unknown, code: string, message?: RegExp): void {
  const err = wireError(fn);
  expect(err.code).toBe(code);
  if (message) expect(err.message).toMatch(message);
}

describe('names: text ↔ wire (RFC 1035 §3.1, §5.1)', () => {
  // [input text, canonical output text, wire hex]
  test.each([
    ['.', '.', '00'],
    ['example.com.', 'example.com.', '076578616d706c6503636f6d00'],
    ['example.com', 'example.com.', '076578616d706c6503636f6d00'],
    ['Ex.COM.', 'Ex.COM.', '02457803434f4d00'],
    ['a\\.b.c.', 'a\\.b.c.', '03612e62016300'],
    ['\\000.x.', '\\000.x.', '0100017800'],
    ['a\\032b.', 'a\\ b.', '0361206200'],
    ['\\@\\$\\;\\(\\)\\"\\\\.', '\\@\\$\\;\\(\\)\\"\\\\.', '0740243b2829225c00'],
    ['\\255.', '\\255.', '01ff00'],
    ['*.example.', '*.example.', '012a076578616d706c6500'],
  ])('%s', (text, formatted, wire) => {
    const labels = parseName(text);
    expect(formatName(labels)).toBe(formatted);
    expect(hex(nameToWire(text))).toBe(wire);
    const back = readUncompressedName(Buffer.from(wire, 'hex'), 0);
    expect(formatName(back.labels)).toBe(formatted);
    expect(back.end).toBe(wire.length / 2);
    expect(formatName(parseName(formatted))).toBe(formatted);
  });

  test('canonical wire form lowercases ASCII only (RFC 4034 §6.2)', () => {
    expect(hex(nameToWire('A\\200Z.', { lowercase: true }))).toBe('0361c87a00');
    expect(canonicalName('WWW.Example.COM')).toBe('www.example.com.');
  });

  test('limits: 63-octet labels and 255-octet names are the maximum', () => {
    const label63 = 'a'.repeat(63);
    expect(parseName(`${label63}.`)).toHaveLength(1);
    expectWireError(() => parseName(`${'a'.repeat(64)}.`), 'name-label-too-long', /64 octets/);
    // 4 labels of 63 = 4*64 + 1 = 257 > 255; 3*64 + 61+1 + 1 = 255 fits.
    const fits = `${label63}.${label63}.${label63}.${'b'.repeat(61)}.`;
    expect(nameToWire(fits)).toHaveLength(255);
    expectWireError(() => parseName(`${fits.slice(0, -1)}b.`), 'name-too-long', /longer than 255/);
  });

  test.each([
    ['', 'name-empty'],
    ['a..b.', 'name-empty-label'],
    ['.a.', 'name-empty-label'],
    ['..', 'name-empty-label'],
    ['a\\256.', 'name-bad-escape'],
    ['a\\12.', 'name-bad-escape'],
    ['a\\', 'name-bad-escape'],
    ['exämple.', 'name-non-ascii'],
    ['a b.', 'name-non-ascii'],
  ])('bad name %j → %s', (text, code) => {
    expectWireError(() => parseName(text), code);
  });

  test.each([
    ['03616263', 'name-truncated'],
    ['c00c', 'name-compressed'],
    ['0561626300', 'name-truncated'],
    ['', 'name-truncated'],
  ])('bad uncompressed wire %s → %s', (wire, code) => {
    expectWireError(() => readUncompressedName(Buffer.from(wire, 'hex'), 0), code);
  });

  test('uncompressed wire name over 255 octets is refused', () => {
    const label = `3f${'61'.repeat(63)}`;
    expectWireError(
      () => readUncompressedName(Buffer.from(`${label.repeat(4)}00`, 'hex'), 0),
      'name-too-long',
    );
  });
});

describe('canonical order and relations (RFC 4034 §6.1)', () => {
  test('the RFC 4034 §6.1 example sorts as given', () => {
    const ordered = [
      'example.',
      'a.example.',
      'yljkjljk.a.example.',
      'Z.a.example.',
      'zABC.a.EXAMPLE.',
      'z.example.',
      '\\001.z.example.',
      '*.z.example.',
      '\\200.z.example.',
    ];
    const shuffled = [...ordered].reverse();
    shuffled.sort(compareNames);
    expect(shuffled).toEqual(ordered);
  });

  test('comparison ignores ASCII case only', () => {
    expect(compareNames('EXAMPLE.com.', 'example.COM')).toBe(0);
    expect(compareNames('a.', 'b.')).toBeLessThan(0);
    expect(compareNames('b.a.', 'a.')).toBeGreaterThan(0);
  });

  test('isSubdomain, labelCount, parentName, joinNames', () => {
    expect(isSubdomain('a.B.example.', 'b.EXAMPLE.')).toBe(true);
    expect(isSubdomain('example.', 'example.')).toBe(true);
    expect(isSubdomain('xexample.', 'example.')).toBe(false);
    expect(isSubdomain('example.', 'a.example.')).toBe(false);
    expect(isSubdomain('anything.', '.')).toBe(true);
    expect(labelCount('a.b.c.')).toBe(3);
    expect(labelCount('.')).toBe(0);
    expect(parentName('a.b.')).toBe('b.');
    expect(parentName('b.')).toBe('.');
    expectWireError(() => parentName('.'), 'name-root-parent');
    expect(joinNames('a.b', 'c.')).toBe('a.b.c.');
    expect(joinNames('', 'c.')).toBe('c.');
    expectWireError(
      () => joinNames('a'.repeat(63), `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.`),
      'name-too-long',
    );
  });
});

describe('master-file names (RFC 1035 §5.1)', () => {
  test.each([
    ['www', 'example.com.', 'www.example.com.'],
    ['@', 'example.com.', 'example.com.'],
    ['www.other.', 'example.com.', 'www.other.'],
    ['a\\.', 'example.', 'a\\..example.'],
    ['a\\\\.', 'example.', 'a\\\\.'],
    ['.', 'example.', '.'],
  ])('%s relative to %s → %s', (text, origin, absolute) => {
    expect(resolveName(text, origin)).toBe(absolute);
  });

  test('escaped trailing dots are not absolute', () => {
    expect(isAbsoluteText('a.')).toBe(true);
    expect(isAbsoluteText('a\\.')).toBe(false);
    expect(isAbsoluteText('a\\\\.')).toBe(true);
    expect(isAbsoluteText('a')).toBe(false);
  });

  test('relative names and @ need an origin', () => {
    expectWireError(() => resolveName('www', undefined), 'name-no-origin', /relative name 'www'/);
    expectWireError(() => resolveName('@', undefined), 'name-no-origin', /'@'/);
    expect(resolveName('www.example.', undefined)).toBe('www.example.');
  });
});
