// bench/resolver-report.mjs and resolver-profile.mjs: the verdict, the printed report,
// and the CPU-profile summary (self and total time per function).
import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../resolver-profile.mjs';
import {
  compareLines,
  cpuModel,
  formatReport,
  judgeBulk,
  progressLogger,
  resultStamp,
  verdict,
} from '../resolver-report.mjs';

const run = (concurrency, perSecond, serverCold = false) => ({
  concurrency,
  count: 10_000,
  ms: (10_000 / perSecond) * 1000,
  perSecond,
  serverCold,
  cpu: { clientSeconds: 10_000 / perSecond, serverSeconds: 1 },
});

describe('judgeBulk', () => {
  it('adds the client CPU per resolution and the share three verifies would take of it', () => {
    const [judged] = judgeBulk(
      [{ ...run(64, 1000), cpu: { clientSeconds: 12, serverSeconds: 1 } }],
      6000,
      150,
    );
    expect(judged.clientMicrosPerResolution).toBe(1200);
    expect(judged.verifyShare).toBeCloseTo(0.375, 10);
    expect(judged).toMatchObject({ ceiling: 2000, ratio: 0.5, met: false });
  });
});

describe('verdict', () => {
  // 6000 verifies/s: the ceiling is 2000/s, the target 1400/s.
  it('judges the best run against a warm DP and ignores the DP-cold pass', () => {
    const judged = judgeBulk([run(256, 1900, true), run(16, 1000), run(64, 1450), run(256, 1300)], 6000, 100);
    expect(judged.map((r) => r.met)).toEqual([true, false, true, false]);
    expect(verdict(judged)).toEqual({ target: 0.7, bestConcurrency: 64, bestRatio: 0.725, met: true });
  });

  it('is not met when no counted run reaches 0.70, however fast the uncounted one', () => {
    const judged = judgeBulk([run(256, 3000, true), run(16, 1000), run(64, 1399)], 6000, 100);
    expect(verdict(judged)).toMatchObject({ bestConcurrency: 64, met: false });
  });
});

describe('formatReport', () => {
  const judged = judgeBulk([run(256, 900, true), run(64, 1450)], 6000, 100);
  const record = {
    machine: { nproc: 2, cpuModel: 'AMD EPYC', loadAverage: [0.1, 0.2, 0.3], node: 'v20.20.2' },
    pinning: { mode: 'split', servers: '0', client: '1' },
    publish: { count: 10_101, ms: 5_000, perSecond: 2020.2 },
    yardstick: { verifiesPerSecond: 6000, trials: [5900, 6000, 6100], cpuMicrosPerVerify: 100 },
    cold: { n: 50, median: 30.25, p95: 41.5, min: 20, max: 50 },
    warm: { n: 50, median: 0.1234, p95: 0.2, min: 0.1, max: 0.3 },
    bulk: judged,
    verdict: verdict(judged),
  };
  const text = formatReport(record);

  it('names the machine, the pinning, the data and the yardstick', () => {
    expect(text).toContain('machine: 2 CPUs, AMD EPYC, load 0.1 0.2 0.3 at start, node v20.20.2');
    expect(text).toContain('pinning: servers on CPU 0, client on CPU 1');
    expect(text).toContain('published 10101 mappings through the management API in 5 s (2020/s)');
    expect(text).toContain(
      '6000 verifies/s (median of 3 trials, 5900–6100; 100 µs CPU each); ÷ 3 = 2000 resolutions/s',
    );
  });

  it('says when only the servers are pinned', () => {
    const serversOnly = formatReport({ ...record, pinning: { mode: 'servers', servers: '0' } });
    expect(serversOnly).toContain('pinning: servers on CPU 0, client unpinned');
    expect(formatReport({ ...record, pinning: null })).toContain('pinning: none');
  });

  it('tabulates latencies and rates with the verdict per run', () => {
    expect(text).toMatch(/cold \(fresh resolver\)\s+50\s+30\.3\s+41\.5/);
    expect(text).toMatch(/warm \(cache hit\)\s+50\s+0\.123\s+0\.2/);
    expect(text).toMatch(/DP answers cold\s+256\s+10000\s+900\s+0\.45\s+\(not counted\)/);
    // A whole core for 1/1450 s per resolution (690 µs, 3 × 100 µs verifying); servers 1 s in 6.9 s.
    expect(text).toMatch(/DP answers warm\s+64\s+10000\s+1450\s+0\.73\s+met\s+100\s+15\s+690\s+0\.44/);
    expect(text).toContain('best 0.73 at concurrency 64: MET');
  });

  it('says whether the bulk runs had a warm-up before their timed set', () => {
    expect(text).toContain('bulk runs: the timed set right after the primer (no JIT warm-up)');
    const warmed = formatReport({ ...record, bulk: judged.map((r) => ({ ...r, warmup: 2000 })) });
    expect(warmed).toContain(
      'bulk runs: the primer, then 2000 other CSIs untimed (JIT warm-up), then the timed set',
    );
  });
});

