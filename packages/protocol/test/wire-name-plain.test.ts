/**
 * The plain-name fast paths of wire/name.ts and message/names.ts: text made of letters,
 * digits, `-`, `_` and `*` is handled without the parser. Each must give exactly what
 * the general path gives. The general path is made to take the same name by writing its
 * first character as a `\DDD` escape (the same octet, so the same name), and
 * readMessageName is compared with formatName over readCompressedLabels.
 */
import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../src/errors.js';
import { readCompressedLabels, readMessageName } from '../src/wire/message/names.js';
import {
  canonicalName,
  compareNames,
  formatName,
  isPlainName,
  isSubdomain,
  labelCount,
  nameToWire,
  parseName,
} from '../src/wire/name.js';
import { WireReader } from '../src/wire/reader.js';

/** The same name, spelled so that it is not plain: its first octet as `\DDD`. */
function escaped(text: string): string {
  return `\\${String(text.charCodeAt(0)).padStart(3, '0')}${text.slice(1)}`;
}

/** A seeded generator (xorshift32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const PLAIN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_*';

function randomPlainName(next: () => number): string {
  const labels: string[] = [];
  const count = 1 + Math.floor(next() * 6);
  for (let i = 0; i < count; i++) {
    // Mostly short labels from a small alphabet, so that names share labels and suffixes.
    const length = next() < 0.9 ? 1 + Math.floor(next() * 3) : 1 + Math.floor(next() * 63);
    let label = '';
    for (let j = 0; j < length; j++) {
      const pool = next() < 0.7 ? 'aAbB1-' : PLAIN_CHARS;
      label += pool[Math.floor(next() * pool.length)];
    }
    labels.push(label);
  }
  return labels.join('.') + (next() < 0.7 ? '.' : '');
}

const EDGE_NAMES = [
  'a.',
  'a',
  'A.',
  '*.example.',
  '_dns.Host-1.example',
  '4.4.e164.mimi.arpa.',
  'E164.MIMI.arpa',
  `${'a'.repeat(63)}.`,
  `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(61)}.`, // 254 characters: 255 octets
  `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(61)}`, // 253, relative: 255 octets
];

/** The value of `run`, or its WireFormatError's code and message. */
function outcome<T>(run: () => T): T | { code: string; message: string } {
  try {
    return run();
  } catch (err) {
    if (!(err instanceof WireFormatError)) throw err;
    return { code: err.code, message: err.message };
  }
}

