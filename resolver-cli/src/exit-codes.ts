/**
 * The one place that decides the exit code (DESIGN §8: "0 success (including
 * `no-mapping` and `opted-out`), 1 `bogus`, 2 bad usage or bad input, 3 `unreachable` or
 * a server error"), from a thrown error or from the statuses of resolved CSIs (DESIGN §6:
 * "With several CSIs the exit code is 1 if any was `bogus`, else 3 if any was
 * `unreachable`, else 0").
 */
import { CryptoError } from '@mimi/crypto';
import { CsiError, ObjectError, WireFormatError, ZoneParseError } from '@mimi/protocol';
import { BogusError, ResolverError, type ResolveStatus, UnreachableError } from '@mimi/stub-resolver';
import { CliError } from './errors.js';

export const ExitCode = {
  ok: 0,
  bogus: 1,
  usage: 2,
  unavailable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** CLI error codes that are about a server or a missing service, not about the input. */
const CLI_UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['not-yet-available', 'server-error']);

/** Resolver error codes that are about the configuration the user gave (bad input). */
const RESOLVER_INPUT_CODES: ReadonlySet<string> = new Set([
  'config-read',
  'config-json',
  'config-invalid',
  'config-ca',
  'trust-anchor',
  'bad-csip-id',
  'bad-option',
]);

/** yargs reports its own usage errors as `YError`; they are bad usage like ours. */
export function isYargsError(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'YError' || err.constructor.name === 'YError');
}

export function exitCodeOfError(err: unknown): ExitCode {
  if (err instanceof CliError) {
    return CLI_UNAVAILABLE_CODES.has(err.code) ? ExitCode.unavailable : ExitCode.usage;
  }
  if (isYargsError(err)) return ExitCode.usage;
  if (
    err instanceof CsiError ||
    err instanceof ObjectError ||
    err instanceof CryptoError ||
    err instanceof ZoneParseError ||
    err instanceof WireFormatError
  ) {
    return ExitCode.usage;
  }
  if (err instanceof BogusError) return ExitCode.bogus;
  if (err instanceof UnreachableError) return ExitCode.unavailable;
  if (err instanceof ResolverError) {
    return RESOLVER_INPUT_CODES.has(err.code) ? ExitCode.usage : ExitCode.unavailable;
  }
  // Anything else is unexpected (a bug or the system failing under us): not the
  // user's input, so not 2; the contract has no other code than "a server error".
  return ExitCode.unavailable;
}

/** DESIGN §6: bogus wins over unreachable, which wins over success. */
export function exitCodeOfStatuses(statuses: Iterable<ResolveStatus>): ExitCode {
  let code: ExitCode = ExitCode.ok;
  for (const status of statuses) {
    if (status === 'bogus') return ExitCode.bogus;
    if (status === 'unreachable') code = ExitCode.unavailable;
  }
  return code;
}
