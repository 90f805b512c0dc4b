// NameCompressor: the plain-name path (text slices as suffix keys, no parsing) must
// write exactly the octets of the general path (parsed labels), pointers included, for
// every mix of plain, escaped, mixed-case and boundary-length names.
import { describe, expect, test } from 'vitest';
import { NameCompressor } from '../src/wire/message/names.js';
import { formatName, parseName } from '../src/wire/name.js';
import { WireWriter } from '../src/wire/writer.js';

/** The general path alone: every name parsed, suffixes keyed by their label octets. */
function referenceWrite(offsets: Map<string, number>, writer: WireWriter, name: string): void {
  const labels = parseName(name);
  for (let i = 0; i < labels.length; i++) {
    const key = labels
      .slice(i)
      .map((label) => `${label.length}:${Buffer.from(label).toString('latin1')}`)
      .join('');
    const known = offsets.get(key);
    if (known !== undefined) {
      writer.u16(0xc000 | known, 'pointer');
      return;
    }
    if (writer.length <= 0x3fff) offsets.set(key, writer.length);
    writer.u8(labels[i]!.length, 'length');
    writer.bytes(labels[i]!);
  }
  writer.u8(0, 'root');
}

function both(names: readonly string[], prefix = 12): [Uint8Array, Uint8Array] {
  const fast = new WireWriter();
  const slow = new WireWriter();
  for (let i = 0; i < prefix; i++) {
    fast.u8(0, 'pad');
    slow.u8(0, 'pad');
  }
  const compressor = new NameCompressor();
  const offsets = new Map<string, number>();
  for (const name of names) {
    compressor.write(fast, name);
    referenceWrite(offsets, slow, name);
  }
  return [fast.finish(), slow.finish()];
}

const label63 = 'a'.repeat(63);
/** 254 characters of absolute text: a 255-octet name, the longest there is. */
const longest = `${label63}.${label63}.${label63}.${'b'.repeat(61)}.`;

describe('NameCompressor', () => {
  test.each([
    [['4.4.e164.mimi.arpa.', '0.1.2.4.4.e164.mimi.arpa.', '4.4.e164.mimi.arpa.']],
    [['Example.COM', 'www.example.com.', 'mail.Example.COM.', 'example.com']],
    [['a\\.b.example.', 'c.a\\.b.example.', 'x.example.', 'a\\.b.example.']],
    [['\\065bc.example.', 'Abc.example.', 'q.Abc.example.']],
    [['_dns.ns1.example.', '*.example.', 'a-b_c.example.', 'a b.example.'.replace(' ', '\\032')]],
    [['.', 'example.', '.']],
    [[longest, `x.${longest.slice(2)}`, longest]],
    [[longest.slice(0, -1), 'q.example.', longest]],
    [['caf\\233.example.', 'www.caf\\233.example.', 'caf.example.']],
  ])('writes %j as the general path does', (names) => {
    const [fast, slow] = both(names);
    expect(Buffer.from(fast).toString('hex')).toBe(Buffer.from(slow).toString('hex'));
  });

  test('the same octets whether a name is written escaped or plain', () => {
    const [fast, slow] = both(['\\097b.example.', 'ab.example.', 'x.ab.example.']);
    expect(fast).toEqual(slow);
    // The second name is one pointer to the first.
    const first = 12 + 1 + 2 + 1 + 7 + 1;
    expect([...fast.slice(first, first + 2)]).toEqual([0xc0, 12]);
  });

  test('no pointer to an offset past 0x3fff, in both paths', () => {
    const names = Array.from({ length: 900 }, (_, i) => `n${i}.zone${i % 7}.example.`);
    const [fast, slow] = both(names, 0x3f00);
    expect(Buffer.from(fast).equals(Buffer.from(slow))).toBe(true);
  });

  test('random plain names of mixed case and length match the general path', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = 'aAbB09-_*z';
    const names = Array.from({ length: 400 }, () => {
      const labels = Array.from({ length: 1 + next(5) }, () =>
        Array.from({ length: 1 + next(4) }, () => alphabet[next(alphabet.length)]).join(''),
      );
      return `${labels.join('.')}.${['e164.mimi.arpa.', 'example.', 'Example.'][next(3)]}`;
    });
    const [fast, slow] = both(names);
    expect(Buffer.from(fast).equals(Buffer.from(slow))).toBe(true);
  });

  test.each([
    [`${label63}a.example.`, 'name-label-too-long'],
    [`${longest}`.replace(/\.$/, 'x.'), 'name-too-long'],
    // Relative: one more octet for the root label than its text shows.
    [`x.${longest.slice(0, -1)}`, 'name-too-long'],
    ['a..b.', 'name-empty-label'],
    ['', 'name-empty'],
  ])('refuses %s → %s', (name, code) => {
    expect(() => new NameCompressor().write(new WireWriter(), name)).toThrow(
      expect.objectContaining({ code }),
    );
  });

  test('formatName names one octet string per text (the key of a suffix)', () => {
    for (const name of ['a\\.b.', '\\065.', 'A.', 'a\\032b.', '\\092.']) {
      expect(formatName(parseName(formatName(parseName(name))))).toBe(formatName(parseName(name)));
    }
  });
});
