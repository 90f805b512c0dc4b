#!/usr/bin/env node
/**
 * `mimi-relay`: the oblivious relay of the MIMI discovery network (DESIGN §2, §7).
 * Exit codes (DESIGN §8): 0 after a clean SIGTERM/SIGINT drain, 2 for bad usage or
 * configuration (one line on stderr), 3 when the listener cannot start.
 */
import { readFileSync } from 'node:fs';
import { isMimiError } from '@mimi/errors';
import { createLogger } from '@mimi/server-core/basics';
import { parseRelayArgs, USAGE } from './args.js';
import { MAX_TRACKED_CLIENTS } from './constants.js';
import { type RunningRelay, startRelay } from './server.js';
import { readTargetsFile } from './targets.js';
import { loadTlsMaterial, readCaFile } from './tls-files.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function fail(code: number, message: string): never {
  process.stderr.write(`mimi-relay: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseRelayArgs>;
  try {
    parsed = parseRelayArgs(process.argv.slice(2));
  } catch (err) {
    fail(2, `${(err as Error).message} (see --help)`);
  }
  if (parsed.kind === 'help') return void process.stdout.write(USAGE);
  if (parsed.kind === 'version') return void process.stdout.write(`mimi-relay ${version()}\n`);
  const { args } = parsed;
  let configured: Awaited<ReturnType<typeof load>>;
  try {
    configured = await load(args.tlsCert, args.tlsKey, args.targets, args.ca);
  } catch (err) {
    fail(2, isMimiError(err) ? err.message : String(err));
  }
  const logger = createLogger({ level: args.logLevel, name: 'mimi-relay' });
  // Handlers first: a SIGTERM that arrives while the listener starts still drains.
  let relay: RunningRelay | undefined;
  let pending: string | undefined;
  const stop = (signal: string) => {
    if (relay === undefined) {
      pending = signal;
      return;
    }
    logger.info({ event: 'signal', signal }, 'draining');
    relay.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ event: 'drain-failed', err });
        process.exit(3);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  try {
    relay = await startRelay({
      host: args.host,
      port: args.port,
      ...configured,
      maxBodyBytes: args.maxBodyBytes,
      ratePerSecond: args.ratePerSecond,
      burst: args.burst,
      maxClients: MAX_TRACKED_CLIENTS,
      maxInFlight: args.maxInFlight,
      upstreamTimeoutMs: args.timeoutMs,
      logger,
    });
  } catch (err) {
    fail(3, `cannot listen on ${args.host}:${args.port}: ${(err as Error).message}`);
  }
  if (pending !== undefined) stop(pending);
}

async function load(certFile: string, keyFile: string, targetsFile: string, caFile: string | undefined) {
  const [tls, targets, ca] = await Promise.all([
    loadTlsMaterial(certFile, keyFile),
    readTargetsFile(targetsFile),
    caFile === undefined ? Promise.resolve(undefined) : readCaFile(caFile),
  ]);
  return { tls, targets, ...(ca === undefined ? {} : { ca }) };
}

void main();
