import dnsPacket from 'dns-packet';
import { describe, expect, test } from 'vitest';
import {
  type DnsMessage,
  decodeMessage,
  encodeMessage,
  NO_FLAGS,
  peekHeader,
  readQuestion,
} from '../src/wire/message/index.js';
import { rdataToText } from '../src/wire/rdata/index.js';
import { RRType } from '../src/wire/types.js';
import { bytes, header, hex, QNAME, QUESTION, response, rr, wireError } from './wire-fixtures.js';

describe('encode ↔ decode', () => {
  test('a response round-trips exactly', () => {
    expect(decodeMessage(encodeMessage(response))).toEqual(response);
  });

  test('flags: every bit both ways', () => {
    const names = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const;
    const bits = [0x8000, 0x0400, 0x0200, 0x0100, 0x0080, 0x0020, 0x0010];
    names.forEach((flag, i) => {
      const wire = encodeMessage({ ...response, flags: { ...NO_FLAGS, [flag]: true }, edns: undefined });
      expect((wire[2]! << 8) | wire[3]!).toBe(bits[i]);
      expect(decodeMessage(wire).flags).toEqual({ ...NO_FLAGS, [flag]: true });
    });
    const opcodeRcode = encodeMessage({ ...response, flags: { ...NO_FLAGS, opcode: 5, rcode: 3 } });
    expect(hex(opcodeRcode.subarray(2, 4))).toBe('2803');
    expect(peekHeader(opcodeRcode).flags).toMatchObject({ opcode: 5, rcode: 3 });
  });

  test('owner and question names are compressed, case kept exactly', () => {
    const wire = encodeMessage(response);
    const plain = dnsPacket.encode({
      type: 'response',
      id: 0xbeef,
      questions: [{ name: 'www.Example.com', type: 'A' }],
      answers: [
        { name: 'www.Example.com', type: 'A', ttl: 300, data: '192.0.2.1' },
        { name: 'www.Example.com', type: 'A', ttl: 300, data: '192.0.2.2' },
      ],
    });
    expect(wire.length).toBeLessThan(plain.length + 100);
    // The two answer owners are pointers to the qname at offset 12.
    const firstAnswer = 12 + 17 + 4;
    expect(hex(wire.subarray(firstAnswer, firstAnswer + 2))).toBe('c00c');
    // "example.com." (lowercase) in the authority must not point at "Example.com." (mixed case).
    const decoded = dnsPacket.decode(Buffer.from(wire));
    expect(decoded.authorities?.[0]?.name).toBe('example.com');
    expect(decoded.answers?.[0]?.name).toBe('www.Example.com');
  });

  test('RDATA is never compressed on encode', () => {
    const message: DnsMessage = {
      ...response,
      answers: [rr('example.com.', RRType.NS, 'example.com.')],
      authorities: [],
      additionals: [],
      edns: undefined,
    };
    const wire = encodeMessage(message);
    expect(hex(wire)).toContain(`0002 0001 0000012c 000d ${QNAME}`.replace(/\s/g, ''));
  });

  test('TTL with the top bit set reads as zero (RFC 2181 §8)', () => {
    const wire = bytes(`${header(1, 1, 0, 0)} ${QUESTION} c00c 0001 0001 80000000 0004 c0000201`);
    expect(decodeMessage(wire).answers[0]!.ttl).toBe(0);
  });
});

