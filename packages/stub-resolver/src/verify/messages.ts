/** What the verification pool and its workers send each other (pool.ts, worker.ts). */
import type { VerifyTask } from './tasks.js';

export interface TaskRequest {
  readonly id: number;
  readonly task: VerifyTask;
}

export interface TaskFailure {
  readonly code: string;
  readonly message: string;
}

export type TaskReply =
  | { readonly id: number; readonly output: unknown }
  | { readonly id: number; readonly failure: TaskFailure };

/** A failure in a worker that is not one of our MimiErrors (a bug) travels under this code. */
export const WORKER_INTERNAL_CODE = 'verify-worker-internal';
