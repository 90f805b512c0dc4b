/**
 * From a validated MSPMAP RRset to the mappings a sender may use (DESIGN §4
 * "Verification rules", §6): each record's CSIP key fetched (CSIPKEY at
 * `<att.csip>.csip.<apex>`, DNSSEC-validated) and the record checked by @mimi/protocol's
 * `verifyMapping` — scope, attestation signature and window, recipient signature, CSI
 * match against the name asked for, expiry. A record that fails is dropped and named in
 * `warnings`; only if every record fails is the result bogus. Then the epoch rule:
 * "when an RRset mixes attestation epochs, only mappings of the highest are used".
 *
 * Verified objects are cached by the hash of their bytes and of the CSIP keys that
 * verified them, until the earliest expiry involved, so a cached CSI costs no signature.
 */
import { sha256, toHex } from '@mimi/crypto';
import { isMimiError } from '@mimi/errors';
import { DecodedMapping } from '@mimi/protocol';
import type { TimedCache } from './cache/timed-cache.js';
import { throwIfAborted, untilAborted } from './errors.js';
import { BogusError } from './outcomes.js';
import type { ResultMapping } from './result.js';
import type { TraceSink } from './trace.js';
import type { Verifier } from './verify/pool.js';
import { type Prechecks, sameKeys } from './verify/prechecks.js';
import {
  type CheckedMapping,
  checkMapping,
  type FailureText,
  type RecordPrecheck,
  runMappingTask,
} from './verify/tasks.js';

export interface MappingCheckInput {
  /** The normalized CSI asked for. */
  readonly csi: string;
  /** Its owner name (where the RRset was found). */
  readonly qname: string;
  readonly apex: string;
  /** RDATA of the validated MSPMAP RRset. */
  readonly rdatas: readonly Uint8Array[];
  /** Unix milliseconds. */
  readonly now: number;
  /** Validated CSIPKEY RDATA of a CSIP id ([] when the CSIP has no key record). */
  readonly csipKeys: (csipId: string) => Promise<readonly Uint8Array[]>;
  readonly trace?: TraceSink;
  /** Where the signatures are checked (a worker pool); absent: on this thread. */
  readonly verifier?: Verifier | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * The records' outcomes from an `mspmap` task (verify/prechecks.ts), used only where
   * the CSIP keys and the second match this check's own.
   */
  readonly prechecks?: Prechecks | undefined;
}

export interface MappingCheckOutput {
  /** Sorted by `id` (then serial), highest epoch only. */
  readonly mappings: readonly ResultMapping[];
  readonly warnings: readonly string[];
}

/**
 * Hex SHA-256 of a CSIPKEY RDATA, remembered per array: the cached CSIPKEY answer hands
 * out the same arrays for every CSI of the CSIP, so each is hashed once.
 */
const keyDigests = new WeakMap<Uint8Array, string>();
function digestOf(rdata: Uint8Array): string {
  let digest = keyDigests.get(rdata);
  if (digest === undefined) {
    digest = toHex(sha256(rdata));
    keyDigests.set(rdata, digest);
  }
  return digest;
}

function failureText(err: unknown): FailureText {
  if (isMimiError(err)) return { code: err.code, message: err.message };
  throw err;
}

/** A record to check: decoded here, or by the worker that prechecked it. */
interface RecordToCheck {
  readonly rdata: Uint8Array;
  readonly id: string;
  readonly csip: string;
  /** Hex SHA-256 of `rdata` when the worker computed it. */
  readonly digest?: string;
  readonly mapping?: DecodedMapping;
  readonly precheck?: Extract<RecordPrecheck, { decoded: true }>;
}

function noteUndecodable(
  input: MappingCheckInput,
  index: number,
  failure: FailureText,
  failures: FailureText[],
  warnings: string[],
): void {
  failures.push(failure);
  warnings.push(`record ${index + 1}: ${failure.code}: ${failure.message}`);
  input.trace?.({ event: 'mapping', id: null, outcome: `${failure.code}: ${failure.message}` });
}

/** Decode every record on this thread; those that fail are noted in order. */
function decodeHere(input: MappingCheckInput, failures: FailureText[], warnings: string[]): RecordToCheck[] {
  const records: RecordToCheck[] = [];
  input.rdatas.forEach((rdata, index) => {
    try {
      const mapping = DecodedMapping.decode(rdata);
      records.push({ rdata, id: mapping.mapping.id, csip: mapping.mapping.att.csip, mapping });
    } catch (err) {
      noteUndecodable(input, index, failureText(err), failures, warnings);
    }
  });
  return records;
}

