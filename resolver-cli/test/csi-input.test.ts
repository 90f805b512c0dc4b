/**
 * CSIs for `resolve` (DESIGN §8): contact files (one a line, blank lines and `#`
 * comments skipped) and normalization of every input before any lookup, the first bad
 * one named with its file and line (DESIGN §3: "a clear error naming the input").
 */
import { describe, expect, it } from 'vitest';
import { csiLines, normalizeAll } from '../src/csi-input.js';
import { CliError } from '../src/errors.js';

function refusal(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('csiLines', () => {
  it('skips blank lines and # comments, trims, and keeps line numbers', () => {
    const text =
      '# my contacts\n+44 7700 900123\n\n   \nalice@example.com  \r\n  # old: bob@example.com\n+14155550100';
    expect(csiLines(text, 'contacts.txt')).toEqual([
      { text: '+44 7700 900123', source: 'contacts.txt', line: 2 },
      { text: 'alice@example.com', source: 'contacts.txt', line: 5 },
      { text: '+14155550100', source: 'contacts.txt', line: 7 },
    ]);
  });
  it('an empty file has no CSI', () => {
    expect(csiLines('', 'empty.txt')).toEqual([]);
    expect(csiLines('\n# nothing\n', 'empty.txt')).toEqual([]);
  });
});

describe('normalizeAll', () => {
  it('normalizes every input, in order', () => {
    expect(
      normalizeAll(
        [{ text: '+44 7700 900123' }, { text: 'tel:+1-415-555-0100' }, { text: 'Alice@Example.COM' }],
        {},
      ),
    ).toEqual(['+447700900123', '+14155550100', 'alice@example.com']);
  });

  it('national formats only with a region (DESIGN §3)', () => {
    expect(normalizeAll([{ text: '07700 900123' }], { region: 'GB' })).toEqual(['+447700900123']);
    expect(refusal(() => normalizeAll([{ text: '07700 900123' }], {})).code).toBe('invalid-csi');
  });

  it.each([
    ['bob@', "invalid CSI 'bob@': domain '': not a host name", 'hostname'],
    ['not-a-csi', "invalid CSI 'not-a-csi': 'notacsi': E.164 number must start with '+'", 'csi-phone-format'],
    ['+999', "invalid CSI '+999': no assigned country calling code", 'csi-phone-cc'],
    ['+44', "invalid CSI '+44': no digits after the country code", 'csi-phone-format'],
    [`${'a'.repeat(300)}@example.com`, 'local part must be 1-64 octets', 'csi-email-local'],
  ])('%j is refused, named, with the reason code', (text, message, reason) => {
    const err = refusal(() => normalizeAll([{ text: '+447700900123' }, { text }], {}));
    expect(err.code).toBe('invalid-csi');
    expect(err.message).toContain(message);
    expect(err.details).toMatchObject({ input: text, reason });
  });

  it('names the file and line of the first bad CSI, and counts the others', () => {
    const inputs = csiLines('+447700900123\nbob@\n+999\n+44\n', 'contacts.txt');
    const err = refusal(() => normalizeAll(inputs, {}));
    expect(err.message).toMatch(/^contacts\.txt:2: invalid CSI 'bob@': .* \(and 2 more invalid\)$/);
    expect(err.details).toMatchObject({ line: 2 });
  });
});
