/**
 * Files the commands write and read besides private keys (those are @mimi/crypto's):
 * attestations and signed objects. A file is created, never overwritten (DESIGN §8:
 * "`keygen` never overwrites a file"; we hold every output to the same rule, since an
 * attestation or object written over another is as lost as a key).
 */
import { promises as fs } from 'node:fs';
import { CliError } from './errors.js';

/** Create `path` with `text` and `mode`; CliError `file-exists` if anything is there. */
export async function writeNewFile(path: string, text: string, mode: number, shown = path): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'wx', mode);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new CliError('file-exists', `refusing to overwrite existing file ${shown}`, {
        details: { path: shown },
      });
    }
    throw new CliError('file-write', `cannot create ${shown} (${String(code).toLowerCase()})`, {
      cause,
      details: { path: shown },
    });
  }
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The text of `path`; CliError `file-read` naming it when it cannot be read. */
export async function readTextFile(path: string, shown = path): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CliError('file-read', `cannot read ${shown} (${String(code).toLowerCase()})`, {
      cause,
      details: { path: shown },
    });
  }
}
