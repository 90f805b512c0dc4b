/**
 * One worker task per resolution (bulk resolution, DESIGN §4 "Verification rules"): the
 * walk hands its verifier the MSPMAP RRset of the name asked for, and this wrapper sends
 * it as an `mspmap` task instead — the RRset's RRSIG (RFC 4035 §5.3) and, when that is
 * secure, every record's object checks, decoded and verified in the worker under the
 * CSIP keys this resolver fetched last. The walk gets the RRset's validation as before;
 * checkMappings (mappings.ts) takes each record's outcome only after its own CSIPKEY
 * look-up returns exactly the key records the worker used and the clock reads the same
 * second, and checks the record itself otherwise. So the result is the same as without
 * the precheck, with one message per resolution instead of two and no CBOR decoding on
 * the calling thread.
 */
import { RRType } from '@mimi/protocol';
import type { Verifier } from './pool.js';
import {
  type MspmapOutput,
  type RecordPrecheck,
  type RrsetTask,
  runRrsetTask,
  type TaskOutput,
  type VerifyTask,
} from './tasks.js';

/** What a resolution asks for, to check its records against. */
export interface PrecheckSubject {
  /** The normalized CSI. */
  readonly csi: string;
  /** Its owner name, canonical. */
  readonly qname: string;
  readonly apex: string;
  /** Unix seconds now. */
  readonly nowSeconds: () => number;
  /** CSIPKEY RDATA by CSIP id, as last fetched (CsipKeyMemo's `current`). */
  readonly csipKeys: () => ReadonlyMap<string, readonly Uint8Array[]>;
}

/** The outcomes of one RRset's records, with what they were checked under. */
export interface Prechecks {
  readonly records: readonly RecordPrecheck[];
  readonly now: number;
  readonly csipKeys: ReadonlyMap<string, readonly Uint8Array[]>;
}

/** Same key records, element by element (the cached CSIPKEY answer hands out the same arrays). */
export function sameKeys(a: readonly Uint8Array[] | undefined, b: readonly Uint8Array[]): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The CSIPKEY RDATA a resolver fetched last for each CSIP id, as an immutable map that is
 * replaced only when an entry changes (so a task can carry it without a copy).
 */
export class CsipKeyMemo {
  /** CSIP ids remembered before starting over (an RRset names one or two; a run, a few). */
  static readonly MAX_IDS = 64;
  private map: ReadonlyMap<string, readonly Uint8Array[]> = new Map();

  get current(): ReadonlyMap<string, readonly Uint8Array[]> {
    return this.map;
  }

  remember(id: string, keys: readonly Uint8Array[]): void {
    if (sameKeys(this.map.get(id), keys)) return;
    const next = this.map.size >= CsipKeyMemo.MAX_IDS ? new Map() : new Map(this.map);
    next.set(id, keys);
    this.map = next;
  }
}

/** A verifier for one resolution that turns its own MSPMAP RRset into an `mspmap` task. */
export class PrecheckingVerifier implements Verifier {
  private held: { readonly records: readonly unknown[]; readonly prechecks: Prechecks } | undefined;

  constructor(
    private readonly pool: Verifier,
    private readonly subject: PrecheckSubject,
  ) {}

  run<T extends VerifyTask>(task: T, here?: () => TaskOutput<T>): Promise<TaskOutput<T>> {
    if (task.kind !== 'rrset' || !this.isOwnMspmap(task)) return this.pool.run(task, here);
    const rrsetTask = task as RrsetTask;
    const { csi, qname, apex } = this.subject;
    const now = this.subject.nowSeconds();
    const csipKeys = this.subject.csipKeys();
    const { kind: _kind, ...rrset } = rrsetTask;
    const checks = { now, expectCsi: csi, ownerName: qname, apex, csipKeys };
    // On the calling thread (the pool full) only the RRset is validated, as before.
    const inline = (): MspmapOutput => ({
      rrset: here === undefined ? runRrsetTask(rrsetTask) : (here as () => MspmapOutput['rrset'])(),
    });
    return this.pool.run({ kind: 'mspmap', rrset, checks }, inline).then((output) => {
      if (output.records !== undefined) {
        this.held = { records: rrsetTask.records, prechecks: { records: output.records, now, csipKeys } };
      }
      return output.rrset as TaskOutput<T>;
    });
  }

  /** The prechecks of `records` when they are the RRset this verifier sent. */
  take(records: readonly unknown[]): Prechecks | undefined {
    const held = this.held;
    this.held = undefined;
    return held !== undefined && held.records === records ? held.prechecks : undefined;
  }

  private isOwnMspmap(task: RrsetTask): boolean {
    const first = task.records[0];
    return first !== undefined && first.type === RRType.MSPMAP && first.name === this.subject.qname;
  }
}
