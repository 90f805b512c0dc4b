/**
 * RFC 9230 §6.1: ObliviousDoHMessage and ObliviousDoHMessagePlaintext value ↔ bytes,
 * the padding rule (zeros; RFC 8467 block sizes), and malformed input on every boundary.
 */
import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPE_QUERY, MESSAGE_TYPE_RESPONSE } from '../src/constants.js';
import { OdohError } from '../src/errors.js';
import {
  decodeMessage,
  decodePlaintext,
  encodeMessage,
  encodePlaintext,
  paddingLengthFor,
  queryAad,
} from '../src/message.js';

const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof OdohError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an OdohError');
}

describe('ObliviousDoHMessage value ↔ bytes', () => {
  it.each([
    [
      'a query with a 2-byte key id',
      { messageType: 1, keyId: fromHex('abcd'), encryptedMessage: fromHex('0102') },
      '01 0002 abcd 0002 0102',
    ],
    [
      'a response with an empty key id',
      { messageType: 2, keyId: new Uint8Array(0), encryptedMessage: fromHex('ff') },
      '02 0000 0001 ff',
    ],
  ])('%s', (_name, value, hex) => {
    expect(toHex(encodeMessage(value))).toBe(hex.replace(/\s/g, ''));
    expect(decodeMessage(fromHex(hex), value.messageType)).toEqual(value);
  });

  it('refuses to encode an empty encrypted_message', () => {
    expect(
      errorOf(() =>
        encodeMessage({ messageType: 1, keyId: new Uint8Array(0), encryptedMessage: new Uint8Array(0) }),
      ),
    ).toEqual({ code: 'odoh-malformed', message: 'odoh message: encrypted_message is empty' });
  });

  it.each([
    [
      'empty input',
      '',
      MESSAGE_TYPE_QUERY,
      'odoh message: truncated in message_type (1 bytes needed, 0 left)',
    ],
    [
      'a response where a query belongs',
      '02 0000 0001 ff',
      MESSAGE_TYPE_QUERY,
      'odoh message: message_type 0x02 where 0x01 was expected',
    ],
    [
      'a query where a response belongs',
      '01 0000 0001 ff',
      MESSAGE_TYPE_RESPONSE,
      'odoh message: message_type 0x01 where 0x02 was expected',
    ],
    [
      'a key id past the end',
      '01 0005 abcd',
      MESSAGE_TYPE_QUERY,
      'odoh message: truncated in key_id (5 bytes needed, 2 left)',
    ],
    [
      'no encrypted_message',
      '01 0000',
      MESSAGE_TYPE_QUERY,
      'odoh message: truncated in encrypted_message length (2 bytes needed, 0 left)',
    ],
    [
      'an empty encrypted_message',
      '01 0000 0000',
      MESSAGE_TYPE_QUERY,
      'odoh message: encrypted_message is 0 bytes, at least 1 required',
    ],
    ['a trailing byte', '01 0000 0001 ff 00', MESSAGE_TYPE_QUERY, 'odoh message: 1 trailing bytes'],
  ])('refuses %s', (_name, hex, type, message) => {
    expect(errorOf(() => decodeMessage(fromHex(hex), type))).toEqual({ code: 'odoh-malformed', message });
  });
});

describe('ObliviousDoHMessagePlaintext value ↔ bytes', () => {
  it.each([
    ['no padding', 'abcd', 0, '0002 abcd 0000'],
    ['three bytes of padding', 'ab', 3, '0001 ab 0003 000000'],
  ])('%s', (_name, dns, padding, hex) => {
    expect(toHex(encodePlaintext(fromHex(dns), padding))).toBe(hex.replace(/\s/g, ''));
    expect(toHex(decodePlaintext(fromHex(hex)))).toBe(dns);
  });

  it('refuses non-zero padding as odoh-padding (RFC 9230 §7, §8 step 4)', () => {
    expect(errorOf(() => decodePlaintext(fromHex('0001 ab 0003 000100')))).toEqual({
      code: 'odoh-padding',
      message: 'odoh plaintext: padding byte 1 of 3 is not zero',
    });
  });

  it.each([
    ['an empty dns_message', '0000 0000', 'odoh plaintext: dns_message is 0 bytes, at least 1 required'],
    [
      'a missing padding field',
      '0001 ab',
      'odoh plaintext: truncated in padding length (2 bytes needed, 0 left)',
    ],
    [
      'padding past the end',
      '0001 ab 0004 000000',
      'odoh plaintext: truncated in padding (4 bytes needed, 3 left)',
    ],
    ['a trailing byte', '0001 ab 0000 00', 'odoh plaintext: 1 trailing bytes'],
  ])('refuses %s', (_name, hex, message) => {
    expect(errorOf(() => decodePlaintext(fromHex(hex)))).toEqual({ code: 'odoh-malformed', message });
  });

  it('refuses to encode an empty DNS message, and one past 65535 bytes', () => {
    expect(errorOf(() => encodePlaintext(new Uint8Array(0), 0)).message).toBe(
      'odoh plaintext: dns_message is empty',
    );
    expect(errorOf(() => encodePlaintext(new Uint8Array(65536), 0))).toEqual({
      code: 'odoh-too-large',
      message: 'odoh plaintext dns_message is 65536 bytes, more than 65535',
    });
  });
});

describe('padding length (RFC 8467 blocks: 128 for queries, 468 for responses)', () => {
  it.each([
    [1, {}, 128, 127],
    [127, {}, 128, 1],
    [128, {}, 128, 0],
    [129, {}, 128, 127],
    [100, {}, 468, 368],
    [468, {}, 468, 0],
    [100, { paddingTo: 0 }, 128, 0],
    [100, { paddingTo: 1 }, 128, 0],
    [100, { paddingTo: 64 }, 128, 28],
    [100, { paddingLength: 5 }, 128, 5],
    [100, { paddingLength: 0, paddingTo: 64 }, 128, 0],
  ])('a %i-byte message with %o and default block %i gets %i bytes', (length, options, block, expected) => {
    expect(paddingLengthFor(length, options, block)).toBe(expected);
  });

  it.each([
    [{ paddingLength: -1 }, 'padding length -1 is not between 0 and 65535'],
    [{ paddingLength: 65536 }, 'padding length 65536 is not between 0 and 65535'],
    [{ paddingTo: 1.5 }, 'padding block size 1.5 is not between 0 and 65535'],
  ])('refuses %o', (options, message) => {
    expect(errorOf(() => paddingLengthFor(10, options, 128))).toEqual({ code: 'odoh-too-large', message });
  });
});

describe('query aad (RFC 9230 §6.2: 0x01 || len(key_id) || key_id)', () => {
  it('is the type, the 2-byte length and the key id', () => {
    expect(toHex(queryAad(fromHex('aabbcc')))).toBe('010003aabbcc');
  });
});
