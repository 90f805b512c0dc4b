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
import { decodeMapping, type Mapping } from '@mimi/protocol';
import type { TimedCache } from './cache/timed-cache.js';
import { throwIfAborted, untilAborted } from './errors.js';
import { BogusError } from './outcomes.js';
import type { ResultMapping } from './result.js';
import type { TraceSink } from './trace.js';
import type { Verifier } from './verify/pool.js';
import { type CheckedMapping, checkMapping } from './verify/tasks.js';

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

function failureText(err: unknown): { code: string; message: string } {
  if (isMimiError(err)) return { code: err.code, message: err.message };
  throw err;
}

/** Check every record; throws BogusError when none passes. */
export async function checkMappings(
  input: MappingCheckInput,
  cache: TimedCache,
): Promise<MappingCheckOutput> {
  const warnings: string[] = [];
  const failures: { code: string; message: string }[] = [];
  const decoded: { rdata: Uint8Array; mapping: Mapping }[] = [];
  input.rdatas.forEach((rdata, index) => {
    try {
      decoded.push({ rdata, mapping: decodeMapping(rdata) });
    } catch (err) {
      const failure = failureText(err);
      failures.push(failure);
      warnings.push(`record ${index + 1}: ${failure.code}: ${failure.message}`);
      input.trace?.({ event: 'mapping', id: null, outcome: `${failure.code}: ${failure.message}` });
    }
  });

  // One CSIPKEY look-up per CSIP id; a DNSSEC failure there is a failure of the result.
  const csipIds = [...new Set(decoded.map(({ mapping }) => mapping.att.csip))];
  const keyEntries = await Promise.all(csipIds.map(async (id) => [id, await input.csipKeys(id)] as const));
  const keysById = new Map(keyEntries);

  const nowSeconds = Math.floor(input.now / 1000);
  // Every record not in the cache is checked at once (in parallel on a worker pool).
  const checks = decoded.map(({ rdata, mapping }) => {
    const csipKeys = keysById.get(mapping.att.csip) ?? [];
    // One digest per key record: hashing them concatenated would let [A, B] and [A‖B]
    // share an entry, and a verification must never be reused for other key records.
    const keyDigests = csipKeys.map(digestOf).join(',');
    const cacheKey = `${input.qname}|${toHex(sha256(rdata))}|${keyDigests}`;
    const cached = cache.get<CheckedMapping>('object', cacheKey);
    if (cached !== undefined) return { mapping, outcome: Promise.resolve({ checked: cached }) };
    const task = {
      now: nowSeconds,
      expectCsi: input.csi,
      ownerName: input.qname,
      apex: input.apex,
      csipKeys,
    };
    const here = () => checkMapping(mapping, task);
    const run =
      input.verifier === undefined
        ? Promise.resolve().then(here)
        : untilAborted(input.verifier.run({ kind: 'mapping', rdata, ...task }, here), input.signal);
    const outcome = run.then(
      (checked) => {
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
    return { mapping, outcome };
  });

  const passed: CheckedMapping[] = [];
  for (const { mapping, outcome } of checks) {
    const settled: { checked: CheckedMapping } | { failure: { code: string; message: string } } =
      await outcome;
    if ('failure' in settled) {
      const { failure } = settled;
      failures.push(failure);
      warnings.push(`mapping '${mapping.id}': ${failure.code}: ${failure.message}`);
      input.trace?.({ event: 'mapping', id: mapping.id, outcome: `${failure.code}: ${failure.message}` });
      continue;
    }
    input.trace?.({ event: 'mapping', id: mapping.id, outcome: 'verified' });
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
