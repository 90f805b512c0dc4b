/**
 * Private key files: PKCS#8 PEM (what node:crypto and openssl read), written with mode
 * 0600 and never over an existing file; refused on read when group- or
 * world-accessible, as ssh does, because a readable signing key is a leaked key.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import { CryptoError } from './errors.js';

/** Mode bits that must be clear on a private key file. */
const FORBIDDEN_MODE_BITS = 0o077;

export async function readPrivateKeyFile(path: string): Promise<KeyObject> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, fsConstants.O_RDONLY);
  } catch (cause) {
    throw new CryptoError('key-file-missing', `cannot open key file ${path}`, { cause, details: { path } });
  }
  try {
    const stat = await handle.stat();
    if ((stat.mode & FORBIDDEN_MODE_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new CryptoError(
        'key-file-permissions',
        `key file ${path} is accessible by group or others (mode ${mode}); run chmod 600 ${path}`,
        { details: { path, mode } },
      );
    }
    const pem = await handle.readFile('utf8');
    try {
      return createPrivateKey({ key: pem, format: 'pem' });
    } catch (cause) {
      throw new CryptoError('key-file-format', `key file ${path} is not a PKCS#8 PEM private key`, {
        cause,
        details: { path },
      });
    }
  } finally {
    await handle.close();
  }
}

/** Write a private key; fails with `key-file-exists` rather than overwrite anything. */
export async function writePrivateKeyFile(path: string, key: KeyObject): Promise<void> {
  const pem = key.export({ format: 'pem', type: 'pkcs8' }) as string;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'wx', 0o600);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CryptoError('key-file-exists', `refusing to overwrite existing file ${path}`, {
        details: { path },
      });
    }
    throw new CryptoError('key-file-write', `cannot create key file ${path}`, { cause, details: { path } });
  }
  try {
    // The umask may have narrowed, never widened, 0600; set it exactly anyway.
    await handle.chmod(0o600);
    await handle.writeFile(pem, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
