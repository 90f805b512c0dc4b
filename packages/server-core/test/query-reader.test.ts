/** RFC 1035 §4.1 / RFC 6891 §6.1: the hot-path query reader, both ways and every boundary. */
import { RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { QueryError } from '../src/errors.js';
import { ednsOptions, KEY_SUFFIX_LENGTH, nameKeyOf, peekId, readQuery } from '../src/query-reader.js';
import { makeQuery } from './dns-messages.js';

/** Header with the given counts and flags, then `body`. */
function raw(
  counts: [number, number, number, number],
  body: number[] = [],
  flags = 0x0100,
  id = 0xbeef,
): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt16BE(id, 0);
  bytes.writeUInt16BE(flags, 2);
  for (const [i, count] of counts.entries()) bytes.writeUInt16BE(count, 4 + 2 * i);
  return Buffer.concat([bytes, Buffer.from(body)]);
}

const EXAMPLE = [7, ...Buffer.from('example'), 0];
const A_IN = [0, 1, 0, 1];
const OPT_ROOT = (rdata: number[], version = 0, flags = [0x80, 0]) => [
  0,
  0,
  41,
  0x04,
  0xd0,
  0,
  version,
  ...flags,
  rdata.length >> 8,
  rdata.length & 0xff,
  ...rdata,
];

describe('readQuery: valid queries', () => {
  it('reads id, flags, question and no EDNS', () => {
    const query = readQuery(
      makeQuery({ id: 0x4242, name: 'www.example.', type: RRType.AAAA, rd: true, cd: true }),
    );
    expect(query).toMatchObject({
      id: 0x4242,
      rd: true,
      cd: true,
      qtype: RRType.AAAA,
      qclass: 1,
      edns: null,
    });
    expect(query.qnameEnd).toBe(12 + 13); // 3www7example0
    expect(query.questionEnd).toBe(query.qnameEnd + 4);
  });

  it('reads the OPT record: payload size, version, DO bit and the option span', () => {
    const option = { code: 65001, data: Uint8Array.of(1, 2, 3) };
    const bytes = makeQuery({
      name: 'example.',
      type: 1,
      edns: { do: true, udpPayloadSize: 4096, options: [option] },
    });
    const query = readQuery(bytes);
    expect(query.edns).toMatchObject({ udpPayload: 4096, version: 0, dnssecOk: true });
    expect(query.edns!.optionsEnd - query.edns!.optionsStart).toBe(7);
    expect([...ednsOptions(bytes, query.edns!)]).toEqual([{ code: 65001, data: Buffer.from([1, 2, 3]) }]);
  });

  it('keys on the lowercased wire name, qtype, EDNS presence and DO', () => {
    const key = (init: Parameters<typeof makeQuery>[0]) => readQuery(makeQuery(init)).key;
    const base = key({ name: 'WwW.ExAmple.', type: 1 });
    expect(base).toBe(key({ name: 'www.example.', type: 1 }));
    expect(nameKeyOf(base)).toBe(Buffer.from([3, ...Buffer.from('www'), ...EXAMPLE]).toString('latin1'));
    expect(base.length).toBe(13 + KEY_SUFFIX_LENGTH);
    const variants = [
      key({ name: 'www.example.', type: 28 }),
      key({ name: 'www.example.', type: 1, edns: {} }),
      key({ name: 'www.example.', type: 1, edns: { do: true } }),
      key({ name: 'www.example.', type: 1, edns: { do: true, udpPayloadSize: 512 } }),
    ];
    expect(new Set([base, ...variants]).size).toBe(4);
  });

  it('lowercases only ASCII A-Z (RFC 4343): other octets stay as they are', () => {
    const query = readQuery(raw([1, 0, 0, 0], [3, 0x41, 0xc1, 0x5b, 0, ...A_IN]));
    expect([...Buffer.from(nameKeyOf(query.key), 'latin1')]).toEqual([3, 0x61, 0xc1, 0x5b, 0]);
  });

  it('accepts the root name and a 255-octet name', () => {
    expect(readQuery(raw([1, 0, 0, 0], [0, ...A_IN])).qnameEnd).toBe(13);
    const labels: number[] = [];
    for (let i = 0; i < 3; i++) labels.push(63, ...new Array(63).fill(0x61));
    labels.push(61, ...new Array(61).fill(0x62), 0); // 3*64 + 62 + 1 = 255
    expect(labels.length).toBe(255);
    expect(readQuery(raw([1, 0, 0, 0], [...labels, ...A_IN])).qnameEnd).toBe(12 + 255);
  });

  it('peekId reads the id of anything with two octets', () => {
    expect(peekId(Uint8Array.of(0xab, 0xcd, 9))).toBe(0xabcd);
    expect(peekId(Uint8Array.of(0xab))).toBe(-1);
  });
});

const LONG_NAME = (() => {
  const labels: number[] = [];
  for (let i = 0; i < 4; i++) labels.push(63, ...new Array(63).fill(0x61));
  return [...labels, 0];
})();