describe('interop with dns-packet', () => {
  test('a dns-packet query decodes', () => {
    const wire = dnsPacket.encode({
      type: 'query',
      id: 42,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name: '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa', type: 'NAPTR' }],
      additionals: [
        { type: 'OPT', name: '.', udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK, options: [] },
      ],
    } as dnsPacket.Packet);
    const message = decodeMessage(new Uint8Array(wire));
    expect(message.id).toBe(42);
    expect(message.flags.rd).toBe(true);
    expect(message.questions).toEqual([
      { name: '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.', type: RRType.NAPTR, class: 1 },
    ]);
    expect(message.edns).toEqual({
      udpPayloadSize: 1232,
      extendedRcode: 0,
      version: 0,
      do: true,
      options: [],
    });
    expect(message.additionals).toEqual([]);
    expect(readQuestion(new Uint8Array(wire)).name).toBe('3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.');
  });

  test('a dns-packet response with SOA, MX, TXT and NAPTR decodes to the same rdata as our codecs', () => {
    const wire = dnsPacket.encode({
      type: 'response',
      id: 7,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: [{ name: 'example.com', type: 'TXT' }],
      answers: [
        { name: 'example.com', type: 'TXT', ttl: 60, data: ['hello', 'world'] },
        {
          name: 'example.com',
          type: 'NAPTR',
          ttl: 60,
          data: {
            order: 10,
            preference: 0,
            flags: 'U',
            services: 'E2U+mimi',
            regexp: '!^.*$!mimi:x.example!',
            replacement: '.',
          },
        },
      ],
      authorities: [
        {
          name: 'example.com',
          type: 'SOA',
          ttl: 300,
          data: {
            mname: 'ns.example.com',
            rname: 'h.example.com',
            serial: 5,
            refresh: 1,
            retry: 2,
            expire: 3,
            minimum: 4,
          },
        },
      ],
      additionals: [
        { name: 'example.com', type: 'MX', ttl: 5, data: { preference: 10, exchange: 'mx.example.com' } },
      ],
    } as dnsPacket.Packet);
    const message = decodeMessage(new Uint8Array(wire));
    expect(message.answers.map((r) => rdataToText(r.type, r.rdata))).toEqual([
      '"hello" "world"',
      '10 0 "U" "E2U+mimi" "!^.*$!mimi:x.example!" .',
    ]);
    expect(rdataToText(RRType.SOA, message.authorities[0]!.rdata)).toBe(
      'ns.example.com. h.example.com. 5 1 2 3 4',
    );
    expect(hex(message.additionals[0]!.rdata)).toBe('000a026d78076578616d706c6503636f6d00');
  });

  test('dns-packet decodes what we encode', () => {
    const decoded = dnsPacket.decode(Buffer.from(encodeMessage(response)));
    expect(decoded.id).toBe(0xbeef);
    expect(decoded.answers?.map((a) => (a as { data: string }).data)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect((decoded.authorities![0] as { data: string }).data).toBe('ns1.example.com');
    expect(decoded.additionals?.[1]?.type).toBe('OPT');
  });
});

describe('names in RDATA of RFC 1035 types are decompressed (RFC 3597 §4)', () => {
  test.each([
    ['NS', '0002', 'c00c', QNAME],
    ['CNAME', '0005', '03777777 c00c', `03777777${QNAME}`],
    ['MX', '000f', '000a 026d78 c00c', `000a026d78${QNAME}`],
    [
      'SOA',
      '0006',
      `026e73 c00c 0168 c00c ${'00000001'.repeat(5)}`,
      `026e73${QNAME}0168${QNAME}${'00000001'.repeat(5)}`,
    ],
    ['PTR', '000c', 'c00c', QNAME],
    ['SRV', '0021', '0001 0002 0035 c00c', `000100020035${QNAME}`],
    ['NAPTR', '0023', '0001 0002 0155 00 00 c00c', `00010002015500 00${QNAME}`],
  ])('%s', (_, type, rdata, expanded) => {
    const length = bytes(rdata).length.toString(16).padStart(4, '0');
    const wire = bytes(`${header(1, 1, 0, 0)} ${QUESTION} c00c ${type} 0001 0000003c ${length} ${rdata}`);
    expect(hex(decodeMessage(wire).answers[0]!.rdata)).toBe(expanded.replace(/\s/g, ''));
  });

  test('other types keep their RDATA octets as received, pointer-like bytes included', () => {
    const wire = bytes(`${header(1, 1, 0, 0)} ${QUESTION} c00c ff00 0001 0000003c 0002 c00c`);
    expect(hex(decodeMessage(wire).answers[0]!.rdata)).toBe('c00c');
  });

  test('a compressed name may not run past its RDATA', () => {
    const wire = bytes(`${header(1, 1, 0, 0)} ${QUESTION} c00c 0002 0001 0000003c 0001 c0 0c`);
    expect(wireError(() => decodeMessage(wire)).code).toBe('name-truncated');
  });

  test.each([
    ['extra octets after the layout', '000f', '000a c00c ff', 'rdata-length'],
    ['fixed part missing', '000f', '00', 'rdata-truncated'],
    ['SOA without numbers', '0006', 'c00c c00c 0000', 'rdata-truncated'],
  ])('%s', (_, type, rdata, code) => {
    const length = bytes(rdata).length.toString(16).padStart(4, '0');
    const wire = bytes(`${header(1, 1, 0, 0)} ${QUESTION} c00c ${type} 0001 0000003c ${length} ${rdata}`);
    expect(wireError(() => decodeMessage(wire)).code).toBe(code);
  });
});
