/**
 * The benchmark's CSIs (DESIGN §3 names): N mapped numbers `+447700xxxxxx` spread
 * evenly over the 10^6 numbers of the +44 7700 block, and as many unmapped numbers
 * between them (in the zone, but with no mapping: the "missing name" queries).
 *
 * Deterministic and pure, so the data set, the query files and the tests agree.
 */
import { csiOwnerName, normalizeCsi } from '@mimi/protocol';
import { BenchError } from '../errors.mjs';

/** The number block the data lives in (+44 7700 xxxxxx, inside `4.4.e164.mimi.arpa.`). */
export const CSI_PREFIX = '+447700';
/** Six free digits after the prefix. */
const BLOCK_SIZE = 1_000_000;

/**
 * Mapped numbers sit `step` apart and each unmapped one half a step after a mapped
 * one, so the two sets never meet: a step of at least 2 is needed.
 */
export const MAX_MAPPINGS = BLOCK_SIZE / 2;

/** The i-th mapped (or, with `missing`, unmapped) CSI of a set of `n`. */
export function benchCsi(n, i, missing = false) {
  if (!Number.isInteger(n) || n < 1 || n > MAX_MAPPINGS) {
    throw new BenchError('bad-count', `mapping count ${n} is not an integer from 1 to ${MAX_MAPPINGS}`);
  }
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new BenchError('bad-index', `csi index ${i} is outside 0..${n - 1}`);
  }
  const step = Math.floor(BLOCK_SIZE / n);
  const number = i * step + (missing ? Math.floor(step / 2) : 0);
  return `${CSI_PREFIX}${String(number).padStart(6, '0')}`;
}

/** Owner name of a benchmark CSI (normalized first, as every program does). */
export function benchOwner(csi) {
  return csiOwnerName(normalizeCsi(csi));
}

/** Owner names of the n mapped and n unmapped CSIs. */
export function benchOwners(n) {
  const mapped = [];
  const missing = [];
  for (let i = 0; i < n; i++) {
    mapped.push(benchOwner(benchCsi(n, i)));
    missing.push(benchOwner(benchCsi(n, i, true)));
  }
  return { mapped, missing };
}
