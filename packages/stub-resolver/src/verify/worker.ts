/**
 * A verification worker (node:worker_threads): runs the tasks of tasks.ts that the
 * pool posts, one at a time, and posts back each output or the failure's MimiError code
 * and message (an error object does not survive the thread boundary as its class).
 */
import { parentPort } from 'node:worker_threads';
import { isMimiError } from '@mimi/errors';
import { type TaskReply, type TaskRequest, WORKER_INTERNAL_CODE } from './messages.js';
import { runTask } from './tasks.js';

function reply(request: TaskRequest): TaskReply {
  try {
    return { id: request.id, output: runTask(request.task) };
  } catch (err) {
    if (isMimiError(err)) return { id: request.id, failure: { code: err.code, message: err.message } };
    const message = err instanceof Error ? err.message : String(err);
    return { id: request.id, failure: { code: WORKER_INTERNAL_CODE, message: message.toLowerCase() } };
  }
}

parentPort?.on('message', (request: TaskRequest) => {
  parentPort!.postMessage(reply(request));
});
