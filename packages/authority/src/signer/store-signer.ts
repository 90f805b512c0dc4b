/**
 * Background signing of the mapping store's RRsets (DESIGN §5: RRsets are signed "when
 * loaded or changed" and "re-signed before expiry"; the DP never pays one signature
 * per query for data it already signed):
 *
 * - a full pass at load and reload walks every owner with live mappings, in pages,
 *   and signs its MSPMAP and NAPTR RRsets;
 * - a refresh pass re-signs the owners whose signatures come due within the lead time
 *   (from the refresh schedule), ahead of their refresh point, so queries never wait;
 * - every pass works in small chunks and yields to the event loop between them:
 *   answers keep flowing, and a query for an owner not reached yet signs it on demand
 *   (the signer caches it; the pass then finds it signed).
 *
 * A full pass supersedes a running pass; a refresh does not start while one runs.
 */
import { performance } from 'node:perf_hooks';
import type { MappingStore } from '../store/mapping-store.js';
import type { OnlineSigner } from './online-signer.js';
import { RefreshSchedule } from './refresh-schedule.js';

/** Owners signed between two yields: ≤ 2 RRsets each, ≈ 65 µs per signature → ≈ 2 ms. */
export const OWNERS_PER_CHUNK = 16;
/** A refresh pass re-signs what comes due within this many seconds (the timer runs each minute). */
export const REFRESH_LEAD_SECONDS = 3600;

export type SigningPassReason = 'load' | 'reload' | 'refresh';
export type SigningPassOutcome = 'complete' | 'superseded' | 'closed' | 'failed';

/** What a pass did (server-core logs the load and reload passes). */
export interface SigningPassReport {
  readonly reason: SigningPassReason;
  readonly outcome: SigningPassOutcome;
  /** Owner names visited. */
  readonly owners: number;
  /** Their RRsets (signed by the pass, or found already signed). */
  readonly rrsets: number;
  /** Signatures the pass made. */
  readonly signatures: number;
  readonly milliseconds: number;
  /** Why a failed pass stopped. */
  readonly error?: string;
}

/** The RRsets at one owner, signed: how many, and the earliest refresh point among them. */
export interface OwnerSigned {
  readonly rrsets: number;
  readonly refreshAt: number | undefined;
}

export interface StoreSignerOptions {
  readonly store: Pick<MappingStore, 'ownersAfter'>;
  readonly signer: Pick<OnlineSigner, 'signatures' | 'reserve'>;
  /** Unix seconds. */
  readonly clock: () => number;
  /** Sign the store RRsets at `owner`, re-signing any due before `renewAt`. */
  readonly signOwner: (owner: string, now: number, renewAt: number) => OwnerSigned;
  /** Between chunks; default setImmediate (I/O callbacks run first). */
  readonly yieldNow?: () => Promise<void>;
  readonly ownersPerChunk?: number;
  readonly refreshLeadSeconds?: number;
}

interface RunningPass {
  stop: SigningPassOutcome | undefined;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class StoreSigner {
  private readonly schedule = new RefreshSchedule();
  private readonly yieldNow: () => Promise<void>;
  private readonly chunk: number;
  private readonly lead: number;
  private running: RunningPass | undefined;
  private latest: Promise<SigningPassReport> | undefined;
  private closed = false;

  constructor(private readonly options: StoreSignerOptions) {
    this.yieldNow = options.yieldNow ?? yieldToEventLoop;
    this.chunk = options.ownersPerChunk ?? OWNERS_PER_CHUNK;
    this.lead = options.refreshLeadSeconds ?? REFRESH_LEAD_SECONDS;
  }

  /** Owners waiting in the refresh schedule. */
  get scheduled(): number {
    return this.schedule.size;
  }

  /** The last pass started (running or finished). */
  lastPass(): Promise<SigningPassReport> | undefined {
    return this.latest;
  }

  /** Sign every owner of the store (load, reload); a running pass stops. */
  fullPass(reason: 'load' | 'reload'): Promise<SigningPassReport> {
    if (this.running !== undefined) this.running.stop = 'superseded';
    this.schedule.clear();
    let after = '';
    const next = (now: number) => {
      const page = this.options.store.ownersAfter(after, this.chunk, now);
      if (page.length > 0) after = page[page.length - 1]!;
      return page;
    };
    this.latest = this.run(reason, next, 0, this.options.clock);
    return this.latest;
  }

  /** Re-sign the owners due within the lead time; undefined when none are due or a pass runs. */
  refreshDue(now: number): Promise<SigningPassReport> | undefined {
    if (this.running !== undefined || this.closed) return undefined;
    const due = this.schedule.takeDue(now + this.lead);
    if (due.length === 0) return undefined;
    let offset = 0;
    const next = () => {
      const slice = due.slice(offset, offset + this.chunk);
      offset += slice.length;
      return slice;
    };
    // The timer's clock, for every chunk: a refresh pass lasts a moment.
    this.latest = this.run('refresh', next, this.lead, () => now);
    return this.latest;
  }

  /** Keep the schedule right after an owner was signed outside a pass (a store change). */
  note(owner: string, signed: OwnerSigned): void {
    if (signed.rrsets > 0 && signed.refreshAt !== undefined) this.schedule.set(owner, signed.refreshAt);
    else this.schedule.delete(owner);
  }

  /** Stop any pass at its next chunk and start no more. */
  close(): void {
    this.closed = true;
    if (this.running !== undefined) this.running.stop = 'closed';
  }

  private async run(
    reason: SigningPassReason,
    next: (now: number) => string[],
    renewLead: number,
    clock: () => number,
  ): Promise<SigningPassReport> {
    const pass: RunningPass = { stop: this.closed ? 'closed' : undefined };
    this.running = pass;
    const started = performance.now();
    const { signer, signOwner } = this.options;
    let owners = 0;
    let rrsets = 0;
    let signatures = 0;
    let outcome: SigningPassOutcome = 'complete';
    let error: string | undefined;
    try {
      for (;;) {
        // Yield first, so the pass never delays the caller that started it.
        await this.yieldNow();
        if (pass.stop !== undefined) {
          outcome = pass.stop;
          break;
        }
        const now = clock();
        const page = next(now);
        if (page.length === 0) break;
        // Room for this chunk's RRsets (≤ 2 per owner) in the signature cache.
        signer.reserve(rrsets + 2 * page.length);
        const before = signer.signatures;
        for (const owner of page) {
          const signed = signOwner(owner, now, now + renewLead);
          this.note(owner, signed);
          owners++;
          rrsets += signed.rrsets;
        }
        signatures += signer.signatures - before;
      }
    } catch (err) {
      outcome = 'failed';
      error = err instanceof Error ? err.message : String(err);
    } finally {
      if (this.running === pass) this.running = undefined;
    }
    const milliseconds = Math.round(performance.now() - started);
    return { reason, outcome, owners, rrsets, signatures, milliseconds, ...(error ? { error } : {}) };
  }
}
