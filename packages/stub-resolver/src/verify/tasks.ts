/**
 * The signature-checking steps of a resolution as self-contained tasks of plain data, so
 * that the same function runs on the calling thread or in a verification worker
 * (pool.ts) with the same result either way:
 *
 * - `rrset`: an RRset against its zone's trusted keys (RFC 4035 §5.3, @mimi/dnssec);
 * - `mapping`: one MSPMAP record's objects (DESIGN §4 "Verification rules",
 *   @mimi/protocol `verifyMapping`: CSI binding, windows, CSIP key, attestation and
 *   recipient signatures), reduced to what a result and the cache need;
 * - `mspmap`: a resolution's MSPMAP RRset and, when it is secure, every record's object
 *   checks under the CSIP keys the calling thread expects (prechecks.ts), in one task:
 *   one message per resolution, and no decoding of the records on the calling thread.
 *
 * Inputs and outputs are structured-cloneable (no class instances, no functions).
 */
import { sha256, toBase64Url, toHex } from '@mimi/crypto';
import { type Bogus, type SecureRrset, validateRrset, type ZoneKeys } from '@mimi/dnssec';
import { isMimiError } from '@mimi/errors';
import { DecodedMapping, type Mapping, type ResourceRecord, verifyMapping } from '@mimi/protocol';
import { formatExpires, type ResultMapping } from '../result.js';

export interface RrsetTask {
  readonly kind: 'rrset';
  readonly records: readonly ResourceRecord[];
  readonly rrsigs: readonly ResourceRecord[];
  readonly keys: ZoneKeys;
  /** Unix seconds. */
  readonly now: number;
}

export interface MappingTask {
  readonly kind: 'mapping';
  /** One MSPMAP record's RDATA (a CBOR mapping object). */
  readonly rdata: Uint8Array;
  /** Unix seconds. */
  readonly now: number;
  readonly expectCsi: string;
  readonly ownerName: string;
  readonly apex: string;
  /** Validated CSIPKEY RDATA of the attestation's CSIP. */
  readonly csipKeys: readonly Uint8Array[];
}

/** The object checks an `mspmap` task runs on the records of a secure RRset. */
export interface RecordChecks {
  /** Unix seconds. */
  readonly now: number;
  readonly expectCsi: string;
  readonly ownerName: string;
  readonly apex: string;
  /**
   * Validated CSIPKEY RDATA by CSIP id, as the calling thread last fetched them: a guess,
   * which the calling thread confirms against its own look-up before using an outcome. A
   * record of a CSIP not listed here is decoded but not checked.
   */
  readonly csipKeys: ReadonlyMap<string, readonly Uint8Array[]>;
}

export interface MspmapTask {
  readonly kind: 'mspmap';
  readonly rrset: Omit<RrsetTask, 'kind'>;
  readonly checks: RecordChecks;
}

/** A failure as it crosses threads: a MimiError's code and message. */
export interface FailureText {
  readonly code: string;
  readonly message: string;
}

/** One record of an `mspmap` task, in RRset order. */
export type RecordPrecheck =
  | { readonly decoded: false; readonly failure: FailureText }
  | {
      readonly decoded: true;
      readonly id: string;
      readonly csip: string;
      /** Hex SHA-256 of the RDATA (the object cache's key). */
      readonly digest: string;
      /** Absent: not checked here (CSIP keys not given, or not one of our errors). */
      readonly outcome?: { readonly checked: CheckedMapping } | { readonly failure: FailureText };
    };

export interface MspmapOutput {
  readonly rrset: RrsetValidation;
  /** Present only when the RRset is secure and its records were looked at. */
  readonly records?: readonly RecordPrecheck[];
}

/** A verified mapping record, as a result lists it, with what the cache and epochs need. */
export interface CheckedMapping {
  readonly id: string;
  readonly epoch: number;
  /** Unix ms until which the verification holds: the earliest `exp` involved. */
  readonly until: number;
  readonly result: ResultMapping;
}

export type RrsetValidation = SecureRrset | Bogus;
export type VerifyTask = RrsetTask | MappingTask | MspmapTask;
export type TaskOutput<T extends VerifyTask> = T extends RrsetTask
  ? RrsetValidation
  : T extends MappingTask
    ? CheckedMapping
    : MspmapOutput;

export function runRrsetTask(task: RrsetTask): RrsetValidation {
  return validateRrset(task.records, task.rrsigs, task.keys, task.now);
}

/** Throws the object checks' own MimiError (ObjectError, CsiError…) when a check fails. */
export function runMappingTask(task: MappingTask): CheckedMapping {
  return checkMapping(task.rdata, task);
}

/**
 * `runMappingTask` for a record already decoded (the calling thread decodes each record
 * once to learn its CSIP): `verifyMapping` takes the bytes or the decoded object alike,
 * and cuts the signing inputs from the bytes when it has them (a DecodedMapping).
 */
export function checkMapping(
  input: Uint8Array | Mapping | DecodedMapping,
  task: Omit<MappingTask, 'rdata' | 'kind'>,
): CheckedMapping {
  const verified = verifyMapping(input, {
    now: task.now,
    expectCsi: task.expectCsi,
    ownerName: task.ownerName,
    apex: task.apex,
    csipKeys: task.csipKeys,
  });
  const { mapping, att } = verified;
  return {
    id: mapping.id,
    epoch: att.epoch,
    until: Math.min(verified.expires, verified.csipKey.exp) * 1000,
    result: {
      id: mapping.id,
      serial: mapping.serial,
      recipientKey: toBase64Url(att.rk),
      csip: att.csip,
      epoch: att.epoch,
      expires: formatExpires(verified.expires),
      policy: mapping.policy?.sameMspOnly === true ? { sameMspOnly: true } : {},
      msps: mapping.msps.map((entry) => ({ msp: entry.msp, pri: entry.pri, tags: [...entry.tags] })),
    },
  };
}

function failureOf(err: unknown): FailureText | undefined {
  return isMimiError(err) ? { code: err.code, message: err.message } : undefined;
}

/** One record of a secure RRset: decoded, then checked when its CSIP's keys were given. */
function precheck(rdata: Uint8Array, checks: RecordChecks): RecordPrecheck {
  let decoded: DecodedMapping;
  try {
    decoded = DecodedMapping.decode(rdata);
  } catch (err) {
    const failure = failureOf(err);
    if (failure === undefined) throw err;
    return { decoded: false, failure };
  }
  const { mapping } = decoded;
  const csip = mapping.att.csip;
  const head = { decoded: true, id: mapping.id, csip, digest: toHex(sha256(rdata)) } as const;
  const csipKeys = checks.csipKeys.get(csip);
  if (csipKeys === undefined) return head;
  try {
    return { ...head, outcome: { checked: checkMapping(decoded, { ...checks, csipKeys }) } };
  } catch (err) {
    const failure = failureOf(err);
    // Anything else is left to the calling thread, which treats it as it always has.
    return failure === undefined ? head : { ...head, outcome: { failure } };
  }
}

export function runMspmapTask(task: MspmapTask): MspmapOutput {
  const rrset = validateRrset(task.rrset.records, task.rrset.rrsigs, task.rrset.keys, task.rrset.now);
  if (rrset.status !== 'secure') return { rrset };
  return { rrset, records: task.rrset.records.map((record) => precheck(record.rdata, task.checks)) };
}

export function runTask<T extends VerifyTask>(task: T): TaskOutput<T> {
  const output =
    task.kind === 'rrset'
      ? runRrsetTask(task)
      : task.kind === 'mapping'
        ? runMappingTask(task)
        : runMspmapTask(task);
  return output as TaskOutput<T>;
}
