/**
 * TLS certificate and key files for the DoH listener (RFC 8484 §5: DoH is HTTPS). The
 * key is refused when group or others may access it (mode & 077), the rule our own
 * private key files follow (packages/crypto key-file.ts), and the pair is checked to
 * form a usable secure context before a listener takes it, so a bad reload keeps the
 * old certificate instead of breaking the listener.
 */
import { promises as fs } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ServerConfigError } from './errors.js';

/** Mode bits that must be clear on a private key file. */
const FORBIDDEN_KEY_MODE_BITS = 0o077;

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export async function loadTlsMaterial(files: TlsFiles): Promise<TlsMaterial> {
  const key = await readKey(files.keyFile);
  let cert: Buffer;
  try {
    cert = await fs.readFile(files.certFile);
  } catch (cause) {
    throw new ServerConfigError('tls-cert-unreadable', `cannot read tls certificate ${files.certFile}`, {
      cause,
      details: { path: files.certFile },
    });
  }
  try {
    createSecureContext({ cert, key });
  } catch (cause) {
    throw new ServerConfigError(
      'tls-pair-invalid',
      `tls certificate ${files.certFile} and key ${files.keyFile} do not form a usable pair`,
      { cause, details: { cert: files.certFile, key: files.keyFile } },
    );
  }
  return { cert, key };
}

async function readKey(path: string): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (cause) {
    throw new ServerConfigError('tls-key-unreadable', `cannot read tls key ${path}`, {
      cause,
      details: { path },
    });
  }
  try {
    const stat = await handle.stat();
    if ((stat.mode & FORBIDDEN_KEY_MODE_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new ServerConfigError(
        'tls-key-permissions',
        `tls key ${path} is accessible by group or others (mode ${mode}); run chmod 600 ${path}`,
        { details: { path, mode } },
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
