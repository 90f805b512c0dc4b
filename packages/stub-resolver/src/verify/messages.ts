/**
 * What the verification pool and its workers send each other (pool.ts, worker.ts): tasks
 * go in batches (every task made ready in one turn of the calling thread's event loop,
 * one message), and a worker answers each batch with one message of replies. Beside the
 * messages, each worker counts the tasks it has passed in a shared Int32Array
 * (`workerData.done`), so the pool knows the worker's real backlog without waiting for
 * replies that sit in its own busy event loop, and the two threads claim tasks in
 * another (`workerData.claims`) so that each task runs once when the calling thread
 * takes some back.
 */
import type { FailureText, VerifyTask } from './tasks.js';

export interface TaskRequest {
  readonly id: number;
  /** Its cell in the worker's claims (see WorkerInit). */
  readonly claim: number;
  readonly task: VerifyTask;
}

export type TaskFailure = FailureText;

export type TaskReply =
  | { readonly id: number; readonly output: unknown }
  | { readonly id: number; readonly failure: TaskFailure };

/** One message to a worker. */
export interface BatchRequest {
  readonly tasks: readonly TaskRequest[];
}

/** One message from a worker: the replies to one batch, in its order. */
export interface BatchReply {
  readonly replies: readonly TaskReply[];
}

/**
 * What a worker is started with: two counters (Int32) — tasks it has passed, run or
 * skipped, and of those the ones it skipped — and
 * one Int32 per task cell, `CLAIM_CELLS` of them: 0 while the task waits, then whoever
 * takes it first with Atomics.compareExchange — the worker (CLAIMED_BY_WORKER) or the
 * calling thread stealing it (CLAIMED_HERE); the worker skips a task taken here.
 */
export interface WorkerInit {
  readonly done: SharedArrayBuffer;
  readonly claims: SharedArrayBuffer;
}

export const CLAIM_CELLS = 65_536;
export const CLAIMED_BY_WORKER = 1;
export const CLAIMED_HERE = 2;

/** A failure in a worker that is not one of our MimiErrors (a bug) travels under this code. */
export const WORKER_INTERNAL_CODE = 'verify-worker-internal';