describe('plain names: which text takes the fast path', () => {
  it.each(EDGE_NAMES)('%s is plain', (name) => {
    expect(isPlainName(name)).toBe(true);
  });

  it.each([
    ['the root', '.'],
    ['an empty string', ''],
    ['an escape', 'a\\.b.'],
    ['an empty label', 'a..b.'],
    ['a leading dot', '.a.'],
    ['a label of 64', `${'a'.repeat(64)}.`],
    [
      '255 characters, absolute (256 octets)',
      `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(62)}.`,
    ],
    [
      '254 characters, relative (256 octets)',
      `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(62)}`,
    ],
    ['a space', 'a b.'],
    ['a non-ASCII letter', 'é.'],
    ['an @', 'a@b.'],
  ])('%s is not', (_what, name) => {
    expect(isPlainName(name)).toBe(false);
  });

  it('names that are not plain still fail as before', () => {
    expect(outcome(() => parseName('a..b.'))).toMatchObject({ code: 'name-empty-label' });
    expect(outcome(() => nameToWire(`${'a'.repeat(64)}.`))).toMatchObject({ code: 'name-label-too-long' });
    const tooLong = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(62)}.`;
    expect(outcome(() => labelCount(tooLong))).toMatchObject({ code: 'name-too-long' });
  });
});

describe('plain names: the same results as the general path', () => {
  const next = random(0x5eed);
  const names = [...EDGE_NAMES, ...Array.from({ length: 400 }, () => randomPlainName(next))];

  it('parseName, nameToWire (both cases), canonicalName, labelCount', () => {
    for (const name of names) {
      expect(isPlainName(name), name).toBe(true);
      const general = escaped(name);
      expect(isPlainName(general)).toBe(false);
      expect(parseName(name), name).toEqual(parseName(general));
      expect(nameToWire(name), name).toEqual(nameToWire(general));
      expect(nameToWire(name, { lowercase: true }), name).toEqual(nameToWire(general, { lowercase: true }));
      expect(canonicalName(name), name).toBe(canonicalName(general));
      expect(labelCount(name), name).toBe(labelCount(general));
    }
  });

  it('compareNames and isSubdomain over pairs, including names that share suffixes', () => {
    let pairs = 0;
    for (let i = 0; i < names.length; i++) {
      const a = names[i]!;
      // Each name against a few others, a case variant and its own parent and child.
      const others = [names[(i * 7 + 3) % names.length]!, names[(i * 13 + 1) % names.length]!];
      others.push(a.toUpperCase(), `x.${a}`, a.slice(a.indexOf('.') + 1) || a);
      for (const b of others) {
        if (!isPlainName(b)) continue;
        pairs++;
        expect(compareNames(a, b), `${a} vs ${b}`).toBe(compareNames(escaped(a), escaped(b)));
        expect(compareNames(b, a), `${b} vs ${a}`).toBe(compareNames(escaped(b), escaped(a)));
        expect(isSubdomain(a, b), `${a} under ${b}`).toBe(isSubdomain(escaped(a), escaped(b)));
        expect(isSubdomain(b, a), `${b} under ${a}`).toBe(isSubdomain(escaped(b), escaped(a)));
      }
    }
    expect(pairs).toBeGreaterThan(1500);
  });

  it('case and label boundaries on known cases (the RFC 4034 §6.1 order is in wire-name.test.ts)', () => {
    expect(compareNames('Example.COM', 'example.com.')).toBe(0);
    expect(isSubdomain('A.B.example.', 'b.EXAMPLE')).toBe(true);
    expect(isSubdomain('ab.example.', 'b.example.')).toBe(false);
    expect(isSubdomain('example.', 'a.example.')).toBe(false);
  });
});

describe('readMessageName: presentation text straight from the octets', () => {
  /** A message of a 12-octet header then `body`. */
  const message = (...body: number[]): Uint8Array => Uint8Array.from([...new Array(12).fill(0), ...body]);
  const read = (bytes: Uint8Array, offset: number) => {
    const reader = new WireReader(bytes, offset);
    return { text: readMessageName(reader), end: reader.offset };
  };
  const expected = (bytes: Uint8Array, offset: number) => {
    const { labels, end } = readCompressedLabels(bytes, offset);
    return { text: formatName(labels), end };
  };

  it('plain labels, escaped octets, the root and compression pointers', () => {
    // 12: "a-B_*.9."  20: "\x00.\\.(.@.a b" + pointer to 12  (labels of octets that need escapes)
    const bytes = message(
      ...[5, 0x61, 0x2d, 0x42, 0x5f, 0x2a, 1, 0x39, 0], // 12..20: a-B_*.9.
      ...[1, 0x00, 2, 0x5c, 0x2e, 1, 0x28, 3, 0x40, 0x20, 0xff, 0xc0, 12], // 21..33
      0, // 34: the root
      ...[2, 0x7a, 0x7a, 0xc0, 21], // 35: zz + pointer to the escaped labels
    );
    for (const offset of [12, 18, 21, 34, 35]) {
      expect(read(bytes, offset), `offset ${offset}`).toEqual(expected(bytes, offset));
    }
    expect(read(bytes, 12).text).toBe('a-B_*.9.');
    expect(read(bytes, 34).text).toBe('.');
    expect(read(bytes, 21).text).toBe('\\000.\\\\\\..\\(.\\@\\ \\255.a-B_*.9.');
  });

  it('random labels of every octet value read as formatName reads them', () => {
    const next = random(0xd1ce);
    for (let round = 0; round < 300; round++) {
      const body: number[] = [];
      const count = 1 + Math.floor(next() * 5);
      for (let i = 0; i < count; i++) {
        const length = 1 + Math.floor(next() * 10);
        body.push(length);
        for (let j = 0; j < length; j++) {
          body.push(
            next() < 0.6
              ? PLAIN_CHARS.charCodeAt(Math.floor(next() * PLAIN_CHARS.length))
              : Math.floor(next() * 256),
          );
        }
      }
      body.push(0);
      const bytes = message(...body);
      expect(read(bytes, 12)).toEqual(expected(bytes, 12));
    }
  });

  it('malformed names fail with the same codes as before', () => {
    const cases: Array<[string, Uint8Array, number]> = [
      ['name-truncated', message(3, 0x61), 12],
      ['name-pointer-forward', message(0xc0, 12), 12],
      ['name-pointer-header', message(1, 0x61, 0xc0, 2), 14],
      ['name-bad-label-type', message(0x40), 12],
    ];
    for (const [code, bytes, offset] of cases) {
      expect(
        outcome(() => read(bytes, offset)),
        code,
      ).toMatchObject({ code });
      expect(
        outcome(() => expected(bytes, offset)),
        code,
      ).toMatchObject({ code });
    }
  });
});
