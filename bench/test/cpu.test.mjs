import { describe, expect, it } from 'vitest';
import { parseProcStat, treeCpuSeconds } from '../lib/cpu.mjs';
import { clientShare } from '../lib/load-run.mjs';

describe('server cpu time', () => {
  it.each([
    [
      '4242 (nsd) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 1 0',
      { pid: 4242, ppid: 1, ticks: 325 },
    ],
    ['77 (nsd: server 1) R 4242 4242 4242 0 -1 0 0 0 0 0 1000 20 0 0', { pid: 77, ppid: 4242, ticks: 1020 }],
    ['9 (a) b (c)) S 2 9 9 0 -1 0 0 0 0 0 3 4 0 0', { pid: 9, ppid: 2, ticks: 7 }],
  ])('reads utime + stime of %j', (line, parsed) => {
    expect(parseProcStat(line)).toEqual(parsed);
  });

  it('counts the cpu this process burns', async () => {
    const before = await treeCpuSeconds(process.pid);
    // Work until the kernel has charged at least one more tick (10 ms), however fast the machine.
    let after = before;
    for (let chunk = 0; chunk < 1000 && after === before; chunk++) {
      let x = 0;
      for (let i = 0; i < 1e6; i++) x += i % 7;
      expect(x).toBeGreaterThan(0);
      after = await treeCpuSeconds(process.pid);
    }
    expect(after).toBeGreaterThan(before);
  });

  it.each([
    ['1.50 0.50 4.00\n', 1, 0.5],
    ['Command exited with non-zero status 1\n3.00 1.00 2.00\n', 2, 1],
    ['0.00 0.00 0.00\n', 1, undefined],
  ])('reads the load tool’s share of its cores from GNU time %j', (text, cpus, share) => {
    expect(clientShare(text, cpus)).toBe(share);
  });
});
