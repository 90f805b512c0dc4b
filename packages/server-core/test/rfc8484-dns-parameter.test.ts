/**
 * RFC 8484 §4.1 GET: finding the one `dns` parameter without building a URL (it must
 * agree with `URL#searchParams.getAll('dns')` on every target), and strict unpadded
 * base64url decoding (RFC 4648 §5, canonical per §3.5), both ways.
 */
import { describe, expect, it } from 'vitest';
import { decodeDnsParameter, dnsParameterOf, HttpError } from '../src/http-errors.js';

function refusal(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    const { status, code, message } = err as HttpError;
    expect(message).toMatch(/^[a-z]/);
    return { status, code, message };
  }
  throw new Error('expected an HttpError');
}

/** What the URL parser finds: the reference the fast path must match. */
function byUrl(path: string): string[] {
  return new URL(path, 'https://server.invalid').searchParams.getAll('dns');
}

describe('dnsParameterOf agrees with URLSearchParams', () => {
  it.each([
    ['dns=AAAB', 'AAAB'],
    ['a=1&dns=AAAB&b=2', 'AAAB'],
    ['dns=AAAB&', 'AAAB'],
    ['&&dns=AAAB', 'AAAB'],
    ['dns', ''],
    ['dns=', ''],
    ['dnsx=1&dns=AB-_', 'AB-_'],
    ['xdns=1&dns=a=b', 'a=b'],
    ['d%6Es=AAAB', 'AAAB'], // escaped name: found through URL
    ['dns=AA%41B', 'AAAB'], // escaped value
    ['dns=AA+B', 'AA B'], // form encoding: + is a space
    ['dns=AAAB#dns=CCCC', 'AAAB'], // the fragment is not part of the query
    ['dns=AA\u00e9B', 'AA\u00e9B'],
  ])('?%s → %j', (search, value) => {
    const path = `/dns-query?${search}`;
    expect(byUrl(path)).toEqual([value]);
    expect(dnsParameterOf(search, path)).toBe(value);
  });

  it.each([[''], ['a=1'], ['dnsx=AAAB'], ['dns=AAAB&dns=AAAB'], ['dns&dns='], ['d%6Es=A&dns=B']])(
    '?%s → 400 dns-param-missing (no dns parameter, or more than one)',
    (search) => {
      const path = `/dns-query?${search}`;
      expect(byUrl(path)).not.toHaveLength(1);
      expect(refusal(() => dnsParameterOf(search, path))).toMatchObject({
        status: 400,
        code: 'dns-param-missing',
      });
    },
  );
});

describe('decodeDnsParameter: unpadded, canonical base64url', () => {
  it.each([
    ['AA', [0x00]],
    ['_w', [0xff]],
    ['AAE', [0x00, 0x01]],
    ['AAAB', [0x00, 0x00, 0x01]],
    ['-_-_', [0xfb, 0xff, 0xbf]],
    ['AAECAwQ', [0, 1, 2, 3, 4]],
  ])('%s ↔ %j', (text, bytes) => {
    expect([...decodeDnsParameter(text, 4096)]).toEqual(bytes);
    expect(Buffer.from(bytes).toString('base64url')).toBe(text);
  });

  it.each([
    ['', 'dns-param-encoding'],
    ['A', 'dns-param-encoding'], // 1 mod 4: not a whole octet
    ['AAAAA', 'dns-param-encoding'],
    ['AA==', 'dns-param-encoding'], // padding
    ['AA+/', 'dns-param-encoding'], // the standard alphabet
    ['AA B', 'dns-param-encoding'],
    ['AA\u00c0', 'dns-param-encoding'],
    ['AB', 'dns-param-encoding'], // 4 unused bits not zero
    ['AAF', 'dns-param-encoding'], // 2 unused bits not zero
  ])('%j → 400 %s', (text, code) => {
    expect(refusal(() => decodeDnsParameter(text, 4096))).toMatchObject({ status: 400, code });
  });

  it('a value longer than the limit allows → 414 before anything is decoded', () => {
    expect([...decodeDnsParameter('AAAA', 3)]).toEqual([0, 0, 0]);
    expect(refusal(() => decodeDnsParameter('AAAAA', 3))).toMatchObject({
      status: 414,
      code: 'dns-param-too-long',
    });
  });
});
