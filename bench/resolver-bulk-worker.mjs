/**
 * One bulk run in a fresh worker thread (node:worker_threads), so that every run starts
 * from the same state: a worker has its own copy of every module, so no cache that
 * lives at module level — @mimi/crypto keeps up to 4,096 imported public keys — carries
 * recipient keys over from an earlier run over the same CSIs. Each run then pays what an
 * embedder pays for 10,000 CSIs it has never seen.
 *
 * `runBulkInWorker(task, onProgress)` starts this file as a worker; the worker imports
 * the resolver module named in the task, runs measureBulk and posts the result.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { BenchError } from './lib/errors.mjs';
import { measureBulk } from './resolver-measure.mjs';

/**
 * Run measureBulk in a new worker. `task`: {stubModule (a URL or package name),
 * clientConfigFile, components? (createResolver's second argument: plain data only),
 * primer, csis, concurrency, serverPids, profile?}.
 */
export function runBulkInWorker(task, onProgress) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: task });
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      fn(value);
    };
    worker.on('message', (message) => {
      if (message.progress !== undefined) onProgress?.(...message.progress);
      else if (message.result !== undefined) settle(resolve, message.result);
      else if (message.error !== undefined) {
        const { code, message: text, details } = message.error;
        settle(reject, new BenchError(code, text, { details }));
      }
    });
    worker.on('error', (err) => settle(reject, err));
    worker.on('exit', (code) => {
      settle(reject, new BenchError('worker-exit', `bulk worker exited with code ${code} before its result`));
    });
  });
}

async function workerMain() {
  const { stubModule, clientConfigFile, components, ...bulk } = workerData;
  const stub = await import(stubModule);
  const config = stub.loadClientConfig(clientConfigFile);
  try {
    const result = await measureBulk(() => stub.createResolver(config, components ?? {}), {
      ...bulk,
      // Every 1% only: a message per CSI costs the measured thread ~2% of its time.
      onProgress: (done, total) => {
        if (done % Math.max(1, Math.floor(total / 100)) === 0 || done === total) {
          parentPort.postMessage({ progress: [done, total] });
        }
      },
    });
    parentPort.postMessage({ result });
  } catch (err) {
    parentPort.postMessage({
      error: { code: err.code ?? 'bulk-failed', message: err.message, details: err.details ?? {} },
    });
  }
}

if (!isMainThread && workerData?.clientConfigFile !== undefined) await workerMain();
