// bench/resolver-bulk-worker.mjs: a bulk run in a fresh worker thread, with a stand-in
// resolver module — progress and the result come back, and so does a failure's code.
// The worker runs outside vitest, on the built packages (npx tsc -b first).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runBulkInWorker } from '../resolver-bulk-worker.mjs';

const dir = mkdtempSync(join(tmpdir(), 'bench-resolver-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Answers `found` except for CSIs starting with '+9'; remembers nothing between workers.
const fakeStub = join(dir, 'fake-stub.mjs');
writeFileSync(
  fakeStub,
  `export const loadClientConfig = (file) => ({ file });
export function createResolver(config) {
  const answer = (csi) => ({ csi, status: csi.startsWith('+9') ? 'bogus' : 'found', reason: 'x: y' });
  return {
    config,
    async resolve(csi) { return answer(csi); },
    async resolveMany(csis, { onProgress }) {
      return csis.map((csi, i) => { const r = answer(csi); onProgress?.(i + 1, csis.length, r, i); return r; });
    },
    async close() {},
  };
}
`,
);

const task = (csis) => ({
  stubModule: pathToFileURL(fakeStub).href,
  clientConfigFile: '/nonexistent/client.json',
  primer: '+10',
  csis,
  concurrency: 4,
  serverPids: [],
});

describe('runBulkInWorker', () => {
  it('runs the bulk measurement in a worker and relays progress and the result', async () => {
    const progress = [];
    const result = await runBulkInWorker(task(['+11', '+12']), (done, total) => progress.push([done, total]));
    expect(result).toMatchObject({ concurrency: 4, count: 2, statuses: { found: 2 } });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('rejects with the worker’s BenchError code and message', async () => {
    await expect(runBulkInWorker(task(['+11', '+91']))).rejects.toMatchObject({
      name: 'BenchError',
      code: 'not-found',
      message: expect.stringContaining('first: +91 bogus'),
    });
  });

  it('rejects when the resolver module cannot be loaded', async () => {
    const bad = { ...task(['+11']), stubModule: pathToFileURL(join(dir, 'missing.mjs')).href };
    await expect(runBulkInWorker(bad)).rejects.toThrow(/missing\.mjs/);
  });
});

describe('runBulkInWorker progress', () => {
  it('reports every 1% of a large set and the end, not every CSI', async () => {
    const csis = Array.from({ length: 250 }, (_, i) => `+1${i}`);
    const progress = [];
    await runBulkInWorker(task(csis), (done) => progress.push(done));
    expect(progress).toEqual([...Array.from({ length: 125 }, (_, i) => 2 * (i + 1))]);
  });
});
