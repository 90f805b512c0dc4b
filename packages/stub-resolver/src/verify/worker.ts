/**
 * A verification worker (node:worker_threads): runs the batches of tasks (tasks.ts) that
 * the pool posts, one task at a time — each after claiming it, skipping those the calling
 * thread has claimed first (work stealing, pool.ts) — counting each task passed (and
 * each skipped) in the shared counters the pool reads, and posts back the outputs — or each failure's MimiError code and
 * message (an error object does not survive the thread boundary as its class), one
 * message per batch. (Replies every millisecond instead, so that the calling thread
 * could go on with a long batch's first resolutions, cost the calling thread more and
 * were no faster: `ab-replies*` in docs/benchmarks-resolver.md.)
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isMimiError } from '@mimi/errors';
import {
  type BatchReply,
  type BatchRequest,
  CLAIMED_BY_WORKER,
  type TaskReply,
  type TaskRequest,
  WORKER_INTERNAL_CODE,
  type WorkerInit,
} from './messages.js';
import { runTask } from './tasks.js';

const init = workerData as WorkerInit | undefined;
const done = init?.done === undefined ? undefined : new Int32Array(init.done);
const claims = init?.claims === undefined ? undefined : new Int32Array(init.claims);

/** False when the calling thread took the task first (it runs it and needs no reply). */
function claim(request: TaskRequest): boolean {
  return claims === undefined || Atomics.compareExchange(claims, request.claim, 0, CLAIMED_BY_WORKER) === 0;
}

function reply(request: TaskRequest): TaskReply {
  try {
    return { id: request.id, output: runTask(request.task) };
  } catch (err) {
    if (isMimiError(err)) return { id: request.id, failure: { code: err.code, message: err.message } };
    const message = err instanceof Error ? err.message : String(err);
    return { id: request.id, failure: { code: WORKER_INTERNAL_CODE, message: message.toLowerCase() } };
  }
}

parentPort?.on('message', (batch: BatchRequest) => {
  const replies: TaskReply[] = [];
  for (const request of batch.tasks) {
    if (claim(request)) replies.push(reply(request));
    // Skipped before passed: the pool reads passed first (pool.ts, unfinished).
    else if (done !== undefined) Atomics.add(done, 1, 1);
    if (done !== undefined) Atomics.add(done, 0, 1);
  }
  parentPort!.postMessage({ replies } satisfies BatchReply);
});
