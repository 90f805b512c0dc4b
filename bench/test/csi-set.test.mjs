import { describe, expect, it } from 'vitest';
import { benchCsi, benchOwner, benchOwners, MAX_MAPPINGS } from '../lib/data/csi-set.mjs';

describe('benchmark CSIs', () => {
  it.each([
    // n, i, missing, csi, owner name (DESIGN §3: digits reversed under e164.)
    [100_000, 0, false, '+447700000000', '0.0.0.0.0.0.0.0.7.7.4.4.e164.mimi.arpa.'],
    [100_000, 1, false, '+447700000010', '0.1.0.0.0.0.0.0.7.7.4.4.e164.mimi.arpa.'],
    [100_000, 1, true, '+447700000015', '5.1.0.0.0.0.0.0.7.7.4.4.e164.mimi.arpa.'],
    [100_000, 99_999, false, '+447700999990', '0.9.9.9.9.9.0.0.7.7.4.4.e164.mimi.arpa.'],
    [3, 2, false, '+447700666666', '6.6.6.6.6.6.0.0.7.7.4.4.e164.mimi.arpa.'],
    [3, 2, true, '+447700833332', '2.3.3.3.3.8.0.0.7.7.4.4.e164.mimi.arpa.'],
    [MAX_MAPPINGS, MAX_MAPPINGS - 1, true, '+447700999999', '9.9.9.9.9.9.0.0.7.7.4.4.e164.mimi.arpa.'],
  ])('n=%i i=%i missing=%s is %s at %s', (n, i, missing, csi, owner) => {
    expect(benchCsi(n, i, missing)).toBe(csi);
    expect(benchOwner(csi)).toBe(owner);
  });

  it('never gives a mapped and an unmapped CSI the same number', () => {
    for (const n of [1, 2, 7, 1000]) {
      const { mapped, missing } = benchOwners(n);
      expect(new Set([...mapped, ...missing]).size).toBe(2 * n);
    }
  });

  it.each([
    [0, 0, 'bad-count', 'mapping count 0'],
    [MAX_MAPPINGS + 1, 0, 'bad-count', `mapping count ${MAX_MAPPINGS + 1}`],
    [1.5, 0, 'bad-count', 'mapping count 1.5'],
    [10, -1, 'bad-index', 'csi index -1'],
    [10, 10, 'bad-index', 'csi index 10 is outside 0..9'],
  ])('refuses n=%s i=%s with %s', (n, i, code, message) => {
    expect(() => benchCsi(n, i)).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });
});
