/**
 * mimi-issuer as a library: start an issuer in-process (the demo and tests do), and the
 * users-file helpers the demo uses to provision API keys.
 */
export { type EpochClock, epochAt, epochStart, secondsToNextEpoch } from './epoch.js';
export { IssuerError, IssuerHttpError } from './errors.js';
export {
  DEFAULT_EPOCH_SECONDS,
  DEFAULT_QUOTA,
  type IssuerCommand,
  type IssuerFlags,
  parseIssuerArgs,
  parseListen,
} from './flags.js';
export type { TlsMaterial } from './http-server.js';
export { type IssuerOptions, loadTls, type RunningIssuer, startIssuer } from './issuer.js';
export { type EpochKey, EpochKeyStore, type EpochKeys } from './key-store.js';
export { QuotaLedger } from './quota.js';
export { blindSign } from './signer.js';
export { generateApiKey, type UserEntry, UserRegistry, writeUsersFile } from './users.js';
