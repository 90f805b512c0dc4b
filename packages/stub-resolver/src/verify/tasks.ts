/**
 * The signature-checking steps of a resolution as self-contained tasks of plain data, so
 * that the same function runs on the calling thread or in a verification worker
 * (pool.ts) with the same result either way:
 *
 * - `rrset`: an RRset against its zone's trusted keys (RFC 4035 §5.3, @mimi/dnssec);
 * - `mapping`: one MSPMAP record's objects (DESIGN §4 "Verification rules",
 *   @mimi/protocol `verifyMapping`: CSI binding, windows, CSIP key, attestation and
 *   recipient signatures), reduced to what a result and the cache need.
 *
 * Inputs and outputs are structured-cloneable (no class instances, no functions).
 */
import { toBase64Url } from '@mimi/crypto';
import { type Bogus, type SecureRrset, validateRrset, type ZoneKeys } from '@mimi/dnssec';
import { type Mapping, type ResourceRecord, verifyMapping } from '@mimi/protocol';
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

/** A verified mapping record, as a result lists it, with what the cache and epochs need. */
export interface CheckedMapping {
  readonly id: string;
  readonly epoch: number;
  /** Unix ms until which the verification holds: the earliest `exp` involved. */
  readonly until: number;
  readonly result: ResultMapping;
}

export type RrsetValidation = SecureRrset | Bogus;
export type VerifyTask = RrsetTask | MappingTask;
export type TaskOutput<T extends VerifyTask> = T extends RrsetTask ? RrsetValidation : CheckedMapping;

export function runRrsetTask(task: RrsetTask): RrsetValidation {
  return validateRrset(task.records, task.rrsigs, task.keys, task.now);
}

/** Throws the object checks' own MimiError (ObjectError, CsiError…) when a check fails. */
export function runMappingTask(task: MappingTask): CheckedMapping {
  return checkMapping(task.rdata, task);
}

/**
 * `runMappingTask` for a record already decoded (the calling thread decodes each record
 * once to learn its CSIP): `verifyMapping` takes the bytes or the decoded object alike.
 */
export function checkMapping(
  input: Uint8Array | Mapping,
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

export function runTask<T extends VerifyTask>(task: T): TaskOutput<T> {
  return (task.kind === 'rrset' ? runRrsetTask(task) : runMappingTask(task)) as TaskOutput<T>;
}