describe('two builds compared (--compare)', () => {
  const labelled = (build, concurrency, perSecond, serverCold = false) => ({
    ...run(concurrency, perSecond, serverCold),
    build,
  });
  const judged = judgeBulk(
    [
      labelled('A', 64, 700, true),
      labelled('A', 64, 1000),
      labelled('B', 64, 1500),
      labelled('B', 64, 1300),
      labelled('A', 64, 900),
      labelled('A', 64, 1100),
      labelled('B', 64, 1400),
    ],
    6000,
    100,
  );

  it('judges build A only', () => {
    expect(verdict(judged)).toMatchObject({ bestRatio: 0.55, met: false });
  });

  it('compares the calling thread’s CPU per resolution too when every run measured it', () => {
    const withCalling = judgeBulk(
      [
        { ...labelled('A', 64, 1000), cpu: { clientSeconds: 12, serverSeconds: 1, callingSeconds: 8 } },
        { ...labelled('B', 64, 1200), cpu: { clientSeconds: 12, serverSeconds: 1, callingSeconds: 6 } },
      ],
      6000,
      100,
    );
    expect(withCalling.map((r) => r.callingMicrosPerResolution)).toEqual([800, 600]);
    expect(compareLines(withCalling)).toEqual([
      '',
      'A/B at concurrency 64: median 1000 vs 1200 resolutions/s (B +20 %)',
      'A/B at concurrency 64: median calling thread 800 vs 600 µs/res (B -25 %)',
    ]);
    expect(judged[1].callingMicrosPerResolution).toBeUndefined();
  });

  it('labels each run and compares the medians', () => {
    expect(compareLines(judged)).toEqual([
      '',
      'A/B at concurrency 64: median 1000 vs 1400 resolutions/s (B +40 %)',
    ]);
    expect(compareLines(judgeBulk([run(64, 1000)], 6000, 100))).toEqual([]);
  });
});

describe('cpuModel', () => {
  it('reads the first model name of /proc/cpuinfo', () => {
    expect(
      cpuModel('processor\t: 0\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: other\n'),
    ).toBe('AMD EPYC 7B13');
    expect(cpuModel('')).toBeUndefined();
  });
});

describe('summarizeProfile', () => {
  // root → main → verify (leaf), main → parse → parse (recursion), and idle.
  const frame = (functionName, lineNumber = 0) => ({
    functionName,
    url: `file:///work/main/packages/x/dist/${functionName}.js`,
    lineNumber,
  });
  const profile = {
    startTime: 0,
    endTime: 10_000, // µs: 10 samples of 1 ms
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5] },
      { id: 2, callFrame: frame('main'), children: [3, 4] },
      { id: 3, callFrame: frame('verify'), children: [] },
      { id: 4, callFrame: frame('parse'), children: [6] },
      { id: 5, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 }, children: [] },
      { id: 6, callFrame: frame('parse'), children: [] },
    ],
    samples: [3, 3, 3, 3, 6, 6, 4, 2, 5, 5],
  };

  it('counts self time in the function and total time once per sample on the stack', () => {
    const rows = summarizeProfile(profile, { top: 10 });
    const byName = Object.fromEntries(rows.map((row) => [row.fn, row]));
    expect(rows[0]).toMatchObject({ fn: 'verify', selfMs: 4, totalMs: 4, self: 0.4 });
    expect(byName.parse).toMatchObject({ selfMs: 3, totalMs: 3, self: 0.3, total: 0.3 });
    expect(byName.main).toMatchObject({ selfMs: 1, totalMs: 8, total: 0.8 });
    expect(byName['(idle)']).toMatchObject({ selfMs: 2, where: '' });
    expect(byName.verify.where).toBe('packages/x/dist/verify.js:1');
  });

  it('sorts by total time when asked and keeps the top rows only', () => {
    const rows = summarizeProfile(profile, { top: 2, by: 'total' });
    expect(rows.map((row) => row.fn)).toEqual(['(root)', 'main']);
  });
});

describe('run helpers', () => {
  it('stamps a run with a sortable, file-safe time', () => {
    expect(resultStamp(new Date('2026-11-27T16:05:12.345Z'))).toBe('2026-11-27T16-05-12Z');
  });

  it('logs progress at each part of the way and at the end', () => {
    const lines = [];
    const progress = progressLogger((line) => lines.push(line), 4)('published');
    for (let done = 1; done <= 10; done++) progress(done, 10);
    expect(lines).toEqual([
      'published: 2/10',
      'published: 4/10',
      'published: 6/10',
      'published: 8/10',
      'published: 10/10',
    ]);
  });
});
