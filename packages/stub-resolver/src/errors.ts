/**
 * Errors of the stub resolver. DNS outcomes (bogus, unreachable, no-mapping) are
 * results, never exceptions (DESIGN §6); what is thrown is misuse or a failure the
 * caller must see: a bad configuration, an aborted call, a transport failure that the
 * resolver turns into failover.
 *
 * Codes:
 * - `config-read`, `config-json`, `config-invalid`, `config-ca`: the client configuration
 *   (DESIGN §8 "Client configuration"); `details.file` and `details.key` say where;
 * - `trust-anchor`: a trust anchor line that is not a DS or DNSKEY record;
 * - `aborted`: the caller's AbortSignal fired;
 * - `transport-timeout`, `transport-network`, `transport-http`, `transport-response`:
 *   one exchange with one server failed (the resolver fails over);
 * - `closed`: the resolver was used after `close()`;
 * - `bad-option`: an option out of range (`concurrency`); `bad-csip-id`: a CSIP id that is
 *   not 1–32 of `a-z 0-9 -`;
 * - `no-delegation`: `findDelegation` found no authoritative DP's zone for the CSI
 *   (the name lies in the apex or in `e164.`/`email.` themselves);
 * - `bogus`, `unreachable` (BogusError, UnreachableError in outcomes.ts): thrown by
 *   `findDelegation` and `fetchCsipKeys`, which have no result object to carry them;
 *   `reasonCode` says why, as in a result's reason.
 */
import { MimiError } from '@mimi/errors';

export class ResolverError extends MimiError {}

/** The error to throw when `signal` has fired, keeping its reason as the cause. */
export function abortError(signal: AbortSignal): ResolverError {
  return new ResolverError('aborted', 'resolution aborted', { cause: signal.reason });
}

/** Throw `aborted` when the signal has fired (checked before each step of a walk). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** `promise`, or `aborted` as soon as `signal` fires (the promise is left to settle alone). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
