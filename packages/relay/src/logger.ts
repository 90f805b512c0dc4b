/**
 * Structured logs (pino, one JSON object per line). The relay's privacy rule, which the
 * tests check line by line: no line ever holds both a client's address and a target
 * host — otherwise the log would join what ODoH keeps apart (RFC 9230 §11: "Proxies know
 * the origin and destination of an oblivious query"; nothing more, and not on disk).
 * So: forwarding lines name the target and never the client; limiter lines name the
 * client and never the target; errors name one side only.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { name: 'mimi-relay', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
