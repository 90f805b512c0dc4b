/**
 * Fuzz-style robustness: thousands of random and mutated messages, RDATA, zone texts and
 * names from a fixed-seed PRNG. Nothing may throw anything but our own error types, and
 * whatever decodes must survive a re-encode (messages) or a text round trip (RDATA).
 */
import { describe, expect, test } from 'vitest';
import { WireFormatError, ZoneParseError } from '../src/errors.js';
import {
  buildEdns,
  type DnsMessage,
  decodeMessage,
  encodeMessage,
  extendedErrorOption,
  NO_FLAGS,
} from '../src/wire/message/index.js';
import { formatName, nameToWire, parseName } from '../src/wire/name.js';
import { encodeRdata, rdataCodec, rdataFromText, rdataToText } from '../src/wire/rdata/index.js';
import type { ResourceRecord } from '../src/wire/rr.js';
import { RRType } from '../src/wire/types.js';
import { parseZoneFile } from '../src/zonefile/index.js';
import { tokenize } from '../src/zonefile/tokenizer.js';

/** mulberry32: tiny, fixed-seed, good enough to spread inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(0x5eed);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

function ours(err: unknown, ...types: (typeof WireFormatError | typeof ZoneParseError)[]): void {
  if (!types.some((type) => err instanceof type)) throw err;
}

const rr = (name: string, type: number, value: unknown): ResourceRecord => ({
  name,
  type,
  class: 1,
  ttl: 300,
  rdata: encodeRdata(type, value),
});

const seeds: DnsMessage[] = [
  {
    id: 1,
    flags: { ...NO_FLAGS, qr: true, aa: true },
    questions: [{ name: '3.2.1.e164.mimi.arpa.', type: RRType.MSPMAP, class: 1 }],
    answers: [
      rr('3.2.1.e164.mimi.arpa.', RRType.MSPMAP, Uint8Array.from([0xa1, 0x61, 0x76, 0x01])),
      rr('3.2.1.e164.mimi.arpa.', RRType.NAPTR, {
        order: 10,
        preference: 0,
        flags: 'U',
        services: 'E2U+mimi',
        regexp: '!^.*$!mimi:a.example!',
        replacement: '.',
      }),
    ],
    authorities: [
      rr('e164.mimi.arpa.', RRType.SOA, {
        mname: 'ns1.nic.mimi.arpa.',
        rname: 'h.mimi.arpa.',
        serial: 1,
        refresh: 2,
        retry: 3,
        expire: 4,
        minimum: 5,
      }),
    ],
    additionals: [rr('ns1.nic.mimi.arpa.', RRType.A, '127.0.0.1')],
    edns: buildEdns({ do: true, options: [extendedErrorOption(18, 'no token')] }),
  },
  {
    id: 2,
    flags: { ...NO_FLAGS, qr: true },
    questions: [{ name: '_dns.ns1.nic.mimi.arpa.', type: RRType.SVCB, class: 1 }],
    answers: [
      rr(
        '_dns.ns1.nic.mimi.arpa.',
        RRType.SVCB,
        rdataCodec(RRType.SVCB)!.fromText(['1', '.', 'alpn=h2', 'port=8443', 'dohpath=/q{?dns}'], '.'),
      ),
      rr('t.mimi.arpa.', RRType.TXT, [Uint8Array.from([1, 2, 3])]),
      rr('t.mimi.arpa.', RRType.AAAA, '2001:db8::1'),
    ],
    authorities: [
      rr('mimi.arpa.', RRType.NS, 'ns1.nic.mimi.arpa.'),
      rr('mimi.arpa.', RRType.CNAME, 'x.mimi.arpa.'),
    ],
    additionals: [],
  },
];
const seedBytes = seeds.map(encodeMessage);

function mutate(input: Uint8Array): Uint8Array {
  const bytes = [...input];
  const steps = 1 + int(4);
  for (let s = 0; s < steps; s++) {
    const at = int(Math.max(1, bytes.length));
    switch (int(6)) {
      case 0: // flip a byte
        bytes[at] = int(256);
        break;
      case 1: // truncate
        bytes.length = at;
        break;
      case 2: // insert junk
        bytes.splice(at, 0, ...Array.from({ length: 1 + int(8) }, () => int(256)));
        break;
      case 3: // plant a compression pointer
        bytes.splice(at, 2, 0xc0 | int(64), int(256));
        break;
      case 4: // duplicate a slice
        bytes.splice(at, 0, ...bytes.slice(int(bytes.length), int(bytes.length) + 1 + int(20)));
        break;
      default: // bump a count in the header
        bytes[4 + int(8)] = int(4);
    }
  }
  return Uint8Array.from(bytes.map((b) => (b ?? 0) & 0xff));
}

function checkMessage(bytes: Uint8Array): boolean {
  let message: DnsMessage;
  try {
    message = decodeMessage(bytes);
  } catch (err) {
    ours(err, WireFormatError);
    return false;
  }
  // What decodes re-encodes (or is refused by our own checks) and decodes to the same message.
  let again: Uint8Array;
  try {
    again = encodeMessage(message);
  } catch (err) {
    ours(err, WireFormatError);
    return true;
  }
  expect(decodeMessage(again)).toEqual(message);
  for (const record of [...message.answers, ...message.authorities, ...message.additionals])
    checkRdata(record);
  return true;
}

function checkRdata(record: ResourceRecord): void {
  let text: string;
  try {
    text = rdataToText(record.type, record.rdata);
  } catch (err) {
    ours(err, WireFormatError);
    return;
  }
  const fields = tokenize(`x ${text}`, 'fuzz')[0]!
    .tokens.slice(1)
    .map((t) => t.text);
  expect(Buffer.from(rdataFromText(record.type, fields, '.')).toString('hex')).toBe(
    Buffer.from(record.rdata).toString('hex'),
  );
}

describe('fuzz (fixed seed)', () => {
  test('random and mutated messages', () => {
    let decoded = 0;
    for (let i = 0; i < 6000; i++) {
      const input =
        i % 5 === 0 ? Uint8Array.from({ length: int(80) }, () => int(256)) : mutate(pick(seedBytes));
      if (checkMessage(input)) decoded++;
    }
    // Some mutations must still decode, or the round-trip checks above never ran.
    expect(decoded).toBeGreaterThan(100);
    for (const seed of seedBytes) expect(checkMessage(seed)).toBe(true);
  });

  test('random RDATA of every known type', () => {
    const types = [1, 2, 5, 6, 12, 16, 28, 35, 43, 46, 47, 48, 64, 65, 65280, 65281, 65282, 999];
    let valid = 0;
    for (let i = 0; i < 6000; i++) {
      const type = pick(types);
      const length = int(40);
      const rdata = Uint8Array.from({ length }, () => (random() < 0.3 ? int(4) : int(256)));
      try {
        checkRdata({ name: '.', type, class: 1, ttl: 0, rdata });
        valid++;
      } catch (err) {
        ours(err, WireFormatError);
      }
    }
    expect(valid).toBeGreaterThan(100);
  });

  const FULL = `$ORIGIN mimi.arpa.\n$TTL 60\n@ IN SOA ns h ( 1 2 3 4 5 )\n NS ns\nns A 127.0.0.1\nt TXT "a\\"b" c\n_dns.ns SVCB 1 . alpn="h2,h3" port=443\nm MSPMAP \\# 2 a161\nn NAPTR 1 2 "U" "E2U+mimi" "" x\n`;
  const WORDS = [
    '$ORIGIN',
    '$TTL',
    '$INCLUDE',
    '@',
    '(',
    ')',
    '"',
    ';',
    '\\',
    '\\#',
    'IN',
    'CH',
    'A',
    'AAAA',
    'TXT',
    'SVCB',
    'NS',
    'SOA',
    'NAPTR',
    'DS',
    'DNSKEY',
    'RRSIG',
    'NSEC',
    'MSPMAP',
    'TYPE65281',
    'CLASS3',
    '60',
    '1h',
    '0',
    '65536',
    '4294967296',
    'a',
    'b.c.',
    '.',
    '..',
    'x\\.y',
    '\\000',
    '\\999',
    'alpn=h2',
    'port=',
    'mandatory=alpn',
    'key1=',
    '192.0.2.1',
    '::1',
    'ff',
    'abcd',
  ];
  const SEPARATORS = [' ', ' ', '\t', '\n', '\n '];

  test('random and mutated zone texts', () => {
    let parsed = 0;
    for (let i = 0; i < 4000; i++) {
      let text: string;
      if (i % 2 === 0) {
        text = Array.from({ length: 1 + int(30) }, () => pick(WORDS) + pick(SEPARATORS)).join('');
      } else {
        const chars = [...FULL];
        for (let m = 0; m < 1 + int(4); m++)
          chars.splice(
            int(chars.length),
            int(3),
            pick(['"', '(', ')', '\\', ';', '\n', ' ', 'x', '0', '.', '@']),
          );
        text = chars.join('');
      }
      try {
        const records = parseZoneFile(text, { file: 'fuzz.zone', origin: 'mimi.arpa.', defaultTtl: 5 });
        for (const record of records) checkRdata(record);
        parsed++;
      } catch (err) {
        ours(err, ZoneParseError);
      }
    }
    expect(parsed).toBeGreaterThan(50);
  });

  test('random presentation names', () => {
    const alphabet = [
      'a',
      'Z',
      '0',
      '9',
      '.',
      '.',
      '\\',
      '-',
      '*',
      '@',
      ' ',
      '"',
      'é',
      '\\0',
      '\\25',
      '\\255',
      '\\.',
    ];
    let valid = 0;
    for (let i = 0; i < 6000; i++) {
      const text = Array.from({ length: int(i % 10 === 0 ? 300 : 24) }, () => pick(alphabet)).join('');
      try {
        const labels = parseName(text);
        const formatted = formatName(labels);
        expect(formatName(parseName(formatted))).toBe(formatted);
        expect(nameToWire(formatted)).toEqual(nameToWire(labels));
        valid++;
      } catch (err) {
        ours(err, WireFormatError);
      }
    }
    expect(valid).toBeGreaterThan(100);
  });
});
