/**
 * The verification pool's batches (src/verify/pool.ts, worker.ts): the tasks made ready
 * in one turn go to a worker as one message; the calling thread takes a task only when
 * the worker still has unfinished tasks from earlier turns; an abort, close() or a dying
 * worker while tasks wait in a batch; a failure that is not ours. The workers run the
 * built files (`npx tsc -b` first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMimiError } from '@mimi/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { VerifyPool } from '../src/verify/pool.js';
import { type RrsetTask, runTask } from '../src/verify/tasks.js';
import { keyFromText } from './helpers/fixtures.js';
import { checkOneRecord, fakeWorker, mappingTask, outcome, rrsetTask } from './helpers/verify-tasks.js';

const dir = mkdtempSync(join(tmpdir(), 'stub-verify-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('VerifyPool batches', () => {
  it('tasks made ready in one turn go as one message, later ones in another', async () => {
    const pool = new VerifyPool({ size: 1, steal: false });
    try {
      const first = await Promise.all([
        pool.run(rrsetTask()),
        pool.run(rrsetTask()),
        pool.run(mappingTask()),
      ]);
      expect(pool.counts).toEqual({ posted: 3, inline: 0, batches: 1, stolen: 0 });
      const second = await pool.run(rrsetTask([]));
      expect(pool.counts).toEqual({ posted: 4, inline: 0, batches: 2, stolen: 0 });
      expect([...first, second]).toEqual([
        runTask(rrsetTask()),
        runTask(rrsetTask()),
        runTask(mappingTask()),
        runTask(rrsetTask([])),
      ]);
    } finally {
      await pool.close();
    }
  });

  it('an abort while a task waits in a batch is `aborted`; the batch’s other tasks complete', async () => {
    const pool = new VerifyPool({ size: 1, steal: false });
    const controller = new AbortController();
    try {
      const aborted = checkOneRecord(pool, controller.signal);
      const other = checkOneRecord(pool);
      // The key look-ups settle and both tasks join this turn's batch; the abort comes before it is posted.
      for (let i = 0; i < 50 && pool.counts.posted < 2; i++) await Promise.resolve();
      expect(pool.counts).toEqual({ posted: 2, inline: 0, batches: 0, stolen: 0 });
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'ResolverError', code: 'aborted' });
      expect((await other).mappings.map((m) => m.id)).toEqual(['personal']);
      expect(pool.counts.batches).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('close() with a batch not yet posted: its tasks fail with `closed`, nothing is posted', async () => {
    const pool = new VerifyPool({ size: 1, steal: false });
    const pending = [pool.run(rrsetTask()), pool.run(mappingTask())].map((p) =>
      p.then(
        () => 'resolved',
        (err: unknown) => err,
      ),
    );
    await pool.close();
    for (const result of await Promise.all(pending)) {
      expect(result).toMatchObject({ name: 'ResolverError', code: 'closed' });
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.counts.batches).toBe(0);
  });

  it('a failure in a worker that is not ours is a MimiError with verify-worker-internal', async () => {
    const pool = new VerifyPool({ size: 1, steal: false });
    try {
      // Keys that are not a ZoneKeys object: the validation itself throws a TypeError.
      const broken = { ...rrsetTask(), keys: null } as unknown as RrsetTask;
      const err = await pool.run(broken).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMimiError(err)).toBe(true);
      expect(err).toMatchObject({
        name: 'ResolverError',
        code: 'verify-worker-internal',
        details: { thread: 'verify-worker' },
      });
      // The worker lives on.
      expect(await pool.run(rrsetTask())).toEqual(runTask(rrsetTask()));
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies with a batch outstanding: every task of it completes here', async () => {
    const dying = fakeWorker(dir, 'dying-batch-worker.mjs', '() => process.exit(4)');
    const pool = new VerifyPool({ size: 1, workerUrl: dying, steal: false });
    try {
      const tasks = [rrsetTask(), rrsetTask([]), mappingTask(), mappingTask(keyFromText('a stranger'))];
      const outcomes = await Promise.all(tasks.map((task) => outcome(() => pool.run(task))));
      expect(outcomes).toEqual(await Promise.all(tasks.map((task) => outcome(async () => runTask(task)))));
      expect(pool.counts).toEqual({ posted: 4, inline: 4, batches: 1, stolen: 0 });
      expect(pool.size).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
