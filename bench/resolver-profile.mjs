/**
 * Optional CPU profile of one measured phase (`--cpu-prof DIR`): the V8 sampling
 * profiler through node:inspector, started and stopped around the phase only, so the
 * profile shows the bulk resolution and not the set-up. The file is the same
 * `.cpuprofile` JSON `node --cpu-prof` writes (Chrome DevTools, speedscope), and
 * `summarizeProfile` gives the self time per function for the report.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Sampling interval (µs): 10× finer than the default 1 ms, still cheap. */
const SAMPLING_INTERVAL_US = 100;

/** Start profiling; `stop(name)` writes `<dir>/<name>.cpuprofile` and returns the profile. */
export async function startProfile(dir) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return { file, profile };
    },
  };
}

function functionKey(callFrame) {
  const { functionName, url, lineNumber } = callFrame;
  const where = url === '' ? '' : `${url.replace(/^.*\/(packages|node_modules)\//, '$1/')}:${lineNumber + 1}`;
  return { key: `${functionName || '(anonymous)'} ${where}`, fn: functionName || '(anonymous)', where };
}

/**
 * Time per function, highest self time first: `[{fn, where, selfMs, totalMs, self,
 * total}]` — self counts the samples in the function itself, total those with it
 * anywhere on the stack (once per sample, recursion included); `self` and `total` are
 * shares of all samples. Sample time is the profile's mean sampling interval.
 */
export function summarizeProfile(profile, { top = 25, by = 'self' } = {}) {
  const total = profile.samples.length;
  const intervalMs = total > 0 ? (profile.endTime - profile.startTime) / 1000 / total : 0;
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const entries = new Map();
  const entryOf = (callFrame) => {
    const { key, fn, where } = functionKey(callFrame);
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = { fn, where, selfSamples: 0, totalSamples: 0 };
      entries.set(key, entry);
    }
    return entry;
  };
  for (const [id, samples] of counts) {
    entryOf(nodes.get(id).callFrame).selfSamples += samples;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const entry = entryOf(nodes.get(at).callFrame);
      if (seen.has(entry)) continue;
      seen.add(entry);
      entry.totalSamples += samples;
    }
  }
  const sortKey = by === 'total' ? 'totalSamples' : 'selfSamples';
  return [...entries.values()]
    .sort((a, b) => b[sortKey] - a[sortKey])
    .slice(0, top)
    .map(({ fn, where, selfSamples, totalSamples }) => ({
      fn,
      where,
      selfMs: selfSamples * intervalMs,
      totalMs: totalSamples * intervalMs,
      self: selfSamples / total,
      total: totalSamples / total,
    }));
}
