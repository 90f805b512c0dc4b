import { describe, expect, test } from 'vitest';
import {
  buildEdns,
  type DnsMessage,
  decodeMessage,
  EdnsOptionCode,
  ExtendedErrorCode,
  encodeMessage,
  extendedErrorOption,
  findOption,
  fullRcode,
  paddingOption,
  padMessage,
  parseExtendedError,
  peekHeader,
  QUERY_PADDING_BLOCK,
  RESPONSE_PADDING_BLOCK,
  readQuestion,
  splitRcode,
  tokenOption,
} from '../src/wire/message/index.js';
import { bytes, header, hex, response, wireError } from './wire-fixtures.js';

describe('EDNS(0) options (RFC 6891, 7830, 8467, 8914; DESIGN §7 token)', () => {
  test('extended DNS error: info-code and extra-text both ways', () => {
    const option = extendedErrorOption(ExtendedErrorCode.PROHIBITED, 'token required: ü');
    expect(option.code).toBe(15);
    expect(hex(option.data)).toBe(`0012${Buffer.from('token required: ü').toString('hex')}`);
    expect(parseExtendedError(option)).toEqual({ infoCode: 18, extraText: 'token required: ü' });
    expect(parseExtendedError(extendedErrorOption(0))).toEqual({ infoCode: 0, extraText: '' });
    expect(wireError(() => parseExtendedError({ code: 15, data: bytes('00') })).code).toBe('truncated');
    expect(wireError(() => parseExtendedError({ code: 15, data: bytes('0000ff') })).code).toBe(
      'ede-bad-utf8',
    );
    expect(wireError(() => parseExtendedError({ code: 12, data: bytes('0000') })).code).toBe(
      'ede-wrong-option',
    );
  });

  test('extended rcode joins the header rcode (RFC 6891 §6.1.3)', () => {
    const { rcode, extendedRcode } = splitRcode(16);
    const message: DnsMessage = {
      ...response,
      flags: { ...response.flags, rcode },
      edns: buildEdns({ extendedRcode, version: 0 }),
    };
    const decoded = decodeMessage(encodeMessage(message));
    expect(fullRcode(decoded)).toBe(16);
    const wire = encodeMessage(message);
    // OPT TTL: extended rcode 1, version 0, DO clear.
    expect(hex(wire)).toContain('00002904d001000000');
  });

  test.each([
    [QUERY_PADDING_BLOCK, false],
    [RESPONSE_PADDING_BLOCK, true],
  ])('padding to blocks of %i', (block, isResponse) => {
    const base: DnsMessage = isResponse
      ? response
      : { ...response, answers: [], authorities: [], additionals: [] };
    const padded = padMessage(base, block);
    const wire = encodeMessage(padded);
    expect(wire.length % block).toBe(0);
    const padding = findOption(decodeMessage(wire).edns, EdnsOptionCode.PADDING)!;
    expect(padding.data.every((b) => b === 0)).toBe(true);
    // Padding twice replaces the option instead of adding another.
    expect(encodeMessage(padMessage(padded, block)).length).toBe(wire.length);
  });

  test('padding needs EDNS', () => {
    expect(wireError(() => padMessage({ ...response, edns: undefined }, 128)).code).toBe('edns-missing');
    expect(paddingOption(3).data).toEqual(new Uint8Array(3));
  });

  test('the token option carries raw bytes under code 65001', () => {
    const token = Uint8Array.from([0, 2, 9, 9, 9]);
    const message: DnsMessage = { ...response, edns: buildEdns({ options: [tokenOption(token)] }) };
    const decoded = decodeMessage(encodeMessage(message));
    expect(findOption(decoded.edns, 65001)?.data).toEqual(token);
    expect(findOption(decoded.edns, 12)).toBeUndefined();
  });
});

describe('fast peeks', () => {
  test('peekHeader reads only the header', () => {
    const wire = encodeMessage(response);
    expect(peekHeader(wire)).toEqual({
      id: 0xbeef,
      flags: response.flags,
      qdcount: 1,
      ancount: 2,
      nscount: 1,
      arcount: 2,
    });
    expect(peekHeader(wire.subarray(0, 12)).id).toBe(0xbeef);
    expect(wireError(() => peekHeader(wire.subarray(0, 11))).code).toBe('truncated');
  });

  test('readQuestion reads the first question with full name checks', () => {
    expect(readQuestion(encodeMessage(response))).toEqual(response.questions[0]);
    expect(wireError(() => readQuestion(bytes(header(0, 0, 0, 0)))).code).toBe('message-no-question');
    expect(wireError(() => readQuestion(bytes(`${header(1, 0, 0, 0)} c00c 0001 0001`))).code).toBe(
      'name-pointer-forward',
    );
  });
});
