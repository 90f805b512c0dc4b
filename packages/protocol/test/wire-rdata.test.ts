import { describe, expect, test } from 'vitest';
import {
  decodeRdata,
  encodeRdata,
  rdataCodec,
  rdataFromText,
  rdataToText,
  txtFromStrings,
} from '../src/wire/rdata/index.js';
import { RRType } from '../src/wire/types.js';
import { tokenize } from '../src/zonefile/tokenizer.js';
import { bytes, hex, wireError } from './wire-fixtures.js';

const fields = (text: string) =>
  tokenize(`x ${text}`, 't')[0]!
    .tokens.slice(1)
    .map((t) => t.text);

interface Case {
  readonly type: number;
  readonly value: unknown;
  readonly wire: string;
  readonly text: string;
}

const EXAMPLE = '076578616d706c6500'; // example.
const cases: Case[] = [
  { type: RRType.A, value: '192.0.2.1', wire: 'c0000201', text: '192.0.2.1' },
  { type: RRType.A, value: '0.0.0.0', wire: '00000000', text: '0.0.0.0' },
  { type: RRType.AAAA, value: '2001:db8::1', wire: '20010db8000000000000000000000001', text: '2001:db8::1' },
  { type: RRType.AAAA, value: '::', wire: '0'.repeat(32), text: '::' },
  // RFC 5952 §4.2.2: a single zero group is not shortened; §4.2.3: the first of equal runs.
  {
    type: RRType.AAAA,
    value: '2001:db8:0:1:1:1:1:1',
    wire: '20010db8000000010001000100010001',
    text: '2001:db8:0:1:1:1:1:1',
  },
  {
    type: RRType.AAAA,
    value: '2001:0:0:1::1',
    wire: '20010000000000010000000000000001',
    text: '2001:0:0:1::1',
  },
  { type: RRType.NS, value: 'ns1.example.', wire: `036e7331${EXAMPLE}`, text: 'ns1.example.' },
  { type: RRType.CNAME, value: 'Target.example.', wire: `06546172676574${EXAMPLE}`, text: 'Target.example.' },
  { type: RRType.PTR, value: '.', wire: '00', text: '.' },
  {
    type: RRType.SOA,
    value: {
      mname: 'ns.example.',
      rname: 'h\\.m.example.',
      serial: 4294967295,
      refresh: 7200,
      retry: 3600,
      expire: 1209600,
      minimum: 300,
    },
    wire: `026e73${EXAMPLE} 03682e6d${EXAMPLE} ffffffff 00001c20 00000e10 00127500 0000012c`,
    text: 'ns.example. h\\.m.example. 4294967295 7200 3600 1209600 300',
  },
  {
    type: RRType.TXT,
    value: txtFromStrings(['hello world']),
    wire: '0b68656c6c6f20776f726c64',
    text: '"hello world"',
  },
  {
    type: RRType.TXT,
    value: txtFromStrings(['', 'a"b\\c']),
    wire: '00 05612262 5c63',
    text: '"" "a\\"b\\\\c"',
  },
  {
    type: RRType.TXT,
    value: [Uint8Array.from([0, 0xff, 0x0a])],
    wire: '0300ff0a',
    text: '"\\000\\255\\010"',
  },
  { type: RRType.TXT, value: txtFromStrings(['é']), wire: '02c3a9', text: '"\\195\\169"' },
  {
    type: RRType.NAPTR,
    value: {
      order: 10,
      preference: 0,
      flags: 'U',
      services: 'E2U+mimi:Business',
      regexp: '!^.*$!mimi:wire.example!',
      replacement: '.',
    },
    wire: `000a 0000 0155 114532552b6d696d693a427573696e657373 18215e2e2a24216d696d693a776972652e6578616d706c6521 00`,
    text: '10 0 "U" "E2U+mimi:Business" "!^.*$!mimi:wire.example!" .',
  },
  {
    type: RRType.NAPTR,
    value: {
      order: 65535,
      preference: 1,
      flags: '',
      services: 'E2U+sip',
      regexp: '',
      replacement: 'sip.example.',
    },
    wire: `ffff 0001 00 074532552b736970 00 03736970${EXAMPLE}`,
    text: '65535 1 "" "E2U+sip" "" sip.example.',
  },
  {
    type: RRType.MSPMAP,
    value: Uint8Array.from([0xa1, 0x61, 0x76, 0x01]),
    wire: 'a1617601',
    text: '\\# 4 a1617601',
  },
  { type: RRType.CSIPKEY, value: new Uint8Array(0), wire: '', text: '\\# 0' },
  { type: RRType.ODOHCFG, value: Uint8Array.from([1, 2]), wire: '0102', text: '\\# 2 0102' },
];

