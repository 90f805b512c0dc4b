/** RFC 9577 §2.2 Token parsing: exact length and type, and views into larger buffers. */
import { describe, expect, it } from 'vitest';
import { TOKEN_LENGTH } from '../src/constants.js';
import { parseToken } from '../src/token.js';
import { makeKey, mintToken } from './helpers.js';

describe('parseToken', () => {
  it.each([
    ['empty', new Uint8Array(0), /token of 0 octets has no token type/],
    ['one octet', new Uint8Array([0]), /token of 1 octets has no token type/],
    ['type 1', new Uint8Array([0, 1, ...new Uint8Array(352)]), /token type 0x0001 is not 0x0002/],
    ['type 0xda7a', new Uint8Array([0xda, 0x7a, ...new Uint8Array(352)]), /token type 0xda7a is not 0x0002/],
    [
      'one octet short',
      new Uint8Array([0, 2, ...new Uint8Array(351)]),
      /token of 353 octets, type 0x0002 needs 354/,
    ],
    [
      'one octet long',
      new Uint8Array([0, 2, ...new Uint8Array(353)]),
      /token of 355 octets, type 0x0002 needs 354/,
    ],
  ])('%s is refused with a reason', (_name, bytes, reason) => {
    const parsed = parseToken(bytes);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });

  it('reads a token that sits inside a larger buffer (an EDNS option view)', async () => {
    const token = await mintToken(makeKey(), 'issuer.test');
    expect(token.length).toBe(TOKEN_LENGTH);
    const message = new Uint8Array(1000);
    message.set(token, 321);
    const view = message.subarray(321, 321 + TOKEN_LENGTH);
    const parsed = parseToken(view);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(Buffer.from(parsed.token.nonce)).toEqual(Buffer.from(token.subarray(2, 34)));
    expect(Buffer.from(parsed.token.tokenKeyId)).toEqual(Buffer.from(token.subarray(66, 98)));
    expect(Buffer.from(parsed.token.authenticator)).toEqual(Buffer.from(token.subarray(98)));
  });

  it('reads a token inside a Node Buffer (Buffer#slice is a view, not a copy)', async () => {
    const token = await mintToken(makeKey(), 'issuer.test');
    const message = Buffer.alloc(700);
    message.set(token, 123);
    const parsed = parseToken(message.subarray(123, 123 + TOKEN_LENGTH));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(Buffer.from(parsed.token.nonce)).toEqual(Buffer.from(token.subarray(2, 34)));
    expect(Buffer.from(parsed.token.authenticator)).toEqual(Buffer.from(token.subarray(98)));
  });
});
