/**
 * A pool of verification workers (node:worker_threads) for bulk resolution: the
 * signature checks of tasks.ts — about half of a new CSI's CPU time — run on other
 * cores while the calling thread does the rest (DoH exchanges, parsing, caches).
 *
 * Balance: a task goes to the worker with the smallest backlog (tasks it has not
 * finished, from a counter it keeps in shared memory), unless that worker still has
 * `queuePerWorker` unfinished tasks from earlier turns of the event loop; then the
 * calling thread runs it itself. That keeps every worker busy without letting a queue
 * build up behind it while the calling thread has time to spare, whatever the ratio of
 * the two costs on a machine — and when other work takes the workers' cores, the backlog
 * grows and the calling thread takes the checks back.
 *
 * Work stealing: a burst of answers handled in one turn goes to the worker whole, and
 * without more the calling thread would then wait idle while the worker works through
 * it (the "lock-step" of docs/benchmarks-resolver.md: at concurrency 16 and 64 the two
 * threads took turns, ≈ 100 % CPU). So after each batch, one task per turn of its event
 * loop, the calling thread takes back the newest task the worker has not started, while
 * the worker has two or more to do. Who runs a task is decided by a claim in shared
 * memory (Atomics.compareExchange on the task's cell): the worker skips a task claimed
 * here, and once the worker has claimed the newest it has claimed every older one.
 *
 * Messages: the tasks made ready in one turn of the event loop go to a worker as one
 * message (flushed by setImmediate), and it answers each batch with one message.
 *
 * Results are the same whichever thread ran a task (the same function runs on both);
 * a failure in a worker comes back as a ResolverError with the task's MimiError code
 * and message. A worker that dies has its outstanding tasks run on the calling thread.
 * Workers start on first use, hold the process open only while they have work, and
 * are terminated by close().
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ResolverError } from '../errors.js';
import {
  type BatchReply,
  type BatchRequest,
  CLAIM_CELLS,
  CLAIMED_HERE,
  type TaskRequest,
  type WorkerInit,
} from './messages.js';
import { runTask, type TaskOutput, type VerifyTask } from './tasks.js';

/** Runs verification tasks somewhere; the resolver's walk awaits them. */
export interface Verifier {
  /**
   * Run `task`; `here`, when given, is how to run it on the calling thread (the same
   * check on data already at hand, e.g. a decoded record) instead of `runTask(task)`.
   */
  run<T extends VerifyTask>(task: T, here?: () => TaskOutput<T>): Promise<TaskOutput<T>>;
}

/**
 * Tasks a worker has not finished from earlier turns (its real backlog, read from the
 * counter it keeps in shared memory) before the calling thread verifies by itself.
 * Replies are not counted: they wait for the calling thread's next turn of its event
 * loop, which a busy thread takes only every few milliseconds, and counting them (as the
 * first version did) had the calling thread verify a third of the time while the worker
 * sat idle. Nor is this turn's batch: the replies of a burst of DoH answers handled in
 * one turn are no sign that the worker is behind (counting it: ≈ 700 instead of
 * ≈ 330 µs/res on the calling thread, docs/benchmarks-resolver.md).
 */
export const DEFAULT_QUEUE_PER_WORKER = 16;
/**
 * Work stealing: while a worker has at least this many unfinished tasks, the calling
 * thread takes the newest one it has not started, one per turn of its event loop (after
 * its I/O), so that it does not sit idle while a whole burst waits in the worker.
 */
export const STEAL_WHEN_UNFINISHED = 2;
/** A default pool never grows past this: each worker holds its own copy of the modules. */
export const MAX_DEFAULT_VERIFY_WORKERS = 4;
/** An explicit size above this is refused (`bad-option`). */
export const MAX_VERIFY_WORKERS = 64;
/** One core per worker besides the calling thread's: availableParallelism() − 1, capped. */
export function defaultVerifyWorkers(cores: number = availableParallelism()): number {
  return Math.max(0, Math.min(cores - 1, MAX_DEFAULT_VERIFY_WORKERS));
}

/** Checks a pool size given by the embedder. */
export function checkVerifyWorkers(size: number): number {
  if (!Number.isInteger(size) || size < 0 || size > MAX_VERIFY_WORKERS) {
    throw new ResolverError(
      'bad-option',
      `verifyWorkers must be a whole number in 0..${MAX_VERIFY_WORKERS}, got ${size}`,
    );
  }
  return size;
}

/**
 * The pool for an embedder's `verifyWorkers` (default one per spare core), or none for
 * 0. Its threads start only when a task first comes.
 */
export function createVerifyPool(size: number | undefined): VerifyPool | undefined {
  const workers = size === undefined ? defaultVerifyWorkers() : checkVerifyWorkers(size);
  return workers === 0 ? undefined : new VerifyPool({ size: workers });
}

/** The built worker: under vitest this module runs from src/*.ts, the worker from dist/. */
function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL(here.replace(/\/src\/verify\/pool\.ts$/, '/dist/verify/worker.js'))
    : new URL('./worker.js', here);
}

