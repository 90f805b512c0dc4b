/**
 * The measuring loop. Every server under test is started (pinned to the server CPUs,
 * each in its own directory with its own ports), waited for until it answers the zone's
 * SOA on each transport, and asked one query of each kind in the mix. Then each
 * (server, transport) gets a warm-up pass, and the measured load runs go round-robin:
 * round 1 of every pair, then round 2 ... so that anything else running on the machine
 * falls on all servers alike. The median round is reported. Servers are stopped cleanly
 * whatever happens.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RRType } from '@mimi/protocol';
import { BenchError } from './errors.mjs';
import { dohUriFile } from './h2load.mjs';
import { loadTool, runLoad } from './load-run.mjs';
import { ask, freePort, waitFor } from './probe.mjs';
import { startPinned } from './process.mjs';

/** The run with the median queries/s (the lower middle one for an even count). */
export function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.qps - b.qps);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** What a server answers to one query of each mix entry (rcode, sizes, RRSIG present). */
async function sampleAnswers(transport, port, plan) {
  const samples = [];
  for (const { label, question } of plan.samples) {
    const reply = await ask(transport, port, question, { ca: plan.tls.certPem });
    const records = reply.message.answers.concat(reply.message.authorities);
    samples.push({
      label,
      rcode: reply.rcode,
      aa: reply.aa,
      answers: reply.answers,
      authorities: reply.authorities,
      signed: records.some((rr) => rr.type === RRType.RRSIG),
      bytes: reply.bytes,
    });
  }
  return samples;
}

/** Start one server and wait until it answers; returns its targets and a stop(). */
async function launch(server, plan, log) {
  const dir = join(plan.runDir, server.id);
  await mkdir(dir, { recursive: true });
  const transports = server.transports.filter((t) => plan.transports.includes(t));
  const ports = {
    udp: await freePort(plan.takenPorts),
    // A server that speaks DoH gets its port even when only Do53 is measured (ours needs --listen).
    doh: server.transports.includes('doh') ? await freePort(plan.takenPorts) : undefined,
  };
  const { command, args } = await server.prepare({ ...plan.serverContext, dir, ports });
  const where = `udp ${ports.udp}${ports.doh ? `, doh ${ports.doh}` : ''}`;
  log(`${server.id}: starting on cpu ${plan.serverCpus.join(',')} (${where})`);
  const started = Date.now();
  const logFile = join(dir, 'server.log');
  const handle = await startPinned({ cpus: plan.serverCpus, command, args, cwd: dir, logFile });
  const stop = async () => {
    const ended = await handle.stop();
    log(`${server.id}: stopped (${ended.signal ?? ended.code})`);
  };
  try {
    const soa = { name: plan.zone, type: RRType.SOA };
    for (const transport of transports) {
      await waitFor(
        async () => {
          const reply = await ask(transport, ports[transport], soa, {
            ca: plan.tls.certPem,
            timeoutMs: 1000,
          });
          if (reply.rcode !== 0 || reply.answers === 0) {
            throw new BenchError(
              'not-ready',
              `soa query got rcode ${reply.rcode} and ${reply.answers} answers`,
            );
          }
        },
        {
          timeoutMs: server.readyTimeoutMs,
          alive: () => handle.status() === undefined,
          what: `${server.id} (${transport})`,
        },
      );
    }
    const answeringSeconds = (Date.now() - started) / 1000;
    log(`${server.id}: answering after ${answeringSeconds.toFixed(1)} s`);
    // A server that signs in the background is measured once that is done.
    if (server.settled !== undefined) {
      const report = await server.settled({ logFile, alive: () => handle.status() === undefined });
      log(
        `${server.id}: store signed after ${((Date.now() - started) / 1000).toFixed(1)} s (${report.signatures} signatures in ${(report.milliseconds / 1000).toFixed(1)} s)`,
      );
    }
    const readySeconds = (Date.now() - started) / 1000;
    const targets = [];
    for (const transport of transports) {
      const port = ports[transport];
      const samples = await sampleAnswers(transport, port, plan);
      const target = { server: server.id, transport, pid: handle.pid, port, dir, readySeconds, samples };
      if (loadTool(plan, transport) === 'h2load') {
        target.uriFile = join(dir, 'doh-uris.txt');
        await writeFile(target.uriFile, dohUriFile(plan.questions, port));
      }
      targets.push(target);
    }
    return { targets, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One load run of `target`; a failure marks the target and is logged, not thrown. */
async function tryLoad(plan, target, options, log) {
  try {
    return await runLoad(plan, target, options);
  } catch (err) {
    target.error = `${options.label}: ${err.message}`;
    log(`${target.server}/${target.transport}: ${target.error}`);
    return undefined;
  }
}

/** What a finished target reports: its median run, or its error. */
function resultOf({ dir: _dir, port: _port, pid: _pid, uriFile: _uris, ...target }) {
  if (target.error)
    return {
      server: target.server,
      transport: target.transport,
      error: target.error,
      samples: target.samples,
    };
  return { ...target, stats: medianRun(target.runs) };
}

/**
 * Run `servers` through `plan` (see servers.mjs). Resolves with one result per
 * (server, transport): `{server, transport, readySeconds, samples, warmup, args, stats,
 * runs}`, or `{server, transport, error}` for one that failed to start or to be measured.
 */
export async function runServers(servers, plan, log) {
  const running = [];
  const results = [];
  try {
    for (const server of servers) {
      try {
        running.push(await launch(server, plan, log));
      } catch (err) {
        log(`${server.id}: ${err.message}`);
        results.push({ server: server.id, transport: server.transports.join('+'), error: err.message });
      }
    }
    const measured = running
      .flatMap((instance) => instance.targets)
      .map((target) => ({ ...target, runs: [] }));
    for (const target of measured) {
      log(`${target.server}/${target.transport}: warm-up (one pass, at most ${plan.warmupSeconds} s)`);
      target.warmup = (await tryLoad(plan, target, { label: 'warmup', measure: false }, log))?.stats;
    }
    for (let round = 1; round <= plan.rounds; round++) {
      for (const target of measured.filter((t) => !t.error)) {
        log(`${target.server}/${target.transport}: round ${round}/${plan.rounds}, ${plan.durationSeconds} s`);
        const run = await tryLoad(plan, target, { label: `run${round}`, measure: true }, log);
        if (!run) continue;
        target.args = run.args;
        target.runs.push(run.stats);
      }
    }
    results.push(...measured.map(resultOf));
  } finally {
    for (const instance of running) await instance.stop();
  }
  return results;
}
