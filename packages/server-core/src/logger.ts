/**
 * Structured logs: pino, one JSON object per line on stdout (or a given stream). One
 * line per event (start, listen, reload, drain, errors) — never one per query unless
 * the level is `debug` or lower, so a busy server's log stays small.
 */
import pino from 'pino';

export type Logger = pino.Logger;

/** The levels `--log-level` accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Program name, added to every line as `name`. */
  readonly name?: string;
  /** Where lines go (tests pass a collecting stream); default stdout. */
  readonly destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const config: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: options.name === undefined ? { pid: process.pid } : { name: options.name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Written synchronously: lines are per event, not per query, and an asynchronous
  // stdout lets a line still in flight at exit land after a later one (seen: a relay's
  // `stopped` before its `signal`) or be lost.
  return pino(config, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

/** A logger that writes nothing (library default, unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
