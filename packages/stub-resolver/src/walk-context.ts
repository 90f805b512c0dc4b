/**
 * What travels with every step of one resolution: the caller's abort signal, the trace
 * sink, and the chain of look-ups in progress above this one (to refuse cycles such
 * as a zone whose only server host lies inside it without glue — RFC 1034 §4.2.2).
 */

import type { InFlight } from './cache/in-flight.js';
import { MAX_DEPTH } from './constants.js';
import { UnreachableError } from './outcomes.js';
import type { TraceSink } from './trace.js';

export interface WalkContext {
  readonly signal?: AbortSignal | undefined;
  readonly trace?: TraceSink;
  /** Keys of the look-ups, zones and hosts being worked on above this step. */
  readonly chain: readonly string[];
}

/** Each nesting level costs a few chain entries (a look-up, a zone, a host). */
const MAX_CHAIN = MAX_DEPTH * 4;

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
    return Promise.reject(
      new UnreachableError(
        'cycle',
        `resolving ${key.replace(/^\w+:/, '')} depends on itself (${context.chain.length} steps deep)`,
      ),
    );
  }
  const chain = [...context.chain, key];
  if (context.trace !== undefined) return work({ ...context, chain });
  return flights.run(key, (signal) => work({ signal, chain }), context.signal);
}
