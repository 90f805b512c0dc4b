/**
 * The ENUM view (DESIGN §4; RFC 3403 §4.1 NAPTR, RFC 6116 §3.4 enumservices): one table
 * of MSP lists → NAPTR presentation lines.
 */
import { type MspEntry, naptrCodec } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { enumView, MAX_NAPTR_PER_NAME } from '../src/index.js';

const line = (order: number, preference: number, services: string, msp: string) =>
  `${order} ${preference} "U" "${services}" "!^.*$!mimi:${msp}!" .`;

const TABLE: [string, MspEntry[][], string[]][] = [
  ['no mapping', [], []],
  ['an opted-out mapping (no MSP)', [[]], []],
  [
    'an MSP without tags',
    [[{ msp: 'signal.example', pri: 10, tags: [] }]],
    [line(10, 0, 'E2U+mimi', 'signal.example')],
  ],
  [
    'one record per tag, preference = position',
    [[{ msp: 'wire.example', pri: 20, tags: ['Business', 'Work'] }]],
    [line(20, 0, 'E2U+mimi:Business', 'wire.example'), line(20, 1, 'E2U+mimi:Work', 'wire.example')],
  ],
  [
    'invalid subtypes are left out; positions are kept',
    [[{ msp: 'signal.example', pri: 10, tags: ['Privé', 'Family', 'a b', 'x'.repeat(33), 'y'.repeat(32)] }]],
    [
      line(10, 1, 'E2U+mimi:Family', 'signal.example'),
      line(10, 4, `E2U+mimi:${'y'.repeat(32)}`, 'signal.example'),
    ],
  ],
  [
    'an MSP with only invalid tags gets one plain record',
    [[{ msp: 'signal.example', pri: 10, tags: ['家族', 'Privé'] }]],
    [line(10, 0, 'E2U+mimi', 'signal.example')],
  ],
  [
    'duplicates across mappings merge (tags case-insensitively); sorted by order then preference',
    [
      [{ msp: 'wire.example', pri: 20, tags: ['Business'] }],
      [
        { msp: 'wire.example', pri: 20, tags: ['business'] },
        { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
      ],
    ],
    [line(10, 0, 'E2U+mimi:Personal', 'whatsapp.example'), line(20, 0, 'E2U+mimi:Business', 'wire.example')],
  ],
  [
    'pri 0 and 65535',
    [
      [
        { msp: 'a.example', pri: 65535, tags: [] },
        { msp: 'b.example', pri: 0, tags: ['-'] },
      ],
    ],
    [line(0, 0, 'E2U+mimi:-', 'b.example'), line(65535, 0, 'E2U+mimi', 'a.example')],
  ],
];

describe('enumView', () => {
  it.each(TABLE)('%s', (_name, lists, expected) => {
    const naptrs = enumView(lists);
    expect(naptrs.map((n) => naptrCodec.toText(n))).toEqual(expected);
    // Every record survives its own codec both ways.
    for (const naptr of naptrs) expect(naptrCodec.decode(naptrCodec.encode(naptr))).toEqual(naptr);
  });

  it('keeps at most 64 records, the most preferred first', () => {
    const lists = Array.from({ length: 16 }, (_, m) => [
      { msp: `m${m}.example`, pri: 100 - m, tags: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] },
    ]);
    const naptrs = enumView(lists);
    expect(naptrs).toHaveLength(MAX_NAPTR_PER_NAME);
    expect(naptrs[0]!.order).toBe(85);
    expect(naptrs.at(-1)!.order).toBe(92);
  });
});
