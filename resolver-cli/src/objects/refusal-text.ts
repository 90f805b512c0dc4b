/**
 * A DP's refusal (DESIGN §4 "Stable error codes", §7 statuses) in the words of the
 * person who typed the command, e.g. `stale-serial` → "a newer mapping or removal was
 * already accepted …", `csi-mismatch` → "attestation is for +447700900123, not
 * +447700900124". The stable code and the server stay in the line, for scripts and bug
 * reports.
 *
 * Messages hold no apostrophes of their own: error-line.ts shortens long `'…'` runs, and
 * an apostrophe would open one.
 *
 * Exit codes (DESIGN §8: "2 bad usage or bad input, 3 `unreachable` or a server
 * error"): a 4xx refusal says the OBJECT cannot be accepted — sending it again changes
 * nothing, the input has to change — so it is CliError `dp-refused` (exit 2). 429
 * `rate-limited`, 5xx and answers that are not the API's are the SERVICE's state, worth
 * a retry later: CliError `server-error` (exit 3). exit-codes.ts maps the two codes.
 */
import { MAX_CSI_RDATA_OCTETS, MAX_MAPPINGS_PER_CSI, type SignedObjects } from '@mimi/protocol';
import { CliError } from '../errors.js';
import type { DpTarget } from './dp-api.js';

/** The object the DP refused, as signed. */
export type SubmittedObject =
  | { readonly kind: 'mapping'; readonly object: SignedObjects['mapping'] }
  | { readonly kind: 'removal'; readonly object: SignedObjects['removal'] }
  | { readonly kind: 'unassignment'; readonly object: SignedObjects['unassignment'] };

export interface Refusal {
  readonly dp: DpTarget;
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** What the DP's message adds, in brackets (it names the exact check that failed). */
function plus(message: string): string {
  return message === '' ? '' : ` (${message})`;
}

function badSignature(submitted: SubmittedObject, message: string): string {
  switch (submitted.kind) {
    case 'mapping':
      return `the signature of the attestation or of the mapping does not verify${plus(message)}`;
    case 'removal':
      return `the signature of the removal does not verify${plus(message)}`;
    case 'unassignment':
      return `no key of csip '${submitted.object.csip}' verifies the unassignment${plus(message)}`;
  }
}

function staleEpoch(submitted: SubmittedObject): string {
  const csi = submitted.object.csi;
  switch (submitted.kind) {
    case 'mapping':
      return `${csi} was re-assigned after this attestation (epoch ${submitted.object.att.epoch}); only a newer attestation from the csip can publish it now`;
    case 'removal':
      return `${csi} was re-assigned: the mappings of this key belonged to an earlier holder`;
    case 'unassignment':
      return `${csi} is already at an epoch above ${submitted.object.epoch}`;
  }
}

function notAuthorized(submitted: SubmittedObject, message: string): string {
  return submitted.kind === 'removal'
    ? `this key published no mapping of ${submitted.object.csi}, so it cannot remove any (only the recipient or its csip can)`
    : `not authorized${plus(message)}`;
}

function csiMismatch(submitted: SubmittedObject, message: string): string {
  if (submitted.kind === 'mapping' && submitted.object.att.csi !== submitted.object.csi) {
    return `attestation is for ${submitted.object.att.csi}, not ${submitted.object.csi}`;
  }
  return `the csi does not match${plus(message)}`;
}

/**
 * The last serial the DP accepted from this key, when its `stale-serial` message names it
 * (ours says "… not above the last accepted serial N …"). Another DP may not: then undefined.
 */
export function lastAcceptedSerial(refusal: Refusal): number | undefined {
  if (refusal.code !== 'stale-serial') return undefined;
  const match = /last accepted serial (\d{1,16})\b/.exec(refusal.message);
  const serial = match === null ? Number.NaN : Number(match[1]);
  return Number.isSafeInteger(serial) ? serial : undefined;
}

/** The human words for one refusal code. */
export function refusalWords(refusal: Refusal, submitted: SubmittedObject): string {
  const { code, message } = refusal;
  const csi = submitted.object.csi;
  switch (code) {
    case 'malformed':
      return `the dp could not read the object${plus(message)}`;
    case 'too-large':
      return 'the object is larger than the dp accepts';
    case 'not-served-here':
      return `${refusal.dp.host} does not serve ${csi}; it belongs to another dp`;
    case 'csip-key-unknown':
      return submitted.kind === 'mapping'
        ? `csip '${submitted.object.att.csip}' has no valid key on the network, so its attestation cannot be checked`
        : `the csip has no valid key on the network${plus(message)}`;
    case 'out-of-scope':
      return `the csip may not attest ${csi}: it is outside the scope of the csip${plus(message)}`;
    case 'bad-signature':
      return badSignature(submitted, message);
    case 'csi-mismatch':
      return csiMismatch(submitted, message);
    case 'expired':
      return submitted.kind === 'mapping'
        ? `the attestation or the mapping is not valid at this time${plus(message)}; check the clock, or get a new attestation`
        : `the ${submitted.kind} is not valid at this time${plus(message)}; check the clock`;
    case 'stale-serial': {
      const last = lastAcceptedSerial(refusal);
      const serial =
        submitted.kind === 'unassignment'
          ? ''
          : last === undefined
            ? ` (serial ${submitted.object.serial} is not above it)`
            : ` (serial ${submitted.object.serial} is not above ${last}, the last one accepted)`;
      return `a newer mapping or removal of ${csi} was already accepted from this key${serial}`;
    }
    case 'stale-epoch':
      return staleEpoch(submitted);
    case 'too-many-mappings':
      return `${csi} already has ${MAX_MAPPINGS_PER_CSI} mappings, the most allowed; remove one, or publish with an existing --id to replace it`;
    case 'csi-budget':
      return `the mappings of ${csi} would be over ${MAX_CSI_RDATA_OCTETS} octets together; remove one, or use fewer msps and tags`;
    case 'not-authorized':
      return notAuthorized(submitted, message);
    case 'rate-limited':
      return 'too many requests from this address; wait a moment and try again';
    case 'unavailable':
      return `the dp cannot check it right now${plus(message)}; try again later`;
    default:
      return message === '' ? code : message;
  }
}

/** True when the refusal is about the object (exit 2), false when about the service (exit 3). */
export function isInputRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 429;
}

/** The CliError to throw for a refusal. */
export function refusalError(refusal: Refusal, submitted: SubmittedObject): CliError {
  const words = refusalWords(refusal, submitted);
  const where = `${refusal.code} from ${refusal.dp.host}`;
  const last = lastAcceptedSerial(refusal);
  const details = {
    status: refusal.status,
    apiCode: refusal.code,
    dp: refusal.dp.api,
    ...(last === undefined ? {} : { lastSerial: last }),
  };
  return isInputRefusal(refusal.status)
    ? new CliError('dp-refused', `the dp refused the ${submitted.kind}: ${words} [${where}]`, { details })
    : new CliError('server-error', `the dp could not take the ${submitted.kind}: ${words} [${where}]`, {
        details,
      });
}
