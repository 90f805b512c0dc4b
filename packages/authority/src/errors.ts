/**
 * Errors of the authority layer. DNS outcomes (referral, NODATA, missing name) are
 * lookup results, never exceptions; these are for things an operator or a publisher
 * must fix, each with a stable `code` (DESIGN §4 codes for the mapping store).
 */
import { MimiError } from '@mimi/errors';

/**
 * A zone (or overlay) file that cannot be served as it is. `details.file` and
 * `details.owner` name the file and the owner name at fault (owner may be absent when
 * the problem is the file as a whole).
 */
export class ZoneLoadError extends MimiError {
  constructor(
    code: string,
    message: string,
    file: string,
    owner?: string,
    options: { cause?: unknown } = {},
  ) {
    const where = owner === undefined ? file : `${file}: ${owner}`;
    super(code, `${where}: ${message}`, {
      ...options,
      details: owner === undefined ? { file } : { file, owner },
    });
  }
}

/**
 * A publish or removal the mapping store refuses under the DP state rules (DESIGN §4):
 * `stale-serial`, `stale-epoch`, `too-many-mappings`, `csi-budget`, `not-authorized`,
 * or `malformed` for an object that does not decode.
 */
export class MappingStoreError extends MimiError {}
