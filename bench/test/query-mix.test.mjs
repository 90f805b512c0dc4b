import { RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { buildQuestions, describeMix, QUERY_MIX, seededRandom } from '../lib/data/query-mix.mjs';

const owners = {
  mapped: ['a.mimi.arpa.', 'b.mimi.arpa.', 'c.mimi.arpa.'],
  missing: ['x.mimi.arpa.', 'y.mimi.arpa.'],
};

describe('query mix', () => {
  it('is the same for the same seed and differs for another', () => {
    const one = buildQuestions({ owners, count: 200, seed: 's1' });
    expect(buildQuestions({ owners, count: 200, seed: 's1' })).toEqual(one);
    expect(buildQuestions({ owners, count: 200, seed: 's2' })).not.toEqual(one);
  });

  it('draws values in [0, 1)', () => {
    const random = seededRandom('x');
    const values = Array.from({ length: 10_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('follows the weights and draws each kind from its own set', () => {
    const questions = buildQuestions({ owners, count: 20_000, seed: 'mix' });
    const mix = describeMix(questions, owners);
    expect(mix.map((m) => m.label)).toEqual(QUERY_MIX.map((m) => m.label));
    expect(mix.reduce((sum, m) => sum + m.count, 0)).toBe(20_000);
    for (const m of mix) expect(Math.abs(m.count / 20_000 - m.weight / 100)).toBeLessThan(0.02);
    for (const q of questions) {
      const fromMissing = owners.missing.includes(q.name);
      expect(fromMissing ? q.type : RRType.MSPMAP).toBe(RRType.MSPMAP);
      expect(fromMissing || owners.mapped.includes(q.name)).toBe(true);
    }
  });

  it.each([
    [{ owners, count: 0, seed: 's' }, 'bad-count', 'query count 0'],
    [{ owners, count: 1.5, seed: 's' }, 'bad-count', 'query count 1.5'],
    [
      { owners: { mapped: owners.mapped, missing: [] }, count: 1, seed: 's' },
      'bad-mix',
      "empty set 'missing'",
    ],
    [{ owners, count: 1, seed: 's', mix: [{ ...QUERY_MIX[0], weight: 0 }] }, 'bad-mix', 'no positive weight'],
  ])('refuses bad input (%#)', (input, code, message) => {
    expect(() => buildQuestions(input)).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });
});
