/**
 * CSI normalization and owner names (DESIGN §3): the shared vectors (csi.valid,
 * csi.invalid, csi.unsettled) and our own cases on every boundary.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csiOwnerName, emailLocalHash, isNormalizedCsi, normalizeCsi } from '../src/csi/index.js';
import { CsiError } from '../src/errors.js';

interface CsiVectors {
  valid: { input: string; csi: string; owner: string }[];
  invalid: { input: string; error: string; reason: string }[];
  unsettled: { input: string }[];
}
const vectors = (
  JSON.parse(readFileSync(new URL('../../../test/vectors/mimi-objects.json', import.meta.url), 'utf8')) as {
    csi: CsiVectors;
  }
).csi;

function csiError(run: () => unknown): CsiError {
  try {
    run();
  } catch (err) {
    if (err instanceof CsiError) return err;
    throw err;
  }
  throw new Error('expected a CsiError, nothing was thrown');
}

describe('csi vectors', () => {
  it.each(vectors.valid)('$input → $csi', ({ input, csi, owner }) => {
    const normalized = normalizeCsi(input);
    expect(normalized.csi).toBe(csi);
    expect(csiOwnerName(normalized)).toBe(owner);
    // Normalizing is idempotent: the result is its own normal form.
    expect(normalizeCsi(csi).csi).toBe(csi);
    expect(isNormalizedCsi(csi)).toBe(true);
  });

  it.each(vectors.invalid)('$input is refused: $error', ({ input, error, reason }) => {
    const err = csiError(() => normalizeCsi(input));
    expect(err.code).toBe(error);
    // The message names the offending text as the vector's reason does.
    const named = /'[^']*'/.exec(reason)?.[0];
    expect(err.message).toContain(named);
    expect(err.details.input).toBe(input);
  });

  it.each(vectors.unsettled)('$input (two UTS #46 readings) is refused', ({ input }) => {
    expect(csiError(() => normalizeCsi(input)).code).toBe('csi-email-idna');
  });
});

describe('phone numbers', () => {
  it.each([
    ['+14155550100', '1', '14155550100'],
    ['+33123456789', '33', '33123456789'],
    ['+212612345678', '212', '212612345678'],
    ['+80012345678', '800', '80012345678'],
    ['+97912345678', '979', '97912345678'],
    ['Tel:+1-415-555-0100', '1', '14155550100'],
    ['\n\t+44 7700 900123\r\n', '44', '447700900123'],
    ['+11', '1', '11'],
  ])('%j → country code %s, digits %s', (input, countryCode, digits) => {
    expect(normalizeCsi(input)).toEqual({ kind: 'phone', csi: `+${digits}`, digits, countryCode });
  });

  it.each([
    ['07700 900123', 'GB', '+447700900123'],
    ['07700 900123', 'gb', '+447700900123'],
    ['0044 7700 900123', 'GB', '+447700900123'],
    ['(415) 555-0100', 'US', '+14155550100'],
    ['+33 1 23 45 67 89', 'GB', '+33123456789'],
  ])('national %j with region %s → %s', (input, region, csi) => {
    expect(normalizeCsi(input, { region }).csi).toBe(csi);
  });

  it.each([
    ['+1', 'csi-phone-format', 'no digits after the country code'],
    ['+4', 'csi-phone-cc', 'no assigned country calling code'],
    ['+4\t4 7700 900123', 'csi-phone-format', "'+' must be followed"],
    ['\u00a0+447700900123', 'csi-phone-format', "must start with '+'"],
    ['+44 7700 900123 ext 1', 'csi-phone-format', "'+' must be followed"],
    ['+١٢٣٤', 'csi-phone-format', "'+' must be followed"],
    ['tel:', 'csi-phone-format', "must start with '+'"],
    ['x'.repeat(1281), 'csi-too-long', 'far over 320 octets'],
  ])('%j is refused: %s', (input, code, message) => {
    const err = csiError(() => normalizeCsi(input));
    expect(err.code).toBe(code);
    expect(err.message).toContain(message);
  });

  it.each([
    ['07700 900123', 'XX', 'csi-phone-region'],
    ['0800 FLOWERS', 'GB', 'csi-phone-format'],
    ['0', 'GB', 'csi-phone-format'],
    ['07700 900123 4567 8901', 'GB', 'csi-phone-format'],
  ])('national %j with region %s is refused: %s', (input, region, code) => {
    expect(csiError(() => normalizeCsi(input, { region })).code).toBe(code);
  });
});

describe('email addresses', () => {
  it.each([
    ['ALICE@EXAMPLE.COM', 'alice@example.com'],
    ['alice@XN--BCHER-KVA.example', 'alice@xn--bcher-kva.example'],
    ['alice@xn--tda.com', 'alice@xn--tda.com'],
    ['alice@ｅｘａｍｐｌｅ.com', 'alice@example.com'],
    ['bob@例え。テスト', 'bob@xn--r8jz45g.xn--zckzah'],
    ['İ@example.com', 'i\u0307@example.com'],
    ['a.b-c_d+e@sub.example.com', 'a.b-c_d+e@sub.example.com'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
  ])('%j → %j', (input, csi) => {
    const normalized = normalizeCsi(input);
    expect(normalized.csi).toBe(csi);
    expect(normalized.kind).toBe('email');
    expect(isNormalizedCsi(csi)).toBe(true);
  });

  it('splits local part and domain', () => {
    expect(normalizeCsi('Élodie@Bücher.example')).toEqual({
      kind: 'email',
      csi: 'élodie@xn--bcher-kva.example',
      local: 'élodie',
      domain: 'xn--bcher-kva.example',
    });
  });

  it.each([
    ['alice@xn--zca.com', 'csi-email-idna', 'decodes to a deviation'],
    ['alice@xn--3xa.gr', 'csi-email-idna', 'decodes to a deviation'],
    ['alice@οδος.gr', 'csi-email-idna', 'deviation'],
    ['alice@STRAẞE.de', 'csi-email-idna', 'deviation'],
    ['alice@a\u200db.com', 'csi-email-idna', 'deviation'],
    ['alice@a\u200cb.com', 'csi-email-idna', 'deviation'],
    ['alice@xn--zz.example', 'csi-email-idna', 'not a valid a-label'],
    ['alice@ex\u0000ample.中国', 'hostname', 'character "\\u0000" not allowed'],
    ['alice@\u05d0a.com', 'csi-email-idna', 'not convertible'],
    ['alice@\u0301a.com', 'csi-email-idna', 'not convertible'],
    ['alice@127.0.0.1', 'hostname', 'ip literal'],
    ['alice@[127.0.0.1]', 'hostname', 'ip literal'],
    ['alice@example.123', 'hostname', 'ip literal'],
    ['alice@example.0x7f', 'hostname', 'ip literal'],
    ['alice@ex%41mple.com', 'hostname', 'character "%" not allowed'],
    ['alice@bücher%2ecom', 'hostname', 'character "%" not allowed'],
    ['alice@ü.exa\uff3fmple', 'hostname', "label 'exa_mple' is not lowercase letters"],
    ['alice@ü.example\uff05', 'csi-email-idna', 'not convertible'],
    ['alice@example-.com', 'hostname', 'not lowercase letters'],
    ['alice@.example.com', 'hostname', 'empty label'],
    [`alice@${'a.'.repeat(126)}com`, 'hostname', 'longer than 253'],
    [`${'a'.repeat(65)}@example.com`, 'csi-email-local', '1-64 octets'],
    [`${'é'.repeat(33)}@example.com`, 'csi-email-local', '1-64 octets'],
    ['a\tb@example.com', 'csi-email-local', 'whitespace'],
    ['a\u0001b@example.com', 'csi-email-local', 'control'],
    ['a\\b@example.com', 'csi-email-local', 'backslash'],
    ['a\u00a0b@example.com', 'csi-email-local', 'whitespace'],
    ['a\ud800@example.com', 'csi-email-format', 'lone surrogate'],
    ['alice＠example.com', 'csi-phone-format', "must start with '+'"],
  ])('%j is refused: %s', (input, code, message) => {
    const err = csiError(() => normalizeCsi(input));
    expect(err.code).toBe(code);
    expect(err.message).toContain(message);
  });

  it('refuses an owner name over 255 octets under a longer apex only', () => {
    const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(50)}.com`;
    expect(normalizeCsi(`alice@${domain}`).csi).toBe(`alice@${domain}`);
    const err = csiError(() => normalizeCsi(`alice@${domain}`, { apex: `${'x'.repeat(20)}.example.` }));
    expect(err.code).toBe('name-too-long');
    expect(err.message).toContain(`'alice@${domain}'`);
  });

  it('a normalized CSI is not re-normalized from another form', () => {
    expect(isNormalizedCsi('Alice@example.com')).toBe(false);
    expect(isNormalizedCsi(' +447700900123')).toBe(false);
    expect(isNormalizedCsi('tel:+447700900123')).toBe(false);
    expect(isNormalizedCsi('+0447700900123')).toBe(false);
  });
});

describe('owner names', () => {
  it.each([
    ['+447700900123', 'mimi.arpa.', '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.'],
    ['+447700900123', 'MIMI.example', '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.example.'],
    ['+11', '.', '1.1.e164.'],
    [
      'alice@example.com',
      'test.',
      '2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db.example.com.email.test.',
    ],
  ])('%s under %s → %s', (input, apex, owner) => {
    expect(csiOwnerName(normalizeCsi(input), apex)).toBe(owner);
  });

  it('hashes the UTF-8 of the normalized local part (RFC 7929 §3, 28 octets)', () => {
    expect(emailLocalHash('alice')).toBe('2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db');
    expect(emailLocalHash('amélie')).toHaveLength(56);
    expect(emailLocalHash('amélie')).not.toBe(emailLocalHash('ame\u0301lie'));
  });
});

describe('csi fuzzing', () => {
  /** mulberry32 with a fixed seed: the same strings on every run. */
  function prng(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const pick = (random: () => number, list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  const phoneStart = ['+44', '+1', '+33', '+800', '+', 'tel:+44', 'TEL:+1', '', '+0', '+999'];
  const phoneTokens = ['1', '4', '0', '9', '7700', ' ', '-', '.', '(', ')', '\t', '１', 'a'];
  const localTokens = [
    'a',
    'Bob',
    'é',
    'e\u0301',
    'İ',
    'Σ',
    '+',
    '.',
    '_',
    '"',
    '\\',
    '\u0000',
    '\ud800',
    '\u00a0',
    ' ',
  ];
  const domainTokens = [
    'example',
    '.com',
    '.',
    'ß',
    'ς',
    '\u200d',
    'xn--',
    'xn--zca',
    'xn--bcher-kva',
    '例え',
    '。',
    '-',
    '_',
    '%41',
    '[',
    ':',
    'ｅ',
    '１',
    '123',
    '@',
  ];
  const make = (random: () => number, start: string, list: readonly string[], count: number) =>
    start + Array.from({ length: count }, () => pick(random, list)).join('');

  it('returns an idempotent CSI with an owner name, or throws CsiError', () => {
    const random = prng(0xc5_1001);
    let accepted = 0;
    for (let round = 0; round < 5000; round++) {
      const count = 1 + Math.floor(random() * 8);
      const input =
        random() < 0.5
          ? make(random, pick(random, phoneStart), phoneTokens, count)
          : `${make(random, '', localTokens, count)}@${make(random, '', domainTokens, 1 + Math.floor(random() * 4))}`;
      let csi: ReturnType<typeof normalizeCsi> | undefined;
      try {
        csi = normalizeCsi(input);
      } catch (err) {
        if (!(err instanceof CsiError))
          throw new Error(`non-CsiError for ${JSON.stringify(input)}`, { cause: err });
        continue;
      }
      accepted++;
      expect(normalizeCsi(csi.csi)).toEqual(csi);
      expect(csiOwnerName(csi)).toMatch(/\.(e164|email)\.mimi\.arpa\.$/);
    }
    expect(accepted).toBeGreaterThan(400);
  });
});
