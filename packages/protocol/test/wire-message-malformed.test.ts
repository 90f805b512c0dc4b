import { describe, expect, test } from 'vitest';
import { type DnsMessage, decodeMessage, encodeMessage, NO_FLAGS } from '../src/wire/message/index.js';
import type { ResourceRecord } from '../src/wire/rr.js';
import { RRType } from '../src/wire/types.js';
import { bytes, header, QNAME, QUESTION, response, rr, wireError } from './wire-fixtures.js';

describe('hostile and malformed messages are refused', () => {
  test.each([
    ['empty', '', 'truncated'],
    ['short header', '1234 8180 0001', 'truncated'],
    ['counts beyond the bytes', `${header(1, 2000, 0, 0)} ${QUESTION}`, 'message-counts-exceed-length'],
    ['question cut short', `${header(1, 0, 0, 0)} ${QNAME} 0001`, 'truncated'],
    ['pointer to itself', `${header(1, 0, 0, 0)} c00c 0001 0001`, 'name-pointer-forward'],
    ['forward pointer', `${header(1, 0, 0, 0)} c00e 0001 0001 00`, 'name-pointer-forward'],
    ['pointer into the header', `${header(1, 0, 0, 0)} c002 0001 0001`, 'name-pointer-header'],
    // A name at 29 points to 12, whose labels lead back to a pointer at 29: the second jump
    // would go forward of the segment start (12), so it is refused before any loop.
    [
      'two-name loop',
      `${header(2, 0, 0, 0)} 0161 c01d 0001 0001 0162 c00c 0001 0001`,
      'name-pointer-forward',
    ],
    ['extended label type 0x40', `${header(1, 0, 0, 0)} 4100 0001 0001`, 'name-bad-label-type'],
    ['label type 0x80', `${header(1, 0, 0, 0)} 8100 0001 0001`, 'name-bad-label-type'],
    ['pointer cut short', `${header(1, 0, 0, 0)} c0`, 'message-counts-exceed-length'],
    [
      'record rdata past the end',
      `${header(1, 1, 0, 0)} ${QUESTION} c00c 0001 0001 00000000 0010 c0000201`,
      'truncated',
    ],
    ['trailing bytes', `${header(1, 0, 0, 0)} ${QUESTION} 00`, 'trailing-bytes'],
    [
      'opt in the answer section',
      `${header(1, 1, 0, 0)} ${QUESTION} 00 0029 04d0 00000000 0000`,
      'edns-opt-wrong-section',
    ],
    [
      'two opt records',
      `${header(1, 0, 0, 2)} ${QUESTION} 00 0029 04d0 00000000 0000 00 0029 04d0 00000000 0000`,
      'edns-multiple-opt',
    ],
    [
      'opt not owned by the root',
      `${header(1, 0, 0, 1)} ${QUESTION} c00c 0029 04d0 00000000 0000`,
      'edns-opt-owner',
    ],
    [
      'opt option past its rdata',
      `${header(1, 0, 0, 1)} ${QUESTION} 00 0029 04d0 00000000 0006 000c 0004 0000`,
      'truncated',
    ],
  ])('%s', (_, wire, code) => {
    const err = wireError(() => decodeMessage(bytes(wire)));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(/^[a-z]/);
  });

  test('a loop whose pointers all point before themselves is still refused', () => {
    // "a" "b" then a pointer at 16 back to 14 ("b" again): backwards from the pointer, but
    // forward of the label sequence being read, so a naive "target < pointer" rule would loop.
    const wire = bytes(`${header(1, 0, 0, 0)} 0161 0162 c00e 0001 0001`);
    expect(wireError(() => decodeMessage(wire)).code).toBe('name-pointer-forward');
  });

  test('a chain of more than 127 pointers is refused', () => {
    // Question i is a lone pointer to question i-1; the first is the root name.
    let body = '00 0001 0001 ';
    let previous = 12;
    let offset = 17;
    for (let i = 1; i < 130; i++) {
      body += `${(0xc000 | previous).toString(16)} 0001 0001 `;
      previous = offset;
      offset += 6;
    }
    const wire = bytes(`${header(130, 0, 0, 0)} ${body}`);
    expect(wireError(() => decodeMessage(wire)).code).toBe('name-pointer-loop');
    // 127 jumps are fine.
    const ok = bytes(
      `${header(128, 0, 0, 0)} ${body.split(' 0001 0001 ').slice(0, 128).join(' 0001 0001 ')} 0001 0001`,
    );
    expect(decodeMessage(ok).questions).toHaveLength(128);
  });

  test('a name over 255 octets built from pointers is refused', () => {
    // Four 63-octet labels, each a separate earlier name chained by pointers.
    const label = `3f${'61'.repeat(63)}`;
    let body = '';
    let offset = 12;
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      starts.push(offset);
      const tail = i === 0 ? '00' : `c0${starts[i - 1]!.toString(16).padStart(2, '0')}`;
      body += `${label}${tail} 0001 0001 `;
      offset += 64 + tail.length / 2 + 4;
    }
    expect(wireError(() => decodeMessage(bytes(`${header(4, 0, 0, 0)} ${body}`))).code).toBe('name-too-long');
  });

  test('messages over 65535 octets are refused both ways', () => {
    expect(wireError(() => decodeMessage(new Uint8Array(65536))).code).toBe('message-too-large');
    const big = rr('example.com.', RRType.MSPMAP, new Uint8Array(65000));
    const message: DnsMessage = { ...response, answers: [big, big], edns: undefined };
    expect(wireError(() => encodeMessage(message)).code).toBe('message-too-large');
  });

  test('encode refuses what cannot be sent', () => {
    const opt: ResourceRecord = {
      name: '.',
      type: RRType.OPT,
      class: 1232,
      ttl: 0,
      rdata: new Uint8Array(0),
    };
    expect(wireError(() => encodeMessage({ ...response, additionals: [opt] })).code).toBe(
      'edns-opt-in-records',
    );
    const badTtl = { ...response.answers[0]!, ttl: 2 ** 31 };
    expect(wireError(() => encodeMessage({ ...response, answers: [badTtl] })).code).toBe(
      'value-out-of-range',
    );
    expect(wireError(() => encodeMessage({ ...response, flags: { ...NO_FLAGS, rcode: 16 } })).code).toBe(
      'value-out-of-range',
    );
    expect(wireError(() => encodeMessage({ ...response, id: 65536 })).code).toBe('value-out-of-range');
  });
});
