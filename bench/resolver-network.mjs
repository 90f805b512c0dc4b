/**
 * The network the stub-resolver benchmark resolves against: the built servers on
 * 127.0.0.1 (startTestNetwork of @mimi/test-support) — the root DP (apex + CSIP zone,
 * trust anchor, delegation with DS and the DP's `_dns` SVCB endpoint, RFC 9461) and ONE
 * authoritative DP for `4.4.e164.mimi.arpa.` (+44), with the CSIP `uk-carrier`.
 *
 * Per-client limits are off (`--rate-limit 0 --miss-rate-limit 0 --api-rate-limit 0`):
 * the benchmark is one client, and the defaults (100 uncached answers/s) exist to stop
 * floods, which would make the DP, not the stub, the thing measured.
 *
 * Its state directory (keys, certificates, the DP's SQLite store) goes on tmpfs
 * (/dev/shm) when there is one: the store commits each publish with synchronous=FULL,
 * and one fsync costs ≈ 4.5 ms on this machine's disk, which would hold publishing the
 * data set to ~200/s. Reads — what the benchmark measures — do not touch the disk either way.
 *
 * Pinning (Linux `taskset`, sched_setaffinity(2)): servers on one set of CPUs, this
 * process on the others, so the two sides do not steal each other's core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_APEX as APEX } from '@mimi/protocol';
import { startTestNetwork } from '@mimi/test-support';
import { BenchError } from './lib/errors.mjs';

export const DP_ZONE = `4.4.e164.${APEX}`;
export const CSIP_ID = 'uk-carrier';
const NO_LIMITS = ['--rate-limit', '0', '--miss-rate-limit', '0'];

/** Where the state directory goes: tmpfs if the machine has it. */
export function stateParent() {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/**
 * Start the network; resolves with the running TestNetwork whose `stop()` also removes
 * the state directory, and `stateDir` (where it is).
 */
export async function startBenchNetwork() {
  const dir = mkdtempSync(join(stateParent(), 'mimi-bench-resolver-'));
  let network;
  try {
    network = await startNetworkIn(dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...network,
    stateDir: dir,
    async stop() {
      try {
        await network.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function startNetworkIn(dir) {
  return startTestNetwork({
    dir,
    authoritatives: [
      {
        name: 'tel',
        host: `tel.nic.${APEX}`,
        zones: [{ apex: DP_ZONE, file: 'zones/4.4.e164.zone' }],
        args: [...NO_LIMITS, '--api-rate-limit', '0'],
      },
    ],
    csips: [{ id: CSIP_ID, scope: ['+44'] }],
    rootArgs: NO_LIMITS,
  });
}

/** The pids of the network's server processes. */
export function serverPids(network) {
  return [network.root, ...network.authoritatives].map((server) => server.process.pid);
}

/** True when `taskset` can be run here. */
export function canPin() {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Pin every thread of `pid` to `cpus` (`'0'`, `'1-3'`); BenchError `pin-failed` otherwise. */
export function pin(pid, cpus) {
  const result = spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new BenchError(
      'pin-failed',
      `taskset could not pin pid ${pid} to cpus ${cpus}: ${(result.stderr || result.error?.message || '').trim()}`,
    );
  }
}

/**
 * The CPU split for `nproc` CPUs: servers on the first half (at least one), the client
 * on the rest; null on one CPU (nothing to split).
 */
export function cpuSplit(nproc) {
  if (nproc < 2) return null;
  const servers = Math.max(1, Math.floor(nproc / 2));
  const range = (from, to) => (from === to ? `${from}` : `${from}-${to}`);
  return { servers: range(0, servers - 1), client: range(servers, nproc - 1) };
}
