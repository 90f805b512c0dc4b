/**
 * Child processes pinned to CPUs (`taskset -c`, util-linux): servers that run until
 * stopped, and tools that run to completion. Output goes to files in the run's
 * directory, never through this process, so the harness stays idle while measuring.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { BenchError } from './errors.mjs';

/** How long a server gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/** `taskset -c 0,1 cmd args...`: taskset execs the command, so the pid is the command's. */
export function pinnedCommand(cpus, command, args) {
  if (!Array.isArray(cpus) || cpus.length === 0 || !cpus.every((cpu) => Number.isInteger(cpu) && cpu >= 0)) {
    throw new BenchError('bad-cpus', `cpu list ${JSON.stringify(cpus)} is not a list of cpu numbers`);
  }
  return { command: 'taskset', args: ['-c', cpus.join(','), command, ...args] };
}

async function spawnLogged({ command, args, cwd, logFile, env }) {
  const log = await open(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', log.fd, log.fd] });
    const exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    await Promise.race([once(child, 'spawn'), exited]);
    return { child, exited };
  } finally {
    await log.close();
  }
}

/**
 * Start a long-running server pinned to `cpus`. The handle's `stop()` sends SIGTERM,
 * waits up to STOP_GRACE_MS, then SIGKILLs; it resolves with how the process ended.
 */
export async function startPinned({ cpus, command, args, cwd, logFile, env }) {
  const pinned = pinnedCommand(cpus, command, args);
  const { child, exited } = await spawnLogged({ ...pinned, cwd, logFile, env });
  let result;
  exited.then((value) => {
    result = value;
  });
  return {
    pid: child.pid,
    exited,
    /** Undefined while running; how it ended once it has. */
    status: () => result,
    async stop() {
      if (result) return result;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      const ended = await exited;
      clearTimeout(timer);
      return ended;
    },
  };
}

/** Run a tool pinned to `cpus` to completion; stdout and stderr go to `logFile`. */
export async function runPinned({ cpus, command, args, cwd, logFile, env }) {
  const pinned = pinnedCommand(cpus, command, args);
  const { exited } = await spawnLogged({ ...pinned, cwd, logFile, env });
  const ended = await exited;
  if (ended.error) {
    throw new BenchError('spawn-failed', `cannot run ${command}: ${ended.error.message}`, {
      cause: ended.error,
    });
  }
  return ended;
}

/** Run a command (unpinned) and collect its output; for version probes and tools. */
export function runCollect(command, args, { cwd, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.once('error', (error) => resolve({ code: null, stdout: '', stderr: error.message, error }));
    child.once('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}
