/**
 * CPU time a server used during a run (Linux /proc, proc(5)): utime + stime of the
 * server's process and every live descendant (NSD serves from child processes), so a
 * report can tell a server that saturated its cores from one the load generator could
 * not keep busy.
 */
import { readdir, readFile } from 'node:fs/promises';

/** proc(5): utime and stime are in clock ticks, USER_HZ, 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** `{pid, ppid, ticks}` from one /proc/<pid>/stat line (the comm field may hold spaces). */
export function parseProcStat(line) {
  const close = line.lastIndexOf(')');
  const fields = line.slice(close + 2).split(' ');
  // After "pid (comm) ": state, ppid, ... utime is field 14 and stime 15 (1-based, whole line).
  return {
    pid: Number(line.slice(0, line.indexOf(' '))),
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

async function allStats() {
  const stats = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      stats.push(parseProcStat(await readFile(`/proc/${entry}/stat`, 'utf8')));
    } catch {
      // the process ended between readdir and read
    }
  }
  return stats;
}

/** CPU seconds used so far by `pid` and its live descendants. */
export async function treeCpuSeconds(pid) {
  const stats = await allStats();
  const tree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of stats) {
      if (!tree.has(s.pid) && tree.has(s.ppid)) {
        tree.add(s.pid);
        grew = true;
      }
    }
  }
  return stats.filter((s) => tree.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) / CLOCK_TICKS_PER_SECOND;
}
