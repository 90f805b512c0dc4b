/**
 * The verification pool (src/verify/pool.ts) and the tasks it runs (src/verify/tasks.ts):
 * a task's output or failure is the same from a worker as on the calling thread; the
 * calling thread takes the overflow; a dead worker's tasks still complete; close()
 * ends the workers and refuses new tasks. The workers run the built files
 * (`npx tsc -b` first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TimedCache } from '../src/cache/timed-cache.js';
import { createLruCacheStore } from '../src/index.js';
import { checkMappings } from '../src/mappings.js';
import { checkVerifyWorkers, defaultVerifyWorkers, VerifyPool } from '../src/verify/pool.js';
import { runTask } from '../src/verify/tasks.js';
import { attest, csipKeyRdata, keyFromText, mapping, msp, NOW, recipientKey } from './helpers/fixtures.js';
import {
  CSI,
  checkOneRecord,
  fakeWorker,
  mappingTask,
  outcome,
  QNAME,
  rrsetTask,
  rrsig,
} from './helpers/verify-tasks.js';

const dir = mkdtempSync(join(tmpdir(), 'stub-verify-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pool size', () => {
  it.each([
    [1, 0],
    [2, 1],
    [3, 2],
    [5, 4],
    [64, 4],
  ])('%i cores: %i workers by default', (cores, workers) => {
    expect(defaultVerifyWorkers(cores)).toBe(workers);
  });

  it.each([0, 1, 64])('%i workers may be asked for', (size) => {
    expect(checkVerifyWorkers(size)).toBe(size);
  });

  it.each([-1, 0.5, 65, Number.NaN])('%s workers is refused', (size) => {
    expect(() => checkVerifyWorkers(size)).toThrow(
      expect.objectContaining({ code: 'bad-option', message: expect.stringContaining(`got ${size}`) }),
    );
  });
});

describe('VerifyPool', () => {
  it('a worker gives the outputs and failures of the calling thread', async () => {
    const pool = new VerifyPool({ size: 1, queuePerWorker: 8, steal: false });
    try {
      const forged = {
        ...rrsig,
        rdata: Uint8Array.from(rrsig.rdata, (b, i) => (i === rrsig.rdata.length - 1 ? b ^ 1 : b)),
      };
      const tasks = [
        rrsetTask(),
        rrsetTask([forged]),
        rrsetTask([]),
        mappingTask(),
        mappingTask(keyFromText('a stranger')),
      ];
      const here = await Promise.all(tasks.map((task) => outcome(async () => runTask(task))));
      const there = await Promise.all(tasks.map((task) => outcome(() => pool.run(task))));
      expect(there).toEqual(here);
      expect(pool.counts).toEqual({ posted: 5, inline: 0, batches: 1, stolen: 0 });
      // Both ways, each kind of outcome is there: secure, bad-signature, no-rrsig, verified, signature.
      expect(here.map((o) => ('status' in o ? o.status : 'code' in o ? o.code : o.id))).toEqual([
        'secure',
        'bogus',
        'bogus',
        'personal',
        'signature',
      ]);
    } finally {
      await pool.close();
    }
  });

  it('the calling thread runs what exceeds a worker’s unfinished tasks of earlier turns', async () => {
    // A worker that takes tasks and never finishes one: its backlog only grows.
    const stuck = fakeWorker(dir, 'stuck-worker.mjs', '() => {}');
    const pool = new VerifyPool({ size: 1, queuePerWorker: 2, workerUrl: stuck, steal: false });
    try {
      // One turn's burst goes to the worker whatever its size: nothing was unfinished before it.
      const burst = Array.from({ length: 3 }, () => pool.run(rrsetTask()));
      for (const pending of burst) pending.catch(() => undefined);
      expect(pool.counts).toEqual({ posted: 3, inline: 0, batches: 0, stolen: 0 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(pool.counts.batches).toBe(1);
      // Next turn: 3 unfinished from earlier ≥ 2, so these run here, with the same outputs.
      const outputs = await Promise.all(Array.from({ length: 4 }, () => pool.run(rrsetTask())));
      expect(pool.counts).toEqual({ posted: 3, inline: 4, batches: 1, stolen: 0 });
      expect(outputs).toEqual(Array.from({ length: 4 }, () => runTask(rrsetTask())));
    } finally {
      await pool.close();
    }
  });

  it('close() ends the workers; a task outstanding or later fails with `closed`', async () => {
    const pool = new VerifyPool({ size: 2 });
    const outstanding = pool.run(rrsetTask()).then(
      () => 'resolved',
      (err: unknown) => err,
    );
    expect(pool.size).toBe(2);
    await pool.close();
    expect(pool.size).toBe(0);
    expect(await outstanding).toMatchObject({ name: 'ResolverError', code: 'closed' });
    await expect(pool.run(rrsetTask())).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('VerifyPool in a script of its own', () => {
  it('close() completes before the process ends though idle workers hold it not open', () => {
    const pool = new URL('../dist/verify/pool.js', import.meta.url).href;
    const script = [
      `const { VerifyPool } = await import(${JSON.stringify(pool)});`,
      'const pool = new VerifyPool({ size: 2 });',
      "const out = await pool.run({ kind: 'rrset', records: [], rrsigs: [], keys: { zone: 'a.', keys: [] }, now: 0 });",
      'await new Promise((resolve) => setTimeout(resolve, 50));',
      'await pool.close();',
      'console.log(out.status, out.reason.code, pool.size);',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('bogus rrset-inconsistent 0\n');
  });
});

describe('VerifyPool in a script of its own, closed with a reply on its way', () => {
  it('close() completes: a reply that comes after it does not let the process end first', () => {
    const pool = new URL('../dist/verify/pool.js', import.meta.url).href;
    const script = [
      `const { VerifyPool } = await import(${JSON.stringify(pool)});`,
      'const pool = new VerifyPool({ size: 1, steal: false });',
      "const task = { kind: 'rrset', records: [], rrsigs: [], keys: { zone: 'a.', keys: [] }, now: 0 };",
      'const outs = [1, 2, 3].map(() => pool.run(task).then(() => "answered", (err) => err.code));',
      // Say when the reply is read (a private method, reached from the script only for
      // this): with that write, the process ended before close() did, without the fix.
      'const settle = pool.settle.bind(pool);',
      'pool.settle = (slot, batch) => { console.error("reply read, closed:", pool.closed); settle(slot, batch); };',
      'await new Promise((resolve) => setImmediate(resolve));',
      // The batch is posted; the worker answers while this thread is busy, so its reply
      // is read only after close() has begun.
      'for (const until = Date.now() + 500; Date.now() < until; );',
      'await pool.close();',
      'console.log((await Promise.all(outs)).join(), pool.size);',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    // Whether the reply is read before the worker has exited depends on timing; either
    // way close() must complete (without the fix the process ended first, status 13).
    expect(['', 'reply read, closed: true\n']).toContain(child.stderr);
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('closed,closed,closed 0\n');
  });
});

describe('checkMappings with and without the pool', () => {
  it('gives the same mappings and warnings, the lower epoch superseded', async () => {
    const recipient = recipientKey(CSI);
    const record = (id: string, epoch: number, serial: number) =>
      mapping({
        csi: CSI,
        id,
        serial,
        recipient,
        att: attest({ csi: CSI, csip: 'uk-carrier', recipient, epoch }),
        msps: [msp(`${id}.example`, 10)],
      });
    const rdatas = [record('old', 1, 1), record('new', 2, 2), record('newer', 2, 3)];
    const check = (verifier?: VerifyPool) =>
      checkMappings(
        {
          csi: CSI,
          qname: QNAME,
          apex: 'mimi.arpa.',
          rdatas,
          now: NOW * 1000,
          csipKeys: async () => [csipKeyRdata('uk-carrier')],
          verifier,
        },
        new TimedCache(createLruCacheStore(), () => NOW * 1000),
      );
    const pool = new VerifyPool({ size: 1, steal: false });
    try {
      const here = await check();
      expect(await check(pool)).toEqual(here);
      expect(pool.counts.posted).toBe(3);
      expect(here.mappings.map((m) => m.id)).toEqual(['new', 'newer']);
      expect(here.warnings).toEqual(["mapping 'old': superseded: attestation epoch 1 is below 2"]);
    } finally {
      await pool.close();
    }
  });

  it('an abort while a worker checks a record is `aborted`, not a failed record', async () => {
    const controller = new AbortController();
    const stuck = { run: () => new Promise<never>(() => undefined) };
    const pending = checkOneRecord(stuck, controller.signal);
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ name: 'ResolverError', code: 'aborted' });
  });
});
