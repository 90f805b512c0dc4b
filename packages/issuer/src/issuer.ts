/**
 * The token issuer assembled (DESIGN §2 `mimi-issuer`): epoch keys in the state
 * directory, the users and their quota, issuance, and the HTTPS front. Everything takes
 * an injected clock so epochs can be tested without waiting for them.
 */
import { promises as fs } from 'node:fs';
import { isIP } from 'node:net';
import { serializeDirectory, TOKEN_REQUEST_PATH } from '@mimi/tokens';
import { type EpochClock, epochAt, secondsToNextEpoch } from './epoch.js';
import { IssuerError } from './errors.js';
import { IssuerHttpServer, type TlsMaterial } from './http-server.js';
import { Issuance } from './issuance.js';
import { EpochKeyStore } from './key-store.js';
import { readProtectedFile } from './protected-file.js';
import { QuotaLedger } from './quota.js';
import type { UserRegistry } from './users.js';

export interface IssuerOptions {
  readonly host: string;
  /** 0 asks the system for a free port. */
  readonly port: number;
  readonly tls: TlsMaterial;
  readonly stateDir: string;
  readonly users: UserRegistry;
  /** Tokens per user per epoch. */
  readonly quota: number;
  readonly epochSeconds: number;
  readonly now?: (() => number) | undefined;
  readonly log?: ((line: string) => void) | undefined;
}

export interface RunningIssuer {
  /** https://host:port — the issuer URL clients and DPs are given. */
  readonly url: string;
  readonly port: number;
  readonly keys: EpochKeyStore;
  /** Swap the users (e.g. on SIGHUP after the file changed). */
  setUsers(users: UserRegistry): void;
  close(): Promise<void>;
}

export async function startIssuer(options: IssuerOptions): Promise<RunningIssuer> {
  if (!Number.isSafeInteger(options.epochSeconds) || options.epochSeconds < 1) {
    throw new IssuerError('usage', `epoch length ${options.epochSeconds} s must be a positive integer`);
  }
  const log = options.log ?? (() => undefined);
  const clock: EpochClock = { epochSeconds: options.epochSeconds, now: options.now ?? Date.now };
  await fs.mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const keys = new EpochKeyStore(options.stateDir, clock, log);
  const quota = new QuotaLedger(options.stateDir, options.quota);
  const issuance = new Issuance(keys, quota, clock);
  await keys.keysFor(epochAt(clock));
  let users = options.users;

  const server = await IssuerHttpServer.listen(options.host, options.port, options.tls, {
    async directory() {
      const now = clock.now();
      const { current, previous } = await keys.keysFor(epochAt(clock, now));
      const listed = previous === null ? [current] : [current, previous];
      const json = serializeDirectory({
        issuerRequestUri: TOKEN_REQUEST_PATH,
        keys: listed.map((key) => ({ encoded: key.encoded, notBefore: key.notBefore })),
      });
      return { json, maxAge: secondsToNextEpoch(clock, now) };
    },
    authenticate: (authorization) => users.authenticate(authorization),
    issue: (user, contentType, body) => issuance.issue(user, contentType, body),
    fault: (err) => log(`internal error: ${(err as Error).stack ?? String(err)}`),
  });
  const port = server.address().port;
  const host = isIP(options.host) === 6 ? `[${options.host}]` : options.host;
  return {
    url: `https://${host}:${port}`,
    port,
    keys,
    setUsers(next) {
      users = next;
    },
    async close() {
      await server.close();
      await keys.settled();
    },
  };
}

/** The TLS certificate and key files (the key must be mode 0600). */
export async function loadTls(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const key = await readProtectedFile(keyFile, 'tls key');
  let cert: Buffer;
  try {
    cert = await fs.readFile(certFile);
  } catch (cause) {
    throw new IssuerError('file-unreadable', `cannot read tls certificate ${certFile}`, { cause });
  }
  return { cert, key };
}
