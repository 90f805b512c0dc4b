/**
 * The query mix sent to every server, drawn from the data set's owner names with a
 * seeded generator so each run (and each server) gets the same queries in the same order.
 *
 *   50 %  MSPMAP (TYPE65280) at a mapped CSI    positive answer: one mapping + RRSIG
 *   30 %  NAPTR at a mapped CSI                 positive answer: the ENUM view + RRSIG
 *   10 %  MSPMAP at an unmapped CSI             missing name (peers: NXDOMAIN + NSECs;
 *                                               ours: compact denial, DESIGN §5)
 *   10 %  TXT at a mapped CSI                   NODATA (name exists, type does not)
 */
import { RRType } from '@mimi/protocol';
import { BenchError } from '../errors.mjs';

export const QUERY_MIX = Object.freeze([
  { label: 'MSPMAP at a mapped CSI', weight: 50, from: 'mapped', type: RRType.MSPMAP },
  { label: 'NAPTR at a mapped CSI', weight: 30, from: 'mapped', type: RRType.NAPTR },
  { label: 'MSPMAP at an unmapped CSI (missing name)', weight: 10, from: 'missing', type: RRType.MSPMAP },
  { label: 'TXT at a mapped CSI (NODATA)', weight: 10, from: 'mapped', type: RRType.TXT },
]);

/** FNV-1a of the seed text: a 32-bit start for the generator below. */
function seedWord(seed) {
  let hash = 0x811c9dc5;
  for (const char of String(seed)) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** mulberry32: small, fast, good enough to shuffle a benchmark (not for secrets). */
export function seededRandom(seed) {
  let state = seedWord(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The entry whose share of the total weight `point` falls in. */
function pickWeighted(mix, point) {
  let left = point;
  for (const entry of mix) {
    left -= entry.weight;
    if (left < 0) return entry;
  }
  return mix[mix.length - 1];
}

/**
 * `count` questions `{name, type}` following `mix`, names drawn uniformly from
 * `owners.mapped` / `owners.missing`.
 */
export function buildQuestions({ owners, count, seed, mix = QUERY_MIX }) {
  if (!Number.isInteger(count) || count < 1) {
    throw new BenchError('bad-count', `query count ${count} is not a positive integer`);
  }
  const total = mix.reduce((sum, entry) => sum + entry.weight, 0);
  if (!(total > 0)) throw new BenchError('bad-mix', 'query mix has no positive weight');
  for (const entry of mix) {
    if (!owners[entry.from]?.length) {
      throw new BenchError(
        'bad-mix',
        `query mix entry '${entry.label}' draws from empty set '${entry.from}'`,
      );
    }
  }
  const random = seededRandom(seed);
  const questions = [];
  for (let i = 0; i < count; i++) {
    const entry = pickWeighted(mix, random() * total);
    const names = owners[entry.from];
    questions.push({ name: names[Math.floor(random() * names.length)], type: entry.type });
  }
  return questions;
}

/** How many questions of each mix entry a list holds (for the report). */
export function describeMix(questions, owners, mix = QUERY_MIX) {
  const missing = new Set(owners.missing);
  return mix.map((entry) => ({
    label: entry.label,
    weight: entry.weight,
    count: questions.filter(
      (q) => q.type === entry.type && missing.has(q.name) === (entry.from === 'missing'),
    ).length,
  }));
}
