/**
 * The plan of a privacy benchmark run, pure: which CSIs each (round, mode) measures,
 * which DP each CSI is published to, the order of the modes in each round (rotated, so
 * no mode always runs first or last on a shared machine), and which process plays which
 * role for a mode (privacy-network.mjs).
 *
 * Every run gets CSIs of its own, so every mode meets a DP whose answer cache has none
 * of them (each answer signed online) — the same for all modes, and what a lookup of a
 * CSI nobody asked recently costs. One primer per DP warms a resolver's delegations.
 */
import { benchCsi } from './resolver-publish.mjs';

export const MODES = ['direct', 'relay', 'relay-tokens'];

/** The processes a mode's queries pass (names of privacy-network.mjs `sides`). */
export const ROLES = {
  direct: { relay: null, dp: 'open', root: 'root', issuer: null },
  relay: { relay: 'relay-open', dp: 'open', root: 'root', issuer: null },
  'relay-tokens': { relay: 'relay', dp: 'tel', root: 'root', issuer: 'issuer' },
};

/** `modes` rotated left by `round` places. */
export function roundOrder(round, modes = MODES) {
  const shift = round % modes.length;
  return [...modes.slice(shift), ...modes.slice(0, shift)];
}

/** `total` split over `rounds` as evenly as possible, earlier rounds taking the remainder. */
export function share(total, rounds, round) {
  return Math.floor(total / rounds) + (round < total % rounds ? 1 : 0);
}

/**
 * {primers: {tel, open}, runs: [{round, mode, cold, fresh, warm, bulk}], publish: {tel, open}}
 * for `rounds` rounds of every mode; cold/fresh/warm are totals per mode over the rounds,
 * `csis` the bulk set of each run.
 */
export function planRun({ rounds, csis, cold, fresh, warm, modes = MODES }) {
  let next = 0;
  const take = (count) => Array.from({ length: count }, () => benchCsi(next++));
  const primers = { tel: take(1)[0], open: take(1)[0] };
  const publish = { tel: [primers.tel], open: [primers.open] };
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    for (const mode of roundOrder(round, modes)) {
      const run = {
        round,
        mode,
        cold: take(share(cold, rounds, round)),
        fresh: take(share(fresh, rounds, round)),
        warm: take(share(warm, rounds, round)),
        bulk: take(csis),
      };
      publish[ROLES[mode].dp].push(...run.cold, ...run.fresh, ...run.warm, ...run.bulk);
      runs.push(run);
    }
  }
  return { primers, runs, publish };
}
