/**
 * The direct query encoder (src/wire/query.ts) against the general path it replaces:
 * `padMessage` + `encodeMessage` of the same message (RFC 1035 §4.1, RFC 6891 §6.1.2,
 * RFC 3225 §3, RFC 8467 §4.1) must give the same bytes, with and without a token.
 */
import {
  buildEdns,
  CLASS_IN,
  canonicalName,
  decodeMessage,
  EdnsOptionCode,
  encodeMessage,
  NO_FLAGS,
  padMessage,
  QUERY_PADDING_BLOCK,
  RRType,
  tokenOption,
} from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { encodeQuery } from '../src/wire/query.js';

function generalPath(qname: string, qtype: number, token?: Uint8Array): Uint8Array {
  return encodeMessage(
    padMessage(
      {
        id: 0,
        flags: NO_FLAGS,
        questions: [{ name: canonicalName(qname), type: qtype, class: CLASS_IN }],
        answers: [],
        authorities: [],
        additionals: [],
        edns: buildEdns({ do: true, options: token === undefined ? [] : [tokenOption(token)] }),
      },
      QUERY_PADDING_BLOCK,
    ),
  );
}

/** Deterministic pseudo-random names: every label length 1–63, escapes, upper case. */
function names(): string[] {
  const out = [
    '.',
    'mimi.arpa.',
    'MIMI.Arpa.',
    '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
    '_dns.dp1.nic.mimi.arpa.',
    'a\\.b.mimi.arpa.',
    '\\000\\255.x.mimi.arpa.',
    'sp\\032ace.mimi.arpa.',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.`,
  ];
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
  for (let n = 0; n < 300; n++) {
    const labels: string[] = [];
    let length = 0;
    const count = 1 + (next() % 8);
    for (let i = 0; i < count; i++) {
      const size = 1 + (next() % 63);
      if (length + size + 1 > 250) break;
      labels.push(Array.from({ length: size }, () => alphabet[next() % alphabet.length]).join(''));
      length += size + 1;
    }
    out.push(`${labels.join('.')}.`);
  }
  return out;
}

describe('encodeQuery', () => {
  const qtypes = [RRType.MSPMAP, RRType.NS, RRType.DNSKEY, RRType.DS, RRType.SVCB, RRType.CSIPKEY];

  it('gives the bytes of padMessage + encodeMessage for 309 names, every qtype', () => {
    const all = names();
    expect(all.length).toBe(309);
    all.forEach((qname, index) => {
      const qtype = qtypes[index % qtypes.length]!;
      expect(encodeQuery(qname, qtype)).toEqual(generalPath(qname, qtype));
    });
  });

  it.each([0, 1, 3, 4, 60, 124, 125, 127, 128, 200, 300])(
    'gives the same bytes with a %i-octet token (padding wraps at each block)',
    (size) => {
      const token = Uint8Array.from({ length: size }, (_, i) => (i * 37 + 11) & 0xff);
      for (const qname of ['mimi.arpa.', '4.4.e164.mimi.arpa.', `${'x'.repeat(60)}.mimi.arpa.`]) {
        expect(encodeQuery(qname, RRType.MSPMAP, token)).toEqual(generalPath(qname, RRType.MSPMAP, token));
      }
    },
  );

  it('decodes to id 0, no flags, one question, DO set, token then padding, 128-octet blocks', () => {
    const token = new Uint8Array([1, 2, 3]);
    const bytes = encodeQuery('A.Mimi.Arpa.', RRType.MSPMAP, token);
    expect(bytes.length).toBe(128);
    const message = decodeMessage(bytes);
    expect(message.id).toBe(0);
    expect(message.flags).toEqual(NO_FLAGS);
    expect(message.questions).toEqual([{ name: 'a.mimi.arpa.', type: RRType.MSPMAP, class: CLASS_IN }]);
    expect(message.edns?.do).toBe(true);
    expect(message.edns?.udpPayloadSize).toBe(1232);
    expect(message.edns?.options.map((option) => option.code)).toEqual([
      EdnsOptionCode.MIMI_TOKEN,
      EdnsOptionCode.PADDING,
    ]);
    expect(message.edns?.options[0]?.data).toEqual(token);
  });

  it('refuses a name that does not parse with the name parser’s error', () => {
    expect(() => encodeQuery('a..b.', RRType.NS)).toThrow(
      expect.objectContaining({ code: 'name-empty-label', message: expect.stringContaining("'a..b.'") }),
    );
  });
});
