/**
 * Numbers of the stub-resolver benchmark (bench/resolver.mjs), pure: latency summaries
 * (median and p95 by the nearest-rank method), rates, and the target:
 *
 *   bulk verified resolutions/s ≥ 0.70 × (Ed25519 verifies/s ÷ 3)
 *
 * "with delegations and CSIP keys cached, a new CSI needs three verifies: the RRSIG over
 * its MSPMAP RRset, the attestation and the recipient signature".
 */

/** Verifies a new CSI costs once delegations and CSIP keys are cached (the issue). */
export const VERIFIES_PER_RESOLUTION = 3;
/** The issue: "bulk verified resolutions/s ≥ 70% of (Ed25519 verifies/s ÷ 3)". */
export const TARGET_RATIO = 0.7;

/**
 * The p-th percentile (0 < p ≤ 100) of `values` by nearest rank: the smallest value
 * with at least p% of the values at or below it. No interpolation, so every reported
 * latency is one that was measured.
 */
export function percentile(values, p) {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1];
}

/** `{n, min, median, p95, max}` of latencies in milliseconds. */
export function summarize(values) {
  return {
    n: values.length,
    min: Math.min(...values),
    median: percentile(values, 50),
    p95: percentile(values, 95),
    max: Math.max(...values),
  };
}

/** Events per second; `count` events in `ms` milliseconds. */
export function perSecond(count, ms) {
  if (!(ms > 0)) throw new RangeError(`elapsed time ${ms} ms is not positive`);
  return (count * 1000) / ms;
}

/**
 * The yardstick for one bulk rate: the ratio to (verifies/s ÷ 3) and whether it
 * reaches TARGET_RATIO.
 */
export function judge(resolutionsPerSecond, verifiesPerSecond) {
  const ceiling = verifiesPerSecond / VERIFIES_PER_RESOLUTION;
  const ratio = resolutionsPerSecond / ceiling;
  return { ceiling, ratio, met: ratio >= TARGET_RATIO };
}

/** Count results by status: `{found: 9998, bogus: 2}`. */
export function countStatuses(results) {
  const counts = {};
  for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return counts;
}

/** The first result that is not `found`, with its position, or undefined. */
export function firstNotFound(results) {
  const index = results.findIndex((result) => result?.status !== 'found');
  return index === -1 ? undefined : { index, result: results[index] };
}

/** A plain-text table: the first row is the header; columns padded, numbers right-aligned. */
export function formatTable(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  const line = (row) =>
    row
      .map((cell, column) =>
        typeof cell === 'number'
          ? String(cell).padStart(widths[column])
          : String(cell).padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

/** A number rounded for a table: `digits` decimals. */
export function round(value, digits = 0) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
