/**
 * What the verification pool and its workers send each other (pool.ts, worker.ts): tasks
 * go in batches (every task made ready in one turn of the calling thread's event loop,
 * one message), and a worker answers each batch with one message of replies. Beside the
 * messages, each worker counts the tasks it has finished in a shared Int32Array
 * (`workerData.done`), so the pool knows the worker's real backlog without waiting for
 * replies that sit in its own busy event loop.
 */
import type { FailureText, VerifyTask } from './tasks.js';

export interface TaskRequest {
  readonly id: number;
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

/** What a worker is started with: the counter of tasks it has finished (one Int32). */
export interface WorkerInit {
  readonly done: SharedArrayBuffer;
}

/** A failure in a worker that is not one of our MimiErrors (a bug) travels under this code. */
export const WORKER_INTERNAL_CODE = 'verify-worker-internal';