interface Waiting {
  readonly task: VerifyTask;
  /** Its cell in the worker's claims. */
  readonly claim: number;
  readonly resolve: (output: unknown) => void;
  readonly reject: (err: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  /** Posted (or about to be) and not yet settled here. */
  readonly waiting: Map<number, Waiting>;
  /** The batch being gathered in this turn of the event loop. */
  batch: TaskRequest[];
  /**
   * Tasks handed to this worker so far, and of those how many the calling thread took
   * back: Int32 that wrap as the worker's shared counts do, compared by differences.
   */
  sent: number;
  stolen: number;
  /** The worker's shared counts: [tasks passed (run or skipped), of which skipped]. */
  readonly done: Int32Array;
  readonly claims: Int32Array;
  /** Ids of posted tasks, oldest first: the calling thread steals from the end. */
  posted: number[];
}

export interface VerifyPoolOptions {
  /** Number of worker threads (1..64). */
  readonly size: number;
  readonly queuePerWorker?: number;
  /** The worker module (tests); default the built worker.js next to this module. */
  readonly workerUrl?: URL;
  /** Whether the calling thread steals tasks a worker has not started (default true). */
  readonly steal?: boolean;
  /** Claim cells per worker, a power of two (tests: a small table); default CLAIM_CELLS. */
  readonly claimCells?: number;
}

export class VerifyPool implements Verifier {
  private readonly slots: Slot[] = [];
  private readonly queuePerWorker: number;
  private readonly claimCells: number;
  private started = false;
  private closed = false;
  private flushing = false;
  private stealing = false;
  private nextId = 0;
  /**
   * How many tasks went to a worker, how many ran on the calling thread instead, in how
   * many messages, and how many of those posted the calling thread took back.
   */
  readonly counts = { posted: 0, inline: 0, batches: 0, stolen: 0 };

  constructor(private readonly options: VerifyPoolOptions) {
    this.queuePerWorker = options.queuePerWorker ?? DEFAULT_QUEUE_PER_WORKER;
    this.claimCells = options.claimCells ?? CLAIM_CELLS;
    const cells = this.claimCells;
    if (!Number.isInteger(cells) || cells < 2 || cells > CLAIM_CELLS || (cells & (cells - 1)) !== 0) {
      throw new ResolverError(
        'bad-option',
        `claimCells must be a power of two in 2..${CLAIM_CELLS}, got ${cells}`,
      );
    }
  }

  /** Live workers (0 before the first task and after close). */
  get size(): number {
    return this.slots.length;
  }

  run<T extends VerifyTask>(task: T, here?: () => TaskOutput<T>): Promise<TaskOutput<T>> {
    if (this.closed) return Promise.reject(new ResolverError('closed', 'resolver is closed'));
    if (!this.started) this.start();
    // The worker with the fewest unfinished tasks, counting this turn's batch too.
    let slot: Slot | undefined;
    let least = Number.POSITIVE_INFINITY;
    for (const candidate of this.slots) {
      const backlog = unfinished(candidate);
      if (backlog < least) {
        slot = candidate;
        least = backlog;
      }
    }
    // Inline only when it still has `queuePerWorker` unfinished from earlier turns: a
    // burst of replies handled in one turn (this batch) is no sign the worker is behind.
    // Inline too when this task's claim cell may still be read by the worker: its last
    // user, task sent − cells, must have been passed (counting tasks taken back, which the
    // worker still reads to skip them). 65,536 tasks behind: never in practice.
    if (
      slot === undefined ||
      least - slot.batch.length >= this.queuePerWorker ||
      notPassed(slot) >= this.claimCells
    ) {
      this.counts.inline++;
      return inline(here ?? (() => runTask(task)));
    }
    const id = this.nextId++;
    const claim = slot.sent & (this.claimCells - 1);
    Atomics.store(slot.claims, claim, 0);
    this.counts.posted++;
    slot.sent = (slot.sent + 1) | 0;
    if (slot.waiting.size === 0) slot.worker.ref();
    slot.batch.push({ id, claim, task });
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
    return new Promise<TaskOutput<T>>((resolve, reject) => {
      slot.waiting.set(id, { task, claim, resolve: resolve as (output: unknown) => void, reject });
    });
  }

