/**
 * The key ring on disk: one JSON file holding the raw X25519 private keys (base64url)
 * with their times. Private key material, so the file is written mode 0600 (atomically:
 * a temporary file renamed over the old one) and refused on read when group or others
 * may access it — the rule of every private key file here (packages/crypto key-file.ts).
 *
 *   {"version": 1, "keys": [{"privateKey": "<b64url>", "createdAt": <ms>, "retiredAt"?: <ms>}, ...]}
 *
 * The first entry is the current key, a second (optional) one the previous key.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import { OdohError } from './errors.js';
import { type KeyRingEntry, type KeyRingOptions, OdohKeyRing } from './key-ring.js';
import { exportPrivateKey, targetKeyFromPrivate } from './target-key.js';

const FILE_VERSION = 1;
/** Mode bits that must be clear on a private key file. */
const FORBIDDEN_MODE_BITS = 0o077;

interface StoredKey {
  privateKey: string;
  createdAt: number;
  retiredAt?: number;
}

export function serializeKeyRing(ring: OdohKeyRing): string {
  const keys: StoredKey[] = ring.entries().map((entry) => ({
    privateKey: Buffer.from(exportPrivateKey(entry.key)).toString('base64url'),
    createdAt: entry.createdAt,
    ...(entry.retiredAt === undefined ? {} : { retiredAt: entry.retiredAt }),
  }));
  return `${JSON.stringify({ version: FILE_VERSION, keys })}\n`;
}

export function parseKeyRing(text: string, path: string, options: KeyRingOptions = {}): OdohKeyRing {
  const bad = (why: string): OdohError =>
    new OdohError('odoh-key-file-format', `odoh key file ${path}: ${why}`, { details: { path } });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw bad('not json');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('not an object');
  const { version, keys } = data as { version?: unknown; keys?: unknown };
  if (version !== FILE_VERSION) throw bad(`version ${String(version)} is not ${FILE_VERSION}`);
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > 2)
    throw bad('keys must hold one or two entries');
  const entries = keys.map((item: unknown, index): KeyRingEntry => {
    if (typeof item !== 'object' || item === null) throw bad(`key ${index} is not an object`);
    const { privateKey, createdAt, retiredAt } = item as Record<string, unknown>;
    if (typeof privateKey !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(privateKey)) {
      throw bad(`key ${index} privateKey is not 32 bytes of base64url`);
    }
    if (!isTime(createdAt)) throw bad(`key ${index} createdAt is not a time in ms`);
    if (retiredAt !== undefined && !isTime(retiredAt))
      throw bad(`key ${index} retiredAt is not a time in ms`);
    const key = targetKeyFromPrivate(new Uint8Array(Buffer.from(privateKey, 'base64url')));
    return retiredAt === undefined ? { key, createdAt } : { key, createdAt, retiredAt };
  });
  const [current, previous] = entries;
  if (current!.retiredAt !== undefined) throw bad('the first key (current) has retiredAt');
  if (previous !== undefined && previous.retiredAt === undefined)
    throw bad('the second key (previous) lacks retiredAt');
  return new OdohKeyRing(current!, previous, options);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export async function readKeyRingFile(path: string, options: KeyRingOptions = {}): Promise<OdohKeyRing> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, fsConstants.O_RDONLY);
  } catch (cause) {
    throw new OdohError('odoh-key-file-missing', `cannot open odoh key file ${path}`, {
      cause,
      details: { path },
    });
  }
  try {
    const stat = await handle.stat();
    if ((stat.mode & FORBIDDEN_MODE_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new OdohError(
        'odoh-key-file-permissions',
        `odoh key file ${path} is accessible by group or others (mode ${mode}); run chmod 600 ${path}`,
        { details: { path, mode } },
      );
    }
    return parseKeyRing(await handle.readFile('utf8'), path, options);
  } finally {
    await handle.close();
  }
}

/** Write atomically with mode 0600: a reader sees the old ring or the new one, never half. */
export async function writeKeyRingFile(path: string, ring: OdohKeyRing): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temporary, 'wx', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(serializeKeyRing(ring), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (cause) {
    await fs.rm(temporary, { force: true });
    throw new OdohError('odoh-key-file-write', `cannot write odoh key file ${path}`, {
      cause,
      details: { path },
    });
  }
}

/** Load the ring at `path`, or create one with a fresh key there on first use. */
export async function loadOrCreateKeyRing(path: string, options: KeyRingOptions = {}): Promise<OdohKeyRing> {
  try {
    return await readKeyRingFile(path, options);
  } catch (err) {
    if (!(err instanceof OdohError) || err.code !== 'odoh-key-file-missing') throw err;
    const cause = err.cause as NodeJS.ErrnoException | undefined;
    if (cause?.code !== 'ENOENT') throw err;
  }
  const ring = OdohKeyRing.generate(options);
  await writeKeyRingFile(path, ring);
  return ring;
}