describe('readQuery: malformed input', () => {
  const cases: [string, Buffer, string, number][] = [
    ['empty message', Buffer.alloc(0), 'message-too-short', -1],
    ['one octet', Buffer.from([0x12]), 'message-too-short', -1],
    ['truncated header', raw([1, 0, 0, 0]).subarray(0, 11), 'header-truncated', 0xbeef],
    ['a response (QR set)', raw([1, 0, 0, 0], [...EXAMPLE, ...A_IN], 0x8100), 'not-a-query', 0xbeef],
    ['opcode STATUS', raw([1, 0, 0, 0], [...EXAMPLE, ...A_IN], 2 << 11), 'opcode-not-implemented', 0xbeef],
    ['opcode UPDATE', raw([1, 0, 0, 0], [...EXAMPLE, ...A_IN], 5 << 11), 'opcode-not-implemented', 0xbeef],
    ['qdcount 0', raw([0, 0, 0, 0]), 'question-count', 0xbeef],
    ['qdcount 2', raw([2, 0, 0, 0], [...EXAMPLE, ...A_IN, ...EXAMPLE, ...A_IN]), 'question-count', 0xbeef],
    ['an answer record', raw([1, 1, 0, 0], [...EXAMPLE, ...A_IN]), 'section-count', 0xbeef],
    ['an authority record', raw([1, 0, 1, 0], [...EXAMPLE, ...A_IN]), 'section-count', 0xbeef],
    ['two additional records', raw([1, 0, 0, 2], [...EXAMPLE, ...A_IN]), 'section-count', 0xbeef],
    ['qname cut inside a label', raw([1, 0, 0, 0], [7, ...Buffer.from('exam')]), 'qname-truncated', 0xbeef],
    ['qname without its end', raw([1, 0, 0, 0], [7, ...Buffer.from('example')]), 'qname-truncated', 0xbeef],
    ['no qname at all', raw([1, 0, 0, 0]), 'qname-truncated', 0xbeef],
    ['compression loop in qname', raw([1, 0, 0, 0], [0xc0, 0x0c, ...A_IN]), 'qname-compressed', 0xbeef],
    ['pointer after a label', raw([1, 0, 0, 0], [1, 0x61, 0xc0, 0x0c, ...A_IN]), 'qname-compressed', 0xbeef],
    ['extended label type 01', raw([1, 0, 0, 0], [0x41, 0, ...A_IN]), 'qname-bad-label', 0xbeef],
    ['label type 10', raw([1, 0, 0, 0], [0x80, 0, ...A_IN]), 'qname-bad-label', 0xbeef],
    ['qname of 257 octets', raw([1, 0, 0, 0], [...LONG_NAME, ...A_IN]), 'qname-too-long', 0xbeef],
    ['qtype cut short', raw([1, 0, 0, 0], [...EXAMPLE, 0, 1, 0]), 'question-truncated', 0xbeef],
    ['trailing octet', raw([1, 0, 0, 0], [...EXAMPLE, ...A_IN, 0]), 'trailing-bytes', 0xbeef],
    ['arcount 1 with nothing', raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN]), 'opt-malformed', 0xbeef],
    ['opt header cut', raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN, 0, 0, 41, 4]), 'opt-malformed', 0xbeef],
    [
      'additional A record',
      raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]),
      'additional-not-opt',
      0xbeef,
    ],
    [
      'OPT owned by a non-root name',
      raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN, 1, 0x61, 0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0]),
      'opt-not-root',
      0xbeef,
    ],
    [
      'OPT rdata longer than the message',
      raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN, ...OPT_ROOT([]).slice(0, 9), 0, 4]),
      'opt-malformed',
      0xbeef,
    ],
    [
      'EDNS option header cut',
      raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN, ...OPT_ROOT([0, 12])]),
      'opt-malformed',
      0xbeef,
    ],
    [
      'EDNS option longer than the OPT',
      raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN, ...OPT_ROOT([0, 12, 0, 5, 0])]),
      'opt-malformed',
      0xbeef,
    ],
    [
      'octet after the OPT',
      raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN, ...OPT_ROOT([]), 0]),
      'trailing-bytes',
      0xbeef,
    ],
  ];

  it.each(cases)('%s → %s', (_label, bytes, code, id) => {
    let caught: unknown;
    try {
      readQuery(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QueryError);
    expect((caught as QueryError).code).toBe(code);
    expect((caught as QueryError).id).toBe(id);
    expect((caught as QueryError).message).toMatch(/^[a-z0-9]/);
  });

  it('reads a non-zero EDNS version without complaint (BADVERS is the pipeline’s call)', () => {
    const query = readQuery(raw([1, 0, 0, 1], [...EXAMPLE, ...A_IN, ...OPT_ROOT([], 1)]));
    expect(query.edns?.version).toBe(1);
  });
});
