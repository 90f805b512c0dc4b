/**
 * The relay's TLS certificate and key, and the CA bundle it checks targets against.
 * The key is refused when group or others may access it (mode & 077), as every private
 * key file here is; the pair is checked to form a usable context before listening.
 */
import { promises as fs } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { RelayConfigError } from './errors.js';

const FORBIDDEN_KEY_MODE_BITS = 0o077;

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export async function loadTlsMaterial(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const key = await readPrivateFile(keyFile);
  const cert = await readFile(certFile, 'tls certificate');
  try {
    createSecureContext({ cert, key });
  } catch (cause) {
    throw new RelayConfigError(
      'tls-file',
      `tls certificate ${certFile} and key ${keyFile} do not form a usable pair`,
      {
        cause,
      },
    );
  }
  return { cert, key };
}

export async function readCaFile(file: string): Promise<Buffer> {
  const ca = await readFile(file, 'ca file');
  try {
    createSecureContext({ ca });
  } catch (cause) {
    throw new RelayConfigError('tls-file', `ca file ${file} holds no usable certificate`, { cause });
  }
  return ca;
}

async function readFile(file: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (cause) {
    throw new RelayConfigError('tls-file', `cannot read ${what} ${file}`, { cause, details: { file } });
  }
}

async function readPrivateFile(file: string): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (cause) {
    throw new RelayConfigError('tls-file', `cannot read tls key ${file}`, { cause, details: { file } });
  }
  try {
    const stat = await handle.stat();
    if ((stat.mode & FORBIDDEN_KEY_MODE_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new RelayConfigError(
        'tls-key-permissions',
        `tls key ${file} is accessible by group or others (mode ${mode}); run chmod 600 ${file}`,
        { details: { file, mode } },
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