/** Check every record; throws BogusError when none passes. */
export async function checkMappings(
  input: MappingCheckInput,
  cache: TimedCache,
): Promise<MappingCheckOutput> {
  const warnings: string[] = [];
  const failures: FailureText[] = [];
  // Prechecks are of the records' RRset, in its order (a mismatch would be a bug: ignore them).
  const prechecks = input.prechecks?.records.length === input.rdatas.length ? input.prechecks : undefined;
  const records = prechecks === undefined ? decodeHere(input, failures, warnings) : [];
  if (prechecks !== undefined) {
    prechecks.records.forEach((precheck, index) => {
      if (precheck.decoded) {
        records.push({ rdata: input.rdatas[index]!, precheck, ...precheck });
        return;
      }
      noteUndecodable(input, index, precheck.failure, failures, warnings);
    });
  }

  // One CSIPKEY look-up per CSIP id; a DNSSEC failure there is a failure of the result.
  const csipIds = [...new Set(records.map((record) => record.csip))];
  const keyEntries = await Promise.all(csipIds.map(async (id) => [id, await input.csipKeys(id)] as const));
  const keysById = new Map(keyEntries);

  const nowSeconds = Math.floor(input.now / 1000);
  // Every record not in the cache is checked at once (in parallel on a worker pool).
  const checks = records.map(({ rdata, id, csip, digest, mapping, precheck }) => {
    const csipKeys = keysById.get(csip) ?? [];
    // One digest per key record: hashing them concatenated would let [A, B] and [A‖B]
    // share an entry, and a verification must never be reused for other key records.
    const keyDigests = csipKeys.map(digestOf).join(',');
    const cacheKey = `${input.qname}|${digest ?? toHex(sha256(rdata))}|${keyDigests}`;
    const cached = cache.get<CheckedMapping>('object', cacheKey);
    if (cached !== undefined) return { id, outcome: Promise.resolve({ checked: cached }) };
    const prechecked = precheck?.outcome;
    if (
      prechecked !== undefined &&
      prechecks !== undefined &&
      prechecks.now === nowSeconds &&
      sameKeys(prechecks.csipKeys.get(csip), csipKeys)
    ) {
      // Checked in the worker on exactly these keys at this second: the same verdict.
      if ('checked' in prechecked)
        cache.set('object', cacheKey, prechecked.checked, prechecked.checked.until);
      return { id, outcome: Promise.resolve(prechecked) };
    }
    const task = {
      now: nowSeconds,
      expectCsi: input.csi,
      ownerName: input.qname,
      apex: input.apex,
      csipKeys,
    };
    const here =
      mapping === undefined
        ? () => runMappingTask({ kind: 'mapping', rdata, ...task })
        : () => checkMapping(mapping, task);
    const run =
      input.verifier === undefined
        ? Promise.resolve().then(here)
        : untilAborted(input.verifier.run({ kind: 'mapping', rdata, ...task }, here), input.signal);
    const outcome = run.then(
      (checked): { checked: CheckedMapping } | { failure: FailureText } => {
        cache.set('object', cacheKey, checked, checked.until);
        return { checked };
      },
      (err: unknown) => {
        // An abort is the caller's, not a verdict on the record.
        throwIfAborted(input.signal);
        return { failure: failureText(err) };
      },
    );
    // Awaited below in order; this only keeps a bug's rejection from going unhandled
    // when an earlier record's bug ends the loop first.
    outcome.catch(() => undefined);
    return { id, outcome };
  });

  const passed: CheckedMapping[] = [];
  for (const { id, outcome } of checks) {
    const settled: { checked: CheckedMapping } | { failure: FailureText } = await outcome;
    if ('failure' in settled) {
      const { failure } = settled;
      failures.push(failure);
      warnings.push(`mapping '${id}': ${failure.code}: ${failure.message}`);
      input.trace?.({ event: 'mapping', id, outcome: `${failure.code}: ${failure.message}` });
      continue;
    }
    input.trace?.({ event: 'mapping', id, outcome: 'verified' });
    passed.push(settled.checked);
  }

  if (passed.length === 0) {
    const first = failures[0] ?? { code: 'no-mapping-record', message: 'the mspmap rrset is empty' };
    throw new BogusError(first.code, first.message, undefined, warnings);
  }
  // DESIGN §4: "when an RRset mixes attestation epochs, only mappings of the highest are used".
  const highest = Math.max(...passed.map((entry) => entry.epoch));
  for (const dropped of passed.filter((entry) => entry.epoch !== highest)) {
    warnings.push(
      `mapping '${dropped.id}': superseded: attestation epoch ${dropped.epoch} is below ${highest}`,
    );
  }
  const mappings = passed
    .filter((entry) => entry.epoch === highest)
    .map((entry) => copyOf(entry.result))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.serial - b.serial));
  return { mappings, warnings };
}

/** A result's own copy of a cached mapping: what the caller does with it stays there. */
function copyOf(mapping: ResultMapping): ResultMapping {
  return {
    ...mapping,
    policy: { ...mapping.policy },
    msps: mapping.msps.map((entry) => ({ ...entry, tags: [...entry.tags] })),
  };
}
