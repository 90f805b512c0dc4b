/**
 * Work stealing in the verification pool (src/verify/pool.ts, worker.ts): while a worker
 * has unfinished tasks, the calling thread takes back the newest one it has not started
 * — a claim in shared memory decides who runs it, and the worker skips a task taken
 * here — so that the calling thread does not sit idle while a burst waits in the worker.
 * Every task settles once, with the output the worker would give. The workers run the
 * built files (`npx tsc -b` first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BatchReply,
  type BatchRequest,
  CLAIMED_BY_WORKER,
  CLAIMED_HERE,
  type WorkerInit,
} from '../src/verify/messages.js';
import { VerifyPool } from '../src/verify/pool.js';
import { runTask, type VerifyTask } from '../src/verify/tasks.js';
import { keyFromText } from './helpers/fixtures.js';
import { fakeWorker, mappingTask, outcome, rrsetTask } from './helpers/verify-tasks.js';

const dir = mkdtempSync(join(tmpdir(), 'stub-verify-steal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` tasks: RRsets, good mappings and mappings signed by a stranger (a `signature` failure). */
function tasks(n: number): VerifyTask[] {
  const stranger = keyFromText('a stranger');
  return Array.from({ length: n }, (_, i) =>
    i % 3 === 0 ? rrsetTask() : i % 3 === 1 ? mappingTask() : mappingTask(stranger),
  );
}

/** What the calling thread alone gives for `list`. */
function expected(list: readonly VerifyTask[]) {
  return Promise.all(list.map((task) => outcome(async () => runTask(task))));
}

describe('VerifyPool work stealing', () => {
  it('takes back all but the oldest task from a worker that has not started one', async () => {
    // Starts nothing for 300 ms, then answers its whole batch (replies to tasks taken
    // back are ignored).
    const slow = fakeWorker(
      dir,
      'slow-worker.mjs',
      `(batch) => setTimeout(() => parentPort.postMessage({ replies: batch.tasks.map((r) => ({ id: r.id, output: 'the worker' })) }), 300)`,
    );
    const pool = new VerifyPool({ size: 1, workerUrl: slow });
    try {
      const list = tasks(24);
      const outputs = await Promise.all(list.map((task) => outcome(() => pool.run(task))));
      // Newest first, while the worker has at least two to do: the oldest stays with it.
      expect(outputs[0]).toBe('the worker');
      expect(outputs.slice(1)).toEqual((await expected(list)).slice(1));
      expect(outputs.filter((out) => (out as { code?: string }).code === 'signature')).toHaveLength(8);
      expect(pool.counts).toMatchObject({ posted: 24, inline: 0, stolen: 23 });
    } finally {
      await pool.close();
    }
  });

  it('the worker skips a task claimed here, runs the others and counts both', async () => {
    // The real worker module, started by hand with counters and claims of our own.
    const done = new SharedArrayBuffer(8);
    const claims = new SharedArrayBuffer(4 * 8);
    new Int32Array(claims)[1] = CLAIMED_HERE;
    const worker = new Worker(new URL('../dist/verify/worker.js', import.meta.url), {
      workerData: { done, claims } satisfies WorkerInit,
    });
    try {
      const reply = new Promise<BatchReply>((resolve) => worker.once('message', resolve));
      const requests = [0, 1, 2].map((claim) => ({ id: 10 + claim, claim, task: rrsetTask() }));
      worker.postMessage({ tasks: requests } satisfies BatchRequest);
      const { replies } = await reply;
      expect(replies.map((r) => r.id)).toEqual([10, 12]);
      expect(replies.map((r) => ('output' in r ? r.output : r))).toEqual([
        runTask(rrsetTask()),
        runTask(rrsetTask()),
      ]);
      expect([...new Int32Array(done)]).toEqual([3, 1]);
      expect([...new Int32Array(claims)].slice(0, 3)).toEqual([
        CLAIMED_BY_WORKER,
        CLAIMED_HERE,
        CLAIMED_BY_WORKER,
      ]);
    } finally {
      await worker.terminate();
    }
  });

  it('with the real worker every task settles once with its output, whoever ran it', async () => {
    const pool = new VerifyPool({ size: 1 });
    try {
      const list = tasks(192);
      const outputs: unknown[] = [];
      // Three bursts of 64, each made ready in one turn, as a bulk run's answers come.
      for (let burst = 0; burst < 3; burst++) {
        const slice = list.slice(burst * 64, (burst + 1) * 64);
        outputs.push(...(await Promise.all(slice.map((task) => outcome(() => pool.run(task))))));
      }
      expect(outputs).toEqual(await expected(list));
      const { posted, inline, stolen } = pool.counts;
      expect(posted + inline).toBe(list.length);
      // A burst of 64 waits in the worker while the calling thread has nothing else to do.
      expect(stolen).toBeGreaterThan(0);
      expect(stolen).toBeLessThan(posted);
    } finally {
      await pool.close();
    }
  });

  it('runs a task here rather than reuse a claim cell the worker has not passed', async () => {
    // Follows the claim protocol, but blocks 300 ms on its first batch: meanwhile the
    // calling thread takes tasks back and posts more, past the 8 cells of this pool.
    const stalling = join(dir, 'stalling-worker.mjs');
    writeFileSync(
      stalling,
      `import { parentPort, workerData } from 'node:worker_threads';
const claims = new Int32Array(workerData.claims);
const done = new Int32Array(workerData.done);
let first = true;
parentPort.on('message', (batch) => {
  if (first) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  first = false;
  const replies = [];
  for (const request of batch.tasks) {
    if (Atomics.compareExchange(claims, request.claim, 0, ${CLAIMED_BY_WORKER}) === 0) replies.push({ id: request.id, output: 'the worker' });
    else Atomics.add(done, 1, 1);
    Atomics.add(done, 0, 1);
  }
  parentPort.postMessage({ replies });
});
`,
    );
    const pool = new VerifyPool({ size: 1, workerUrl: pathToFileURL(stalling), claimCells: 8 });
    try {
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < 40; i++) {
        pending.push(outcome(() => pool.run(rrsetTask())));
        // A turn each: the batch goes out, then a steal.
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const outputs = await Promise.all(pending);
      const mine = runTask(rrsetTask());
      for (const output of outputs)
        expect(output === 'the worker' || isDeepStrictEqual(output, mine)).toBe(true);
      // Once 8 were posted and not passed, the rest ran here.
      expect(pool.counts.inline).toBeGreaterThan(0);
      expect(pool.counts.posted + pool.counts.inline).toBe(40);
    } finally {
      await pool.close();
    }
  });

  it('refuses a claim table that is not a power of two', () => {
    for (const claimCells of [0, 1, 6, 3.5, 131_072]) {
      expect(() => new VerifyPool({ size: 1, claimCells })).toThrow(
        expect.objectContaining({
          code: 'bad-option',
          message: expect.stringContaining(`got ${claimCells}`),
        }),
      );
    }
  });

  it('without stealing the calling thread leaves posted tasks to the worker', async () => {
    const pool = new VerifyPool({ size: 1, steal: false });
    try {
      const list = tasks(64);
      expect(await Promise.all(list.map((task) => outcome(() => pool.run(task))))).toEqual(
        await expected(list),
      );
      expect(pool.counts).toMatchObject({ posted: 64, inline: 0, stolen: 0 });
    } finally {
      await pool.close();
    }
  });
});
