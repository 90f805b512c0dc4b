/**
 * Reading files that hold secrets (the TLS key, the users file with API keys): refused
 * when group or others may access them (mode & 077), as our private key files are
 * (packages/crypto key-file.ts) and as ssh does, because a readable secret is a leaked one.
 */
import { promises as fs } from 'node:fs';
import { IssuerError } from './errors.js';

const FORBIDDEN_MODE_BITS = 0o077;

export async function readProtectedFile(path: string, what: string): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (cause) {
    throw new IssuerError('file-unreadable', `cannot read ${what} ${path}`, { cause, details: { path } });
  }
  try {
    const stat = await handle.stat();
    if ((stat.mode & FORBIDDEN_MODE_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new IssuerError(
        'file-permissions',
        `${what} ${path} is accessible by group or others (mode ${mode}); run chmod 600 ${path}`,
        { details: { path, mode } },
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
