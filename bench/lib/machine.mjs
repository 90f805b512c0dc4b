/**
 * The machine a run was measured on, recorded with its results: CPU count and model,
 * kernel, memory, load average at the start, Node, and the version of every tool and
 * server involved.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import { runCollect } from './process.mjs';

async function firstMatch(command, args, pattern) {
  const result = await runCollect(command, args);
  return pattern.exec(`${result.stdout}\n${result.stderr}`)?.[1];
}

/** `model name` of /proc/cpuinfo (Linux), else undefined. */
export function cpuModel(cpuinfo) {
  return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
}

export async function describeMachine(servers, repoRoot) {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const serverVersions = {};
  for (const server of servers) {
    serverVersions[server.id] = await server
      .version({ repoRoot })
      .catch((err) => `not available: ${err.message}`);
  }
  return {
    nproc: availableParallelism(),
    cpuModel: cpuModel(cpuinfo),
    kernel: release(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg(),
    node: process.version,
    dnsperf: await firstMatch('dnsperf', ['-h'], /Version (\S+)/),
    h2load: await firstMatch('h2load', ['--version'], /nghttp2\/(\S+)/),
    openssl: await firstMatch('openssl', ['version'], /OpenSSL (\S+)/),
    servers: serverVersions,
  };
}
