/**
 * Process signals of a server: SIGHUP reloads (zones, TLS files) and drops the answer
 * cache; SIGTERM and SIGINT drain and exit 0. The handlers are plain functions so
 * tests call them in-process with a fake `exit`.
 */
import type { Logger } from './logger.js';
import type { RunningServer } from './server.js';

export interface SignalHandlers {
  hangup(): Promise<void>;
  terminate(signal: string): Promise<void>;
}

export function createSignalHandlers(
  server: Pick<RunningServer, 'reload' | 'close'>,
  logger: Logger,
  exit: (code: number) => void,
): SignalHandlers {
  let reloading: Promise<void> | null = null;
  let terminating: Promise<void> | null = null;
  return {
    hangup() {
      // A SIGHUP during a reload waits for it rather than starting a second one.
      reloading ??= (async () => {
        logger.info('sighup: reloading');
        try {
          await server.reload();
        } finally {
          reloading = null;
        }
      })();
      return reloading;
    },
    terminate(signal) {
      terminating ??= (async () => {
        logger.info({ signal }, 'shutting down');
        try {
          await server.close();
          exit(0);
        } catch (err) {
          logger.error({ err }, 'shutdown failed');
          exit(3);
        }
      })();
      return terminating;
    },
  };
}

/** Wire the handlers to the process; returns a function that removes them. */
export function installSignalHandlers(
  server: Pick<RunningServer, 'reload' | 'close'>,
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const handlers = createSignalHandlers(server, logger, exit);
  const onHup = () => void handlers.hangup();
  const onTerm = () => void handlers.terminate('SIGTERM');
  const onInt = () => void handlers.terminate('SIGINT');
  process.on('SIGHUP', onHup);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  return () => {
    process.off('SIGHUP', onHup);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  };
}
