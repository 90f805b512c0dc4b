/**
 * Epoch rules (DESIGN §4): "when an RRset mixes attestation epochs, only mappings of the
 * highest are used"; an unassignment with epoch N "removes every mapping with
 * attestation epoch < N: N is the first epoch that stays valid".
 */
import type { Mapping, Unassignment } from './types.js';

/** The entries whose attestation epoch is the highest present, in their original order. */
export function selectHighestEpoch<T extends { readonly att: { readonly epoch: number } }>(
  mappings: readonly T[],
): T[] {
  let highest = 0;
  for (const mapping of mappings) highest = Math.max(highest, mapping.att.epoch);
  return mappings.filter((mapping) => mapping.att.epoch === highest);
}

/** True when `unassignment` voids `mapping`: same CSI and a lower attestation epoch. */
export function unassignmentRemoves(unassignment: Unassignment, mapping: Mapping): boolean {
  return unassignment.csi === mapping.csi && mapping.att.epoch < unassignment.epoch;
}
