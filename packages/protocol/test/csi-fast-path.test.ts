/**
 * The fast paths of CSI normalization (DESIGN §3): input already in `+digits` form skips
 * the trim, the `tel:` and separator removal and the UTF-8 count, and csiOwnerName
 * parses the apex it was given last only once. Each must give exactly what the general
 * path gives — the same CSI, owner name, error code and message — which the general
 * path is made to take here by writing the same number with a separator or a space.
 */
import { describe, expect, it } from 'vitest';
import { csiOwnerName, normalizeCsi } from '../src/csi/index.js';
import { CsiError } from '../src/errors.js';

/** The outcome of `run`: its value, or a CsiError's code and message. */
function outcome<T>(run: () => T): T | { code: string; message: string } {
  try {
    return run();
  } catch (err) {
    if (err instanceof CsiError) return { code: err.code, message: err.message };
    throw err;
  }
}

/** The same number as the general path sees it: a separator inside, spaces around. */
const slowForms = (plain: string): string[] => [
  ` ${plain} `,
  `${plain.slice(0, 2)} ${plain.slice(2)}`,
  `tel:${plain}`,
];

const PLAIN = [
  '+447700900123', // +44, a test range
  '+12025550123', // +1
  '+8005550123', // non-geographic 800
  '+4477', // shortest with a digit after the code
  '+441', // one digit after the code
  '+123456789012345', // 15 digits (the E.164 maximum)
  '+1234567890123456', // 16: too many
  '+44', // no digit after the code
  '+0123', // no code starts with 0
  '+2', // no assigned code
  '+', // no digits
  '+999123', // 999: unassigned
];

describe('normalizeCsi on +digits', () => {
  it.each(PLAIN)('%s: the same CSI or error as the general path', (plain) => {
    const fast = outcome(() => normalizeCsi(plain));
    for (const slow of slowForms(plain)) expect(outcome(() => normalizeCsi(slow))).toEqual(fast);
  });

  it('a valid one is itself, with its owner name', () => {
    expect(normalizeCsi('+447700900123')).toEqual({
      kind: 'phone',
      csi: '+447700900123',
      digits: '447700900123',
      countryCode: '44',
    });
  });

  it.each([
    ['+44', 'csi-phone-format', "'+44': no digits after the country code"],
    ['+0123', 'csi-phone-cc', "'+0123': no country code starts with 0"],
    [
      '+1234567890123456',
      'csi-phone-format',
      "'+1234567890123456': '+' must be followed by 1-15 digits 0-9 only",
    ],
  ])('%s is refused with %s', (plain, code, message) => {
    expect(outcome(() => normalizeCsi(plain))).toEqual({ code, message });
  });

  it('a name too long under a long apex is still refused', () => {
    const apex = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(40)}.`;
    const fast = outcome(() => normalizeCsi('+447700900123', { apex }));
    expect(fast).toMatchObject({ code: 'name-too-long' });
    expect(outcome(() => normalizeCsi(' +447700900123', { apex }))).toEqual(fast);
  });
});

describe('csiOwnerName, apex remembered', () => {
  const csi = normalizeCsi('+447700900123');

  it.each([
    ['mimi.arpa.', '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.'],
    ['MIMI.Arpa', '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.'],
    ['example.', '3.2.1.0.0.9.0.0.7.7.4.4.e164.example.'],
    ['.', '3.2.1.0.0.9.0.0.7.7.4.4.e164.'],
  ])('under %s, asked twice and after another apex', (apex, owner) => {
    expect(csiOwnerName(csi, apex)).toBe(owner);
    expect(csiOwnerName(csi, apex)).toBe(owner);
    csiOwnerName(csi, 'other.');
    expect(csiOwnerName(csi, apex)).toBe(owner);
  });

  it('a bad apex throws every time, and does not displace the one remembered', () => {
    expect(csiOwnerName(csi, 'mimi.arpa.')).toBe('3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.');
    const bad = 'a..b.';
    expect(() => csiOwnerName(csi, bad)).toThrow();
    expect(() => csiOwnerName(csi, bad)).toThrow();
    expect(csiOwnerName(csi, 'mimi.arpa.')).toBe('3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.');
  });
});
