/**
 * What travels with every step of one resolution: the caller's abort signal, the trace
 * sink, the chain of look-ups in progress above this one (to refuse cycles such as a
 * zone whose only server host lies inside it without glue — RFC 1034 §4.2.2), and the
 * resolver's wait-for graph (to refuse the same cycle when it spans two concurrent
 * resolutions that joined each other's work).
 */

import type { InFlight } from './cache/in-flight.js';
import type { WaitGraph } from './cache/wait-graph.js';
import { MAX_DEPTH } from './constants.js';
import { UnreachableError } from './outcomes.js';
import type { TraceSink } from './trace.js';
import type { Verifier } from './verify/pool.js';

export interface WalkContext {
  readonly signal?: AbortSignal | undefined;
  readonly trace?: TraceSink;
  /** Keys of the look-ups, zones and hosts being worked on above this step. */
  readonly chain: readonly string[];
  /** The resolver's wait-for graph of coalesced work (one per resolver). */
  readonly waits: WaitGraph;
  /** Where signature checks run (a worker pool in bulk resolution); absent: right here. */
  readonly verifier?: Verifier | undefined;
}

/** Each nesting level costs a few chain entries (a look-up, a zone, a host). */
const MAX_CHAIN = MAX_DEPTH * 4;

function cycle(key: string, context: WalkContext): UnreachableError {
  return new UnreachableError(
    'cycle',
    `resolving ${key.replace(/^\w+:/, '')} depends on itself (${context.chain.length} steps deep)`,
  );
}

/**
 * Run `work` for `key` once for every concurrent asker (coalesced through `flights`),
 * or directly when tracing, so that a traced resolution sees every one of its steps.
 */
export function shared<V>(
  flights: InFlight<V>,
  key: string,
  context: WalkContext,
  work: (context: WalkContext) => Promise<V>,
): Promise<V> {
  if (context.chain.includes(key) || context.chain.length >= MAX_CHAIN) {
    return Promise.reject(cycle(key, context));
  }
  const chain = [...context.chain, key];
  const { waits, verifier } = context;
  const inner = (signal: AbortSignal | undefined): WalkContext =>
    verifier === undefined ? { signal, chain, waits } : { signal, chain, waits, verifier };
  // A traced walk never joins a flight, so it can only meet itself (the chain above).
  if (context.trace !== undefined) return work({ ...context, chain });
  const parent = context.chain.at(-1);
  if (parent === undefined) return flights.run(key, (signal) => work(inner(signal)), context.signal);
  // The work for `parent` is about to wait on `key`: refuse when `key` already waits on it.
  if (waits.reaches(key, parent)) return Promise.reject(cycle(key, context));
  const done = waits.wait(parent, key);
  const result = flights.run(key, (signal) => work(inner(signal)), context.signal);
  result.then(done, done);
  return result;
}
