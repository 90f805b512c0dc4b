/**
 * Coalescing of identical in-flight work (one exchange for many askers, as resolvers
 * do to avoid the "birthday" duplicate queries of RFC 5452 §5 and to spare servers).
 *
 * The shared work runs under its own AbortController, aborted only when every caller
 * waiting for it has given up; each caller waits on the shared promise raced against its
 * own signal, so one impatient caller never cancels the others' answer. A run started
 * by a caller without a signal can never be given up by everyone (that caller never
 * leaves), so it gets no controller at all: the common case of bulk resolution, where a
 * controller per look-up was measurable (docs/benchmarks-resolver.md).
 */
import { abortError } from '../errors.js';

interface Flight<V> {
  readonly promise: Promise<V>;
  /** Absent when the first caller had no signal: then nothing can stop the work. */
  readonly controller: AbortController | undefined;
  waiters: number;
}

export class InFlight<V> {
  private readonly flights = new Map<string, Flight<V>>();

  /** Number of distinct pieces of work running (for tests and metrics). */
  get size(): number {
    return this.flights.size;
  }

  /** Run `work` for `key`, or join the run already going. */
  run(key: string, work: (signal: AbortSignal | undefined) => Promise<V>, signal?: AbortSignal): Promise<V> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    let flight = this.flights.get(key);
    if (flight === undefined) {
      const controller = signal === undefined ? undefined : new AbortController();
      const promise = Promise.resolve()
        .then(() => work(controller?.signal))
        .finally(() => {
          if (this.flights.get(key) === flight) this.flights.delete(key);
        });
      // Waiters attach their own handlers; this one only keeps a run whose every
      // waiter left from surfacing as an unhandled rejection.
      promise.catch(() => undefined);
      flight = { promise, controller, waiters: 0 };
      this.flights.set(key, flight);
    }
    return this.wait(key, flight, signal);
  }

  private wait(key: string, flight: Flight<V>, signal: AbortSignal | undefined): Promise<V> {
    flight.waiters++;
    if (signal === undefined) {
      return flight.promise.finally(() => {
        flight.waiters--;
      });
    }
    return new Promise<V>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        flight.waiters--;
        if (flight.waiters === 0) {
          // Nobody wants the answer any more: stop the work and forget it.
          if (this.flights.get(key) === flight) this.flights.delete(key);
          flight.controller?.abort(signal.reason);
        }
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          if (settled) return;
          settled = true;
          flight.waiters--;
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err: unknown) => {
          if (settled) return;
          settled = true;
          flight.waiters--;
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }
}
