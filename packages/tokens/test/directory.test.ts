/** RFC 9578 §4 issuer directory: value ↔ JSON both ways, and every malformed field refused by name. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64UrlLoose,
  type IssuerDirectory,
  parseDirectory,
  preferredKey,
  serializeDirectory,
} from '../src/directory.js';
import { freshnessSeconds } from '../src/directory-source.js';
import { TokenError } from '../src/errors.js';
import { decodeTokenKey, encodeTokenKey } from '../src/token-key.js';
import { makeKey } from './helpers.js';

const DIR_URL = 'https://issuer.test:8443/.well-known/private-token-issuer-directory';
const a = makeKey(1_767_225_600);
const b = makeKey(1_767_222_000);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function listing(): string {
  return serializeDirectory({
    issuerRequestUri: '/token-request',
    keys: [
      { encoded: a.key.encoded, notBefore: 1_767_225_600 },
      { encoded: b.key.encoded, notBefore: 1_767_222_000 },
    ],
  });
}

describe('directory serialization', () => {
  it('writes the RFC 9578 §4 members, token-key padded base64url', () => {
    const json = JSON.parse(listing());
    expect(Object.keys(json)).toEqual(['issuer-request-uri', 'token-keys']);
    expect(json['issuer-request-uri']).toBe('/token-request');
    expect(json['token-keys'][0]).toEqual({
      'token-type': 2,
      'token-key': Buffer.from(a.key.encoded).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
      'not-before': 1_767_225_600,
    });
  });

  it('pads token-key as RFC 9578 §4 asks when the length is not a multiple of 3', () => {
    const json = JSON.parse(
      serializeDirectory({ issuerRequestUri: '/r', keys: [{ encoded: new Uint8Array([0xfb, 0xff, 1, 2]) }] }),
    );
    expect(json['token-keys'][0]).toEqual({ 'token-type': 2, 'token-key': '-_8BAg==' });
  });

  it('parses back what it wrote: keys, order, not-before, resolved request uri', () => {
    const parsed = parseDirectory(listing(), DIR_URL);
    expect(parsed.issuerRequestUri).toBe('https://issuer.test:8443/token-request');
    expect(parsed.keys.map((k) => Buffer.from(k.id).toString('hex'))).toEqual([
      Buffer.from(a.key.id).toString('hex'),
      Buffer.from(b.key.id).toString('hex'),
    ]);
    expect(parsed.keys.map((k) => k.notBefore)).toEqual([1_767_225_600, 1_767_222_000]);
  });

  it('accepts unpadded token-key, no not-before, an absolute uri, and skips other token types', () => {
    const text = JSON.stringify({
      'issuer-request-uri': 'https://other.test/issue',
      'token-keys': [
        { 'token-type': 1, 'token-key': 'AAAA' },
        { 'token-type': 2, 'token-key': b64(a.key.encoded) },
      ],
      'future-member': true,
    });
    const parsed = parseDirectory(text, DIR_URL);
    expect(parsed.issuerRequestUri).toBe('https://other.test/issue');
    expect(parsed.keys).toHaveLength(1);
    expect(parsed.keys[0]!.notBefore).toBeNull();
  });
});

describe('directory refusals (directory-invalid, naming the member)', () => {
  const good = b64(a.key.encoded);
  const rsaEncryptionSpki = b64(
    new Uint8Array(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' }),
    ),
  );
  const smallKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
  const cases: [string, string, RegExp][] = [
    ['not json', '{', /not json/],
    ['an array', '[]', /not a json object/],
    [
      'no request uri',
      JSON.stringify({ 'token-keys': [] }),
      /'issuer-request-uri' must be a non-empty string/,
    ],
    [
      'http request uri',
      JSON.stringify({ 'issuer-request-uri': 'http://x.test/r', 'token-keys': [] }),
      /'issuer-request-uri' http:\/\/x\.test\/r is not https/,
    ],
    [
      'token-keys not an array',
      JSON.stringify({ 'issuer-request-uri': '/r', 'token-keys': {} }),
      /'token-keys' must be an array/,
    ],
    [
      'no type-2 key',
      JSON.stringify({ 'issuer-request-uri': '/r', 'token-keys': [] }),
      /no token key of type 2/,
    ],
    [
      'entry not an object',
      JSON.stringify({ 'issuer-request-uri': '/r', 'token-keys': [7] }),
      /token-keys\[0\] is not an object/,
    ],
    [
      'token-type out of range',
      JSON.stringify({
        'issuer-request-uri': '/r',
        'token-keys': [{ 'token-type': 70000, 'token-key': good }],
      }),
      /token-keys\[0\]\.token-type must be an integer/,
    ],
    [
      'negative not-before',
      JSON.stringify({
        'issuer-request-uri': '/r',
        'token-keys': [{ 'token-type': 2, 'token-key': good, 'not-before': -1 }],
      }),
      /token-keys\[0\]\.not-before must be a non-negative integer/,
    ],
    [
      'token-key not base64url',
      JSON.stringify({
        'issuer-request-uri': '/r',
        'token-keys': [{ 'token-type': 2, 'token-key': 'ab+/' }],
      }),
      /token-keys\[0\]\.token-key is not base64url/,
    ],
    [
      'rsaEncryption spki instead of rsassa-pss',
      JSON.stringify({
        'issuer-request-uri': '/r',
        'token-keys': [{ 'token-type': 2, 'token-key': rsaEncryptionSpki }],
      }),
      /token-keys\[0\]\.token-key: token key is not the rfc 9578 rsassa-pss encoding/,
    ],
    [
      'garbage der',
      JSON.stringify({
        'issuer-request-uri': '/r',
        'token-keys': [{ 'token-type': 2, 'token-key': 'AAECAw' }],
      }),
      /token-keys\[0\]\.token-key: token key is not a der subjectpublickeyinfo/,
    ],
  ];

  it.each(cases)('%s', (_name, text, message) => {
    let caught: unknown;
    try {
      parseDirectory(text, DIR_URL);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TokenError);
    expect((caught as TokenError).code).toBe('directory-invalid');
    expect((caught as TokenError).message).toMatch(message);
  });

  it('refuses a 1024-bit issuer key (token-key-invalid)', () => {
    expect(() => encodeTokenKey(smallKey)).toThrow(/2048-bit modulus, got 1024/);
  });

  it('refuses a key whose re-encoding differs (extra octet after the spki)', () => {
    const longer = new Uint8Array([...a.key.encoded, 0]);
    expect(() => decodeTokenKey(longer)).toThrow(TokenError);
  });
});

describe('RFC 9578 §4 key choice', () => {
  const directory: IssuerDirectory = {
    issuerRequestUri: 'https://i.test/r',
    keys: [makeKey(2_000).key, makeKey(1_000).key, makeKey(null).key],
  };
  it.each([
    [2_500_000, 0],
    [1_500_000, 1],
    [500_000, 2],
  ])('at %i ms the first key already valid is #%i', (now, index) => {
    expect(preferredKey(directory, now)).toBe(directory.keys[index]);
  });
});

describe('base64url, padded or not', () => {
  it.each([
    ['', []],
    ['AA', [0]],
    ['AA==', [0]],
    ['AAE', [0, 1]],
    ['AAE=', [0, 1]],
    ['-_8', [0xfb, 0xff]],
  ])('%j decodes', (text, bytes) => {
    expect(Array.from(decodeBase64UrlLoose(text) ?? [99])).toEqual(bytes);
  });
  it.each(['A', 'AA=', 'AAA==', 'AB', '+/8', 'AA=A', ' AA'])('%j is refused', (text) => {
    expect(decodeBase64UrlLoose(text)).toBeNull();
  });
});

describe('RFC 9111 freshness of the directory', () => {
  it.each([
    [undefined, 300],
    ['max-age=60', 60],
    ['public, max-age=3599', 3599],
    ['max-age="120"', 120],
    ['max-age=0', 1],
    ['no-store', 1],
    ['max-age=99999999', 86_400],
    ['s-maxage=5', 300],
  ])('%j gives %i s', (header, seconds) => {
    expect(freshnessSeconds(header)).toBe(seconds);
  });
});
