/**
 * The shared `main` of both servers: parse the common flags (flags.ts), build the
 * engine the server supplies, add the privacy features the flags ask for (privacy.ts:
 * ODoH target, token check, padding), start listening, install the signal handlers. Errors
 * before serving are one line on stderr and exit 2 (bad usage or input: flags, files,
 * addresses) or 3 (a server error, e.g. a port in use), DESIGN §8.
 */
import { isMimiError } from '@mimi/errors';
import type { QueryEngine } from './engine.js';
import { ServerConfigError, UsageError } from './errors.js';
import { type CommonFlags, type ExtraValues, type ProgramSpec, parseServerArgs } from './flags.js';
import type { HttpsRoute } from './https-listener.js';
import { createLogger, type Logger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { setupPrivacy } from './privacy.js';
import { type RunningServer, type ServerOptions, startServer } from './server.js';
import { installSignalHandlers } from './signals.js';

export interface ServerSetup {
  readonly flags: CommonFlags;
  readonly extra: ExtraValues;
  readonly logger: Logger;
  /** Pass to the engine so it can count signature-cache hits. */
  readonly metrics: ServerMetrics;
}

export interface ServerParts {
  readonly engine: QueryEngine;
  readonly routes?: readonly HttpsRoute[];
  /** The network apex whose CSI subtrees need tokens with --require-token (default `mimi.arpa.`). */
  readonly apex?: string;
  /** Called once listening (e.g. to start background jobs); its result is awaited. */
  readonly onStarted?: (server: RunningServer) => void | Promise<void>;
}

/** Exit status for an error at start-up (DESIGN §8). */
export function exitCodeFor(err: unknown): number {
  return err instanceof UsageError || err instanceof ServerConfigError ? 2 : 3;
}

/** The options startServer gets from the common flags. */
export function serverOptionsFromFlags(flags: CommonFlags): Omit<ServerOptions, 'logger' | 'metrics'> {
  return {
    doh: { listen: flags.listen, tls: { certFile: flags.tlsCert, keyFile: flags.tlsKey } },
    do53: flags.do53 === null ? null : { listen: flags.do53, public: flags.do53Public },
    pipeline: {
      rateLimit: { queriesPerSecond: flags.queriesPerSecond, missesPerSecond: flags.missesPerSecond },
    },
  };
}

export interface MainOptions {
  readonly argv?: readonly string[];
  /** Defaults to process.exit; tests pass their own. */
  readonly exit?: (code: number) => void;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  /** Install SIGHUP/SIGTERM/SIGINT handlers (default true; tests in-process say false). */
  readonly installSignals?: boolean;
}

/** Run a server program; resolves once it is serving (or has printed help / an error). */
export async function runServerMain(
  spec: ProgramSpec,
  build: (setup: ServerSetup) => Promise<ServerParts>,
  options: MainOptions = {},
): Promise<RunningServer | null> {
  const argv = options.argv ?? process.argv.slice(2);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let server: RunningServer | null = null;
  try {
    const command = parseServerArgs(argv, spec);
    if (command.kind !== 'run') {
      stdout.write(command.text.endsWith('\n') ? command.text : `${command.text}\n`);
      return null;
    }
    const logger = createLogger({
      level: command.flags.logLevel,
      name: spec.name,
      // Log lines go where stdout was asked to go (tests collect them); pino's own stdout otherwise.
      ...(options.stdout === undefined ? {} : { destination: options.stdout }),
    });
    // Signal handlers go in before anything listens: a supervisor that reads our
    // "listening" line and at once sends SIGTERM must get a clean exit, not the default
    // kill. Until the server exists, a SIGTERM just exits and a SIGHUP has nothing to reload.
    if (options.installSignals ?? true) {
      installSignalHandlers(
        {
          reload: async () => {
            await server?.reload();
          },
          close: async () => {
            await server?.close();
          },
        },
        logger,
        exit,
      );
    }
    const metrics = new ServerMetrics();
    const parts = await build({ flags: command.flags, extra: command.extra, logger, metrics });
    const privacy = await setupPrivacy(command.flags, { logger, metrics, apex: parts.apex });
    const base = serverOptionsFromFlags(command.flags);
    let started: RunningServer;
    try {
      started = await startServer(
        {
          ...base,
          pipeline: { ...base.pipeline, hooks: privacy.hooks },
          logger,
          metrics,
          routes: [...(parts.routes ?? []), ...privacy.routes],
          pipelineRoutes: privacy.pipelineRoutes,
        },
        parts.engine,
      );
    } catch (err) {
      await privacy.close();
      throw err;
    }
    privacy.start();
    // Closing the server also stops key rotation and the token verifier's fetches.
    server = {
      ...started,
      close: async () => {
        await started.close();
        await privacy.close();
      },
    };
    await parts.onStarted?.(server);
    return server;
  } catch (err) {
    const message = isMimiError(err) || err instanceof Error ? err.message : String(err);
    stderr.write(`${spec.name}: ${message}\n`);
    if (server !== null) await server.close();
    exit(exitCodeFor(err));
    return null;
  }
}
