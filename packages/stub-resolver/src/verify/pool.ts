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
import type { BatchReply, BatchRequest, TaskRequest, WorkerInit } from './messages.js';
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
  readonly resolve: (output: unknown) => void;
  readonly reject: (err: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  /** Posted (or about to be) and not yet settled here. */
  readonly waiting: Map<number, Waiting>;
  /** The batch being gathered in this turn of the event loop. */
  batch: TaskRequest[];
  /** Tasks handed to this worker so far, and its shared count of those it finished. */
  sent: number;
  readonly done: Int32Array;
}

export interface VerifyPoolOptions {
  /** Number of worker threads (1..64). */
  readonly size: number;
  readonly queuePerWorker?: number;
  /** The worker module (tests); default the built worker.js next to this module. */
  readonly workerUrl?: URL;
}

export class VerifyPool implements Verifier {
  private readonly slots: Slot[] = [];
  private readonly queuePerWorker: number;
  private started = false;
  private closed = false;
  private flushing = false;
  private nextId = 0;
  /** How many tasks went to a worker, how many ran on the calling thread, in how many messages. */
  readonly counts = { posted: 0, inline: 0, batches: 0 };

  constructor(private readonly options: VerifyPoolOptions) {
    this.queuePerWorker = options.queuePerWorker ?? DEFAULT_QUEUE_PER_WORKER;
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
      const backlog = candidate.sent - Atomics.load(candidate.done, 0);
      if (backlog < least) {
        slot = candidate;
        least = backlog;
      }
    }
    // Inline only when it still has `queuePerWorker` unfinished from earlier turns: a
    // burst of replies handled in one turn (this batch) is no sign the worker is behind.
    if (slot === undefined || least - slot.batch.length >= this.queuePerWorker) {
      this.counts.inline++;
      return inline(here ?? (() => runTask(task)));
    }
    const id = this.nextId++;
    this.counts.posted++;
    slot.sent++;
    if (slot.waiting.size === 0) slot.worker.ref();
    slot.batch.push({ id, task });
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
    return new Promise<TaskOutput<T>>((resolve, reject) => {
      slot.waiting.set(id, { task, resolve: resolve as (output: unknown) => void, reject });
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
    }
  }

  private start(): void {
    this.started = true;
    const url = this.options.workerUrl ?? defaultWorkerUrl();
    for (let i = 0; i < this.options.size; i++) {
      const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
      const worker = new Worker(url, {
        name: `mimi-verify-${i}`,
        workerData: { done: shared } satisfies WorkerInit,
      });
      const slot: Slot = { worker, waiting: new Map(), batch: [], sent: 0, done: new Int32Array(shared) };
      worker.unref();
      worker.on('message', (reply: BatchReply) => this.settle(slot, reply));
      worker.on('error', () => this.lose(slot));
      worker.on('exit', () => this.lose(slot));
      this.slots.push(slot);
    }
  }

  private settle(slot: Slot, batch: BatchReply): void {
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
    if (slot.waiting.size === 0) slot.worker.unref();
  }

  /** A worker died: forget it and run what it held here, so no resolution notices. */
  private lose(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    slot.batch = [];
    for (const waiting of slot.waiting.values()) {
      this.counts.inline++;
      inline(() => runTask(waiting.task)).then(waiting.resolve, waiting.reject);
    }
    slot.waiting.clear();
  }
}

/** A task on the calling thread, its failure as thrown (the same code and message). */
function inline<O>(work: () => O): Promise<O> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err);
  }
}
