/**
 * What `mimi remove` signs (DESIGN §4): a removal `{v:1, csi, rk, ids | all, serial, iat}`
 * by the recipient ("exactly one of `ids`, `all`"), or an unassignment `{v:1, csi, csip,
 * epoch, iat}` by the CSIP, which "removes every mapping whose attestation epoch is lower".
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyOf } from '@mimi/crypto';
import { type SignedResult, signRemoval, signUnassignment } from '@mimi/protocol';
import { CliError } from '../errors.js';

/** DESIGN §4: "`ids` 1–16 distinct". */
export const MAX_REMOVAL_IDS = 16;

export interface RemovalRequest {
  readonly key: KeyObject;
  /** Normalized. */
  readonly csi: string;
  /** The mapping ids to remove, or `all`. */
  readonly target: { readonly ids: readonly string[] } | { readonly all: true };
  readonly serial: number;
  /** Unix seconds. */
  readonly now: number;
}

export interface UnassignmentRequest {
  readonly csipKey: KeyObject;
  readonly csipId: string;
  /** Normalized. */
  readonly csi: string;
  /** The first epoch that stays valid. */
  readonly epoch: number;
  /** Unix seconds. */
  readonly now: number;
}

function checkIds(ids: readonly string[]): void {
  if (ids.length === 0 || ids.length > MAX_REMOVAL_IDS) {
    throw new CliError('bad-option', `--id given ${ids.length} times, must be 1-${MAX_REMOVAL_IDS}`, {
      details: { option: 'id' },
    });
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id))
      throw new CliError('bad-option', `--id '${id}' given twice`, { details: { option: 'id' } });
    seen.add(id);
  }
}

export function buildRemoval(request: RemovalRequest): SignedResult<'removal'> {
  const { target } = request;
  if ('ids' in target) checkIds(target.ids);
  return signRemoval(
    {
      v: 1,
      csi: request.csi,
      rk: publicKeyOf(request.key),
      ...('ids' in target ? { ids: [...target.ids] } : { all: true as const }),
      serial: request.serial,
      iat: request.now,
    },
    request.key,
  );
}

export function buildUnassignment(request: UnassignmentRequest): SignedResult<'unassignment'> {
  return signUnassignment(
    { v: 1, csi: request.csi, csip: request.csipId, epoch: request.epoch, iat: request.now },
    request.csipKey,
  );
}