describe('rdata value ↔ bytes ↔ text', () => {
  test.each(cases.map((c) => [`${c.type} ${c.text}`, c] as const))('%s', (_, c) => {
    const wire = bytes(c.wire);
    expect(hex(encodeRdata(c.type, c.value))).toBe(hex(wire));
    expect(decodeRdata(c.type, wire)).toEqual(c.value);
    expect(rdataToText(c.type, wire)).toBe(c.text);
    expect(hex(rdataFromText(c.type, fields(c.text), 'origin.'))).toBe(hex(wire));
    // RFC 3597 §5: the generic form is accepted for every type, and means the same bytes.
    expect(hex(rdataFromText(c.type, fields(`\\# ${wire.length} ${hex(wire)}`)))).toBe(hex(wire));
  });
});

describe('presentation input forms', () => {
  test.each([
    [RRType.NS, 'ns1', 'ns1.example.'],
    [RRType.NS, '@', 'example.'],
    [RRType.AAAA, '::FFFF:192.0.2.1', '::ffff:c000:201'],
    [RRType.AAAA, '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    [RRType.AAAA, '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    [RRType.TXT, 'unquoted "two words" \\065\\"', '"unquoted" "two words" "A\\""'],
    [RRType.SOA, 'ns hostmaster 1 2 3 4 5', 'ns.example. hostmaster.example. 1 2 3 4 5'],
  ])('type %i %j → %j', (type, text, canonical) => {
    expect(rdataToText(type, rdataFromText(type, fields(text), 'example.'))).toBe(canonical);
  });

  test('generic rdata split over several hex words; unknown types only in generic form', () => {
    expect(hex(rdataFromText(999, ['\\#', '3', 'ab', 'cd01']))).toBe('abcd01');
    expect(rdataToText(999, bytes('abcd01'))).toBe('\\# 3 abcd01');
    expect(wireError(() => rdataFromText(999, ['abc'])).code).toBe('unknown-type-rdata');
    expect(wireError(() => decodeRdata(999, bytes('00'))).code).toBe('unknown-type');
    expect(rdataCodec(999)).toBeUndefined();
  });
});

describe('bad rdata is refused with a precise code', () => {
  test.each([
    ['a wrong length', () => decodeRdata(RRType.A, bytes('c00002')), 'rdata-length'],
    ['a leading zero', () => rdataFromText(RRType.A, ['192.0.2.01']), 'bad-ipv4'],
    ['a octet > 255', () => rdataFromText(RRType.A, ['192.0.2.256']), 'bad-ipv4'],
    ['a three parts', () => rdataFromText(RRType.A, ['192.0.2']), 'bad-ipv4'],
    ['a two fields', () => rdataFromText(RRType.A, ['192.0.2.1', '1']), 'field-count'],
    ['aaaa wrong length', () => decodeRdata(RRType.AAAA, bytes('00')), 'rdata-length'],
    ['aaaa two ::', () => rdataFromText(RRType.AAAA, ['1::2::3']), 'bad-ipv6'],
    ['aaaa nine groups', () => rdataFromText(RRType.AAAA, ['1:2:3:4:5:6:7:8:9']), 'bad-ipv6'],
    ['aaaa seven groups', () => rdataFromText(RRType.AAAA, ['1:2:3:4:5:6:7']), 'bad-ipv6'],
    ['aaaa 5-digit group', () => rdataFromText(RRType.AAAA, ['12345::']), 'bad-ipv6'],
    ['aaaa zone index', () => rdataFromText(RRType.AAAA, ['fe80::1%eth0']), 'bad-ipv6'],
    ['ns trailing bytes', () => decodeRdata(RRType.NS, bytes('0000')), 'trailing-bytes'],
    ['ns compressed', () => decodeRdata(RRType.NS, bytes('c00c')), 'name-compressed'],
    ['ns truncated', () => decodeRdata(RRType.NS, bytes('0361')), 'name-truncated'],
    ['soa short', () => decodeRdata(RRType.SOA, bytes('0000 00000001')), 'truncated'],
    ['soa long', () => decodeRdata(RRType.SOA, bytes(`0000${'00'.repeat(20)}ff`)), 'trailing-bytes'],
    [
      'soa serial range',
      () => rdataFromText(RRType.SOA, fields('a. b. 4294967296 1 1 1 1')),
      'value-out-of-range',
    ],
    ['soa negative', () => rdataFromText(RRType.SOA, fields('a. b. -1 1 1 1 1')), 'bad-number'],
    ['soa six fields', () => rdataFromText(RRType.SOA, fields('a. b. 1 1 1 1')), 'field-count'],
    [
      'soa encode range',
      () =>
        encodeRdata(RRType.SOA, {
          mname: '.',
          rname: '.',
          serial: 2 ** 32,
          refresh: 0,
          retry: 0,
          expire: 0,
          minimum: 0,
        }),
      'value-out-of-range',
    ],
    ['txt empty rdata', () => decodeRdata(RRType.TXT, new Uint8Array(0)), 'txt-empty'],
    ['txt string past end', () => decodeRdata(RRType.TXT, bytes('0561')), 'truncated'],
    ['txt 256 octets', () => rdataFromText(RRType.TXT, ['x'.repeat(256)]), 'string-too-long'],
    ['txt encode 256', () => encodeRdata(RRType.TXT, [new Uint8Array(256)]), 'string-too-long'],
    ['txt bad escape', () => rdataFromText(RRType.TXT, ['a\\25']), 'bad-escape'],
    ['txt escape 256', () => rdataFromText(RRType.TXT, ['\\256']), 'bad-escape'],
    ['naptr flags', () => rdataFromText(RRType.NAPTR, fields('1 1 "U!" "" "" .')), 'naptr-bad-flags'],
    [
      'naptr both',
      () => rdataFromText(RRType.NAPTR, fields('1 1 "U" "E2U" "!a!b!" x.')),
      'naptr-regexp-and-replacement',
    ],
    ['naptr utf8', () => decodeRdata(RRType.NAPTR, bytes('0001000101ff000000')), 'naptr-bad-utf8'],
    ['naptr fields', () => rdataFromText(RRType.NAPTR, fields('1 1 "U" "" .')), 'field-count'],
    ['naptr order', () => rdataFromText(RRType.NAPTR, fields('65536 1 "U" "" "" .')), 'value-out-of-range'],
    ['naptr trailing', () => decodeRdata(RRType.NAPTR, bytes('00010001000000 00 00')), 'trailing-bytes'],
    ['private type not generic', () => rdataFromText(RRType.MSPMAP, ['a1']), 'generic-rdata'],
    [
      'generic length mismatch',
      () => rdataFromText(RRType.A, fields('\\# 3 c0000201')),
      'generic-rdata-length',
    ],
    ['generic odd hex', () => rdataFromText(RRType.MSPMAP, fields('\\# 1 a')), 'bad-hex'],
    ['generic bad hex', () => rdataFromText(RRType.MSPMAP, fields('\\# 1 zz')), 'bad-hex'],
    ['generic missing length', () => rdataFromText(RRType.MSPMAP, ['\\#']), 'missing-field'],
    ['generic validated by codec', () => rdataFromText(RRType.A, fields('\\# 3 c00002')), 'rdata-length'],
  ])('%s', (_, fn, code) => {
    const err = wireError(fn);
    expect(err.code).toBe(code);
    expect(err.message).not.toMatch(/^[A-Z]/);
  });
});
