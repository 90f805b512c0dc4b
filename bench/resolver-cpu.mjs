/**
 * CPU time spent during a measurement, so the report can say which side was the limit:
 * this process through process.cpuUsage(), the servers through /proc/<pid>/stat
 * (proc(5): fields 14 and 15, utime and stime, in clock ticks of USER_HZ = 100).
 */
import { readFileSync } from 'node:fs';

const USER_HZ = 100;

/** utime + stime of one /proc/<pid>/stat line, in seconds (the comm field may hold spaces). */
export function statCpuSeconds(line) {
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/** CPU seconds of `pid` so far; 0 where /proc is not available. */
export function pidCpuSeconds(pid) {
  try {
    return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of the calling thread so far (/proc/thread-self/stat, Linux ≥ 3.17), or
 * undefined. In a bulk run that is the resolver's own thread: the one the pool offloads.
 */
export function threadCpuSeconds() {
  try {
    return statCpuSeconds(readFileSync('/proc/thread-self/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Start a CPU meter over this process, this thread and `pids`; `stop()` gives CPU
 * seconds per side (`calling`: this thread only, undefined without /proc).
 */
export function startCpuMeter(pids) {
  const self = process.cpuUsage();
  const thread = threadCpuSeconds();
  const servers = pids.map(pidCpuSeconds);
  return {
    stop() {
      const used = process.cpuUsage(self);
      const threadNow = threadCpuSeconds();
      return {
        client: (used.user + used.system) / 1e6,
        calling: thread === undefined || threadNow === undefined ? undefined : threadNow - thread,
        servers: pids.reduce((sum, pid, i) => sum + pidCpuSeconds(pid) - servers[i], 0),
      };
    },
  };
}