  /** Terminate every worker; tasks still outstanding fail with `closed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.batch = [];
      for (const waiting of slot.waiting.values()) {
        waiting.reject(new ResolverError('closed', 'resolver is closed'));
      }
      slot.waiting.clear();
    }
    // An idle worker is unref'd: hold the process open until each one has exited.
    await Promise.all(
      slots.map((slot) => {
        slot.worker.ref();
        return slot.worker.terminate();
      }),
    );
  }

  /** Post each worker's batch of this turn as one message. */
  private flush(): void {
    this.flushing = false;
    for (const slot of this.slots) {
      if (slot.batch.length === 0) continue;
      const tasks = slot.batch;
      slot.batch = [];
      this.counts.batches++;
      slot.worker.postMessage({ tasks } satisfies BatchRequest);
      // Settled ids stay below the newest while the worker never catches up: drop them
      // now and then, so the list stays within a few times the tasks still waiting.
      if (slot.posted.length > 2 * slot.waiting.size + 64) {
        slot.posted = slot.posted.filter((id) => slot.waiting.has(id));
      }
      for (const request of tasks) slot.posted.push(request.id);
    }
    if (this.options.steal !== false) this.scheduleSteal();
  }

  private scheduleSteal(): void {
    if (this.stealing || this.closed) return;
    this.stealing = true;
    setImmediate(() => this.stealOne());
  }

  /**
   * Take back the newest posted task a worker has not started, from each worker with
   * STEAL_WHEN_UNFINISHED unfinished, and run it here; again on the next turn while
   * there are more. The worker goes through its tasks in order, so once it has claimed
   * the newest it has claimed every older one too.
   */
  private stealOne(): void {
    this.stealing = false;
    if (this.closed) return;
    let more = false;
    for (const slot of this.slots) {
      // This turn's batch is not posted yet: the worker cannot be about to start it.
      if (unfinished(slot) - slot.batch.length < STEAL_WHEN_UNFINISHED) {
        slot.posted = [];
        continue;
      }
      while (slot.posted.length > 0) {
        const id = slot.posted.pop()!;
        const waiting = slot.waiting.get(id);
        if (waiting === undefined) continue;
        if (Atomics.compareExchange(slot.claims, waiting.claim, 0, CLAIMED_HERE) !== 0) {
          slot.posted = [];
          break;
        }
        slot.waiting.delete(id);
        if (slot.waiting.size === 0) slot.worker.unref();
        this.counts.stolen++;
        slot.stolen = (slot.stolen + 1) | 0;
        inline(() => runTask(waiting.task)).then(waiting.resolve, waiting.reject);
        more ||= slot.posted.length > 0;
        break;
      }
    }
    if (more) this.scheduleSteal();
  }

  private start(): void {
    this.started = true;
    const url = this.options.workerUrl ?? defaultWorkerUrl();
    for (let i = 0; i < this.options.size; i++) {
      const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * 2);
      const claims = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * this.claimCells);
      const worker = new Worker(url, {
        name: `mimi-verify-${i}`,
        workerData: { done: shared, claims } satisfies WorkerInit,
      });
      const slot: Slot = {
        worker,
        waiting: new Map(),
        batch: [],
        sent: 0,
        stolen: 0,
        done: new Int32Array(shared),
        claims: new Int32Array(claims),
        posted: [],
      };
      worker.unref();
      worker.on('message', (reply: BatchReply) => this.settle(slot, reply));
      worker.on('error', () => this.lose(slot));
      worker.on('exit', () => this.lose(slot));
      this.slots.push(slot);
    }
  }

  private settle(slot: Slot, batch: BatchReply): void {
    // After close() the worker is being terminated, held by a ref until it has exited: a
    // late reply (a batch the calling thread had taken back) must not unref it.
    if (this.closed) return;
    for (const reply of batch.replies) {
      const waiting = slot.waiting.get(reply.id);
      if (waiting === undefined) continue;
      slot.waiting.delete(reply.id);
      if ('output' in reply) waiting.resolve(reply.output);
      else {
        waiting.reject(
          new ResolverError(reply.failure.code, reply.failure.message, {
            details: { thread: 'verify-worker' },
          }),
        );
      }
    }
    if (slot.waiting.size === 0) {
      slot.worker.unref();
      slot.posted = [];
    }
  }

  /** A worker died: forget it and run what it held here, so no resolution notices. */
  private lose(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    slot.batch = [];
    slot.posted = [];
    for (const waiting of slot.waiting.values()) {
      this.counts.inline++;
      inline(() => runTask(waiting.task)).then(waiting.resolve, waiting.reject);
    }
    slot.waiting.clear();
  }
}

/**
 * Tasks a worker still has to run: posted, less those it has passed, less those the
 * calling thread took back that it has not yet reached (and will skip).
 */
function unfinished(slot: Slot): number {
  // Passed first: the worker adds to skipped before passed, so this can only read high
  // for a moment, never below the truth. Differences of wrapping Int32, as Int32.
  const passed = Atomics.load(slot.done, 0);
  const stolenAhead = (slot.stolen - Atomics.load(slot.done, 1)) | 0;
  return (slot.sent - passed - stolenAhead) | 0;
}

/** Tasks posted to a worker that it has not passed yet (run or skipped). */
function notPassed(slot: Slot): number {
  return (slot.sent - Atomics.load(slot.done, 0)) | 0;
}

/** A task on the calling thread, its failure as thrown (the same code and message). */
function inline<O>(work: () => O): Promise<O> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err);
  }
}
