/**
 * The relay's TLS certificate and key, and the CA bundle it checks targets against,
 * read by the server core (key mode & 077 refused, pair and CA checked: one copy of
 * those rules for every program). This edge keeps the relay's own error contract:
 * a `RelayConfigError` with the same message, coded `tls-key-permissions` or `tls-file`.
 */
import {
  loadTlsMaterial as loadCoreTlsMaterial,
  readCaFile as readCoreCaFile,
  ServerConfigError,
  type TlsMaterial,
} from '@mimi/server-core/basics';
import { RelayConfigError } from './errors.js';

export type { TlsMaterial };

export function loadTlsMaterial(certFile: string, keyFile: string): Promise<TlsMaterial> {
  return asRelayConfigError(loadCoreTlsMaterial({ certFile, keyFile }));
}

export function readCaFile(file: string): Promise<Buffer> {
  return asRelayConfigError(readCoreCaFile(file));
}

async function asRelayConfigError<T>(loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (err) {
    if (!(err instanceof ServerConfigError)) throw err;
    const code = err.code === 'tls-key-permissions' ? err.code : 'tls-file';
    throw new RelayConfigError(code, err.message, { cause: err, details: { ...err.details } });
  }
}
