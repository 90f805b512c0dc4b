#!/usr/bin/env node
/**
 * `mimi-issuer` (DESIGN §2, §8): parse the flags, load the TLS files and the users
 * (both refused when group- or world-readable), start the issuer and print where it
 * listens. Exit codes: 0 after --help/--version or a clean stop (SIGINT/SIGTERM),
 * 2 for bad usage or bad input files, 3 when the server cannot run. SIGHUP reloads the
 * users file. Errors are one line on stderr.
 */
import { readFileSync } from 'node:fs';
import { isMimiError } from '@mimi/errors';
import { ISSUER_DIRECTORY_PATH } from '@mimi/tokens';
import { parseIssuerArgs, USAGE } from './flags.js';
import { loadTls, type RunningIssuer, startIssuer } from './issuer.js';
import { UserRegistry } from './users.js';

const NAME = 'mimi-issuer';

function version(): string {
  const raw = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

function say(line: string): void {
  process.stderr.write(`${NAME}: ${line}\n`);
}

function oneLine(err: unknown): string {
  return isMimiError(err) ? err.message : ((err as Error)?.message ?? String(err)).split('\n')[0]!;
}

async function main(argv: readonly string[]): Promise<number | undefined> {
  let command: ReturnType<typeof parseIssuerArgs>;
  try {
    command = parseIssuerArgs(argv);
  } catch (err) {
    say(`${oneLine(err)} (see --help)`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind !== 'run') {
    process.stdout.write(`${NAME} ${version()}\n`);
    return 0;
  }
  const flags = command.flags;
  let issuer: RunningIssuer;
  try {
    const tls = await loadTls(flags.tlsCert, flags.tlsKey);
    const users = await UserRegistry.load(flags.users);
    try {
      issuer = await startIssuer({
        host: flags.host,
        port: flags.port,
        tls,
        stateDir: flags.stateDir,
        users,
        quota: flags.quota,
        epochSeconds: flags.epochSeconds,
        log: say,
      });
    } catch (err) {
      say(oneLine(err));
      return 3;
    }
    process.stdout.write(
      `${NAME} listening on ${issuer.url} (directory ${issuer.url}${ISSUER_DIRECTORY_PATH}; ` +
        `${users.size} users, ${flags.quota} tokens per user per ${flags.epochSeconds} s epoch)\n`,
    );
  } catch (err) {
    say(oneLine(err));
    return 2;
  }
  const stop = (): void => {
    issuer.close().then(
      () => process.exit(0),
      () => process.exit(3),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.on('SIGHUP', () => {
    UserRegistry.load(flags.users).then(
      (users) => {
        issuer.setUsers(users);
        say(`reloaded ${users.size} users from ${flags.users}`);
      },
      (err: unknown) => say(`users file not reloaded: ${oneLine(err)}`),
    );
  });
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    say(oneLine(err));
    process.exitCode = 3;
  },
);
