/**
 * What the management API checks before the store sees an object (DESIGN §4: "Checks
 * run cheapest first: size, decode, zone, then signatures, then state"):
 *
 * 1. decode — `POST /v1/mappings` takes a mapping; `POST /v1/removals` a removal or an
 *    unassignment, told apart by the object itself (an unassignment names its `csip`,
 *    a removal its `rk`), then decoded strictly (the decoder enforces the 4,096 octets);
 * 2. zone — the CSI's owner name must be in a zone this DP is authoritative for (404);
 * 3. signatures — a mapping's attestation under a DNSSEC-validated CSIP key whose scope
 *    covers the CSI, both unexpired, and the mapping under the attested recipient key;
 *    a removal under its own `rk`; an unassignment under a covering CSIP key.
 *
 * Whether a removal's key may remove anything, serials and epochs are state: the store.
 */
import { isMimiError } from '@mimi/errors';
import {
  type CsipKeyRecord,
  csiOwnerName,
  decodeObject,
  MAX_OBJECT_OCTETS,
  type Mapping,
  normalizeCsi,
  ObjectError,
  type Removal,
  readCbor,
  type Unassignment,
  verifyMapping,
  verifyRemoval,
  verifyUnassignment,
} from '@mimi/protocol';
import { apiCodeForObjectError, apiError } from './api-errors.js';

export type Endpoint = 'mappings' | 'removals';

export type Submission =
  | { readonly kind: 'mapping'; readonly bytes: Uint8Array; readonly object: Mapping }
  | { readonly kind: 'removal'; readonly bytes: Uint8Array; readonly object: Removal }
  | { readonly kind: 'unassignment'; readonly bytes: Uint8Array; readonly object: Unassignment };

export interface SubmissionContext {
  /** Unix seconds. */
  readonly now: number;
  /** Apex of the discovery network (DESIGN §3), for owner names. */
  readonly apex: string;
  /** True when a served zone holds this owner name (not below one of its cuts). */
  readonly isServed: (owner: string) => boolean;
  /** Validated CSIPKEY records of a CSIP id. */
  readonly csipKeys: (csipId: string) => Promise<CsipKeyRecord[]>;
}

/** An ObjectError as the API's refusal; anything else passes through unchanged. */
function refusal(err: unknown): unknown {
  if (err instanceof ObjectError)
    return apiError(apiCodeForObjectError(err.code), err.message, { cause: err });
  return err;
}

/** Which object a removals request carries: a CBOR map with `csip` is an unassignment. */
function removalKind(bytes: Uint8Array): 'removal' | 'unassignment' {
  // Too large to peek at: the decoder refuses it with its own message.
  if (bytes.length > MAX_OBJECT_OCTETS) return 'removal';
  const value = readCbor(bytes);
  return value instanceof Map && value.has('csip') ? 'unassignment' : 'removal';
}

/** Step 1: decode strictly (400 `malformed`). */
export function decodeSubmission(endpoint: Endpoint, bytes: Uint8Array): Submission {
  try {
    if (endpoint === 'mappings') return { kind: 'mapping', bytes, object: decodeObject('mapping', bytes) };
    const kind = removalKind(bytes);
    return kind === 'unassignment'
      ? { kind, bytes, object: decodeObject('unassignment', bytes) }
      : { kind, bytes, object: decodeObject('removal', bytes) };
  } catch (err) {
    if (err instanceof ObjectError) {
      throw apiError('malformed', `${endpoint === 'mappings' ? 'mapping' : 'removal'}: ${err.message}`, {
        cause: err,
      });
    }
    throw err;
  }
}

/** Step 2: the owner name of the object's CSI, which this DP must serve (404 `not-served-here`). */
export function checkServed(submission: Submission, context: SubmissionContext): string {
  const csi = submission.object.csi;
  let owner: string;
  try {
    owner = csiOwnerName(normalizeCsi(csi, { apex: context.apex }), context.apex);
  } catch (cause) {
    if (isMimiError(cause)) throw apiError('malformed', `csi '${csi}' has no owner name`, { cause });
    throw cause;
  }
  if (!context.isServed(owner)) {
    throw apiError('not-served-here', `csi '${csi}' (${owner}) is not in a zone served here`);
  }
  return owner;
}

/** Step 3: every signature and window; throws the API refusal of the first failure. */
export async function verifySubmission(submission: Submission, context: SubmissionContext): Promise<void> {
  const { now } = context;
  try {
    switch (submission.kind) {
      case 'mapping': {
        const csipKeys = await context.csipKeys(submission.object.att.csip);
        verifyMapping(submission.object, { now, csipKeys });
        return;
      }
      case 'removal':
        verifyRemoval(submission.object, { now });
        return;
      case 'unassignment': {
        const csipKeys = await context.csipKeys(submission.object.csip);
        verifyUnassignment(submission.object, { now, csipKeys });
        return;
      }
    }
  } catch (err) {
    throw refusal(err);
  }
}
