import { decodeMessage, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  binaryQueryFile,
  encodeQuery,
  QUERY_UDP_PAYLOAD_SIZE,
  splitBinaryQueryFile,
  textQueryFile,
} from '../lib/data/query-file.mjs';

const OWNER = '0.0.0.0.0.0.0.0.7.7.4.4.e164.mimi.arpa.';
const hex = (text) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('dnsperf query files', () => {
  it('encodes a query byte for byte: RD clear, EDNS 1232, DO set', () => {
    const expected = hex(`
      1234 0000 0001 0000 0000 0001
      0130 0130 0130 0130 0130 0130 0130 0130 0137 0137 0134 0134
      0465313634 046d696d69 0461727061 00
      ff00 0001
      00 0029 04d0 00 00 8000 0000`);
    expect(Buffer.from(encodeQuery({ name: OWNER, type: RRType.MSPMAP }, 0x1234))).toEqual(expected);
  });

  it.each([[RRType.MSPMAP], [RRType.NAPTR], [RRType.TXT]])(
    'a query for type %i decodes back to its question and EDNS',
    (type) => {
      const message = decodeMessage(encodeQuery({ name: OWNER, type }, 7));
      expect(message.id).toBe(7);
      expect(message.flags.rd).toBe(false);
      expect(message.questions).toEqual([{ name: OWNER, type, class: 1 }]);
      expect(message.edns).toMatchObject({ udpPayloadSize: QUERY_UDP_PAYLOAD_SIZE, do: true, version: 0 });
    },
  );

  it('writes length-prefixed messages (RFC 1035 §4.2.2) and splits them back', () => {
    const questions = [
      { name: OWNER, type: RRType.MSPMAP },
      { name: '5.0.0.0.0.0.0.0.7.7.4.4.e164.mimi.arpa.', type: RRType.NAPTR },
    ];
    const file = binaryQueryFile(questions);
    expect(file.readUInt16BE(0)).toBe(67);
    const messages = splitBinaryQueryFile(file);
    expect(messages.map((m) => decodeMessage(m).questions[0])).toEqual(
      questions.map((q) => ({ ...q, class: 1 })),
    );
    expect(file.length).toBe(messages.reduce((sum, m) => sum + 2 + m.length, 0));
  });

  it('writes private types as TYPEnnnnn in the text form', () => {
    expect(
      textQueryFile([
        { name: OWNER, type: RRType.MSPMAP },
        { name: OWNER, type: RRType.NAPTR },
      ]),
    ).toBe(`${OWNER} TYPE65280\n${OWNER} NAPTR\n`);
  });
});
