/**
 * One load run against one (server, transport) target, pinned to the client CPUs:
 * dnsperf for Do53 (and for DoH when asked), h2load for DoH by default. Either way the
 * result has the same shape — sent, completed, lost, qps, avg/min/max latency, latency
 * percentiles of measured runs — plus `serverCpu` and `clientCpu`, the share of their
 * cores the server and the load tool used meanwhile: the one near 1.0 set the pace (and
 * neither near 1.0 means something else took the CPUs).
 */
import { existsSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { treeCpuSeconds } from './cpu.mjs';
import { dnsperfArgs, latencyPercentiles, parseDnsperfStatistics } from './dnsperf.mjs';
import { h2loadArgs, h2loadPercentiles, parseH2loadOutput } from './h2load.mjs';
import { runPinned } from './process.mjs';

/** The tail of a file (dnsperf's statistics follow a million `-v` lines). */
async function readTail(file, bytes = 16_384) {
  const size = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString();
  } finally {
    await handle.close();
  }
}

/** GNU time (Debian `time`): the load tool's own CPU use, to tell a client-bound run. */
const GNU_TIME = '/usr/bin/time';

/**
 * Run the load tool pinned to the client CPUs; `serverCpu` is the server's CPU time over
 * the tool's wall time, per server core; `clientCpu` the tool's own, per client core.
 */
async function measuredTool(plan, target, command, args, logFile) {
  const timesFile = `${logFile}.times`;
  const timed = existsSync(GNU_TIME)
    ? [GNU_TIME, ['-o', timesFile, '-f', '%U %S %e', command, ...args]]
    : [command, args];
  const cpuBefore = await treeCpuSeconds(target.pid);
  const startedAt = process.hrtime.bigint();
  const ended = await runPinned({ cpus: plan.clientCpus, command: timed[0], args: timed[1], logFile });
  const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const cpuSeconds = (await treeCpuSeconds(target.pid)) - cpuBefore;
  const serverCpu = cpuSeconds / wallSeconds / plan.serverCpus.length;
  const clientCpu = existsSync(timesFile)
    ? clientShare(await readFile(timesFile, 'utf8'), plan.clientCpus.length)
    : undefined;
  return { ended, serverCpu, clientCpu };
}

/** GNU time's `%U %S %e` (user, system, elapsed seconds) as a share of `cpus` cores. */
export function clientShare(text, cpus) {
  const [user, system, elapsed] = text.trim().split('\n').pop().split(' ').map(Number);
  return elapsed > 0 ? (user + system) / elapsed / cpus : undefined;
}

/** Which tool loads `transport`: dnsperf for udp, the plan's choice for doh. */
export function loadTool(plan, transport) {
  return transport === 'doh' ? plan.dohClient : 'dnsperf';
}

async function dnsperfRun(plan, target, { label, measure }) {
  const logFile = join(target.dir, `dnsperf-${target.transport}-${label}.log`);
  const args = dnsperfArgs({
    transport: target.transport,
    port: target.port,
    queryFile: plan.queryFile,
    durationSeconds: measure ? plan.durationSeconds : plan.warmupSeconds,
    passes: measure ? undefined : 1,
    clients: plan.clients,
    outstanding: plan.outstanding,
    dohPath: '/dns-query',
    dohMethod: plan.dohMethod,
    threads: plan.clientCpus.length,
    verbose: measure,
  });
  const { ended, serverCpu, clientCpu } = await measuredTool(plan, target, 'dnsperf', args, logFile);
  const tail = await readTail(logFile);
  const stats = { ...parseDnsperfStatistics(tail), serverCpu, clientCpu };
  if (ended.code !== 0) stats.exitCode = ended.code;
  if (measure) {
    stats.latency = await latencyPercentiles(logFile);
    // A `-v` log holds a line per query (tens of MB): keep only its summary.
    await writeFile(`${logFile}.tail`, tail);
    await rm(logFile);
  }
  return { args, stats };
}

async function h2loadRun(plan, target, { label, measure }) {
  const logFile = join(target.dir, `h2load-${label}.log`);
  const requestLog = join(target.dir, `h2load-${label}.requests`);
  const args = h2loadArgs({
    uriFile: target.uriFile,
    durationSeconds: plan.durationSeconds,
    requests: measure ? undefined : plan.queries,
    clients: plan.clients,
    streams: plan.outstanding,
    threads: plan.clientCpus.length,
    logFile: measure ? requestLog : undefined,
  });
  const { ended, serverCpu, clientCpu } = await measuredTool(plan, target, 'h2load', args, logFile);
  const stats = { ...parseH2loadOutput(await readTail(logFile)), serverCpu, clientCpu };
  if (ended.code !== 0) stats.exitCode = ended.code;
  if (measure) {
    stats.latency = await h2loadPercentiles(requestLog);
    await rm(requestLog);
  }
  return { args, stats };
}

/** One run; `measure` marks a measured (not warm-up) run. */
export async function runLoad(plan, target, options) {
  const tool = loadTool(plan, target.transport);
  const loadBefore = loadavg()[0];
  const run =
    tool === 'h2load' ? await h2loadRun(plan, target, options) : await dnsperfRun(plan, target, options);
  return { args: [tool, ...run.args], stats: { tool, ...run.stats, loadBefore } };
}
