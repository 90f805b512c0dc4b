/**
 * The serials a recipient key has used, per CSI, so that two publishes never collide
 * (DESIGN §4: "`serial`: strictly increasing per (CSI, recipient key) across publishes
 * and removals"; §8: "a serial defaults to the current Unix time in milliseconds").
 *
 * The clock alone can repeat itself (two commands in one millisecond, a clock set back
 * by NTP), and the DP refuses a serial that is not above the last it accepted (409
 * `stale-serial`). So `mimi` keeps the last serial it chose for each CSI in a small file
 * next to the key, `<key file>.serials.json` (mode 0600: it tells which CSIs the key
 * publishes), and takes max(now in ms, last + 1). A lock file makes read → choose →
 * write one step, even for several `mimi` processes at once.
 *
 *   {"v": 1, "serials": {"+447700900123": 1795796459751, ...}}
 */
import { promises as fs } from 'node:fs';
import { CliError } from '../errors.js';
import { MAX_UINT } from '../options.js';

export const SERIAL_STATE_SUFFIX = '.serials.json';
const LOCK_SUFFIX = '.lock';
/** The file is private like the key beside it. */
const STATE_MODE = 0o600;
/** How long to wait for another `mimi` holding the lock, and how often to look. */
const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 25;
/** A lock older than this was left by a process that died; it is taken over. */
const STALE_LOCK_MS = 30_000;
const FORMAT_VERSION = 1;

/** The serial to use: `explicit` when given, else max(now, last + 1). */
export function chooseSerial(nowMs: number, last: number | undefined, explicit?: number): number {
  if (explicit !== undefined) return explicit;
  const next = last === undefined ? nowMs : Math.max(nowMs, last + 1);
  if (next > MAX_UINT) {
    throw new CliError('serial-exhausted', `no serial is left above ${last} (the largest is ${MAX_UINT})`);
  }
  return next;
}

/** The path of the state file of a key file. */
export function serialStatePath(keyPath: string): string {
  return `${keyPath}${SERIAL_STATE_SUFFIX}`;
}

function corrupt(path: string, problem: string): CliError {
  return new CliError(
    'serial-state',
    `${path}: not a serial state file (${problem}); move it away to start again`,
    { details: { path } },
  );
}

/** The serials recorded in `text`, checked strictly. */
export function parseSerialState(text: string, path: string): Map<string, number> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt(path, 'not json');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw corrupt(path, 'not an object');
  const record = raw as Record<string, unknown>;
  if (record.v !== FORMAT_VERSION) throw corrupt(path, `'v' is not ${FORMAT_VERSION}`);
  const serials = record.serials;
  if (typeof serials !== 'object' || serials === null || Array.isArray(serials)) {
    throw corrupt(path, "'serials' is not an object");
  }
  const out = new Map<string, number>();
  for (const [csi, serial] of Object.entries(serials)) {
    if (typeof serial !== 'number' || !Number.isSafeInteger(serial) || serial < 0) {
      throw corrupt(path, `the serial of '${csi}' is not a whole number`);
    }
    out.set(csi, serial);
  }
  return out;
}

export function formatSerialState(serials: ReadonlyMap<string, number>): string {
  const sorted = Object.fromEntries([...serials].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ v: FORMAT_VERSION, serials: sorted }, null, 2)}\n`;
}

function errnoOf(err: unknown): string {
  return String((err as NodeJS.ErrnoException).code ?? 'error').toLowerCase();
}

async function readState(path: string): Promise<Map<string, number>> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new CliError('serial-state', `cannot read ${path} (${errnoOf(cause)})`, {
      cause,
      details: { path },
    });
  }
  return parseSerialState(text, path);
}

/** Replace the file in one step: a crash leaves the old file or the new one, never half of one. */
async function writeState(path: string, serials: ReadonlyMap<string, number>): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const handle = await fs.open(temporary, 'w', STATE_MODE);
    try {
      await handle.chmod(STATE_MODE);
      await handle.writeFile(formatSerialState(serials), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (cause) {
    await fs.rm(temporary, { force: true });
    throw new CliError('serial-state', `cannot write ${path} (${errnoOf(cause)})`, {
      cause,
      details: { path },
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hold `<state>.lock` while `body` runs. */
async function withLock<T>(path: string, body: () => Promise<T>): Promise<T> {
  const lock = `${path}${LOCK_SUFFIX}`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await fs.open(lock, 'wx', STATE_MODE);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CliError('serial-state', `cannot create ${lock} (${errnoOf(cause)})`, {
          cause,
          details: { path: lock },
        });
      }
      const age = await fs.stat(lock).then(
        (stat) => Date.now() - stat.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) {
        await fs.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new CliError(
          'serial-state',
          `another mimi holds ${lock}; if none is running, remove that file and try again`,
          { details: { path: lock } },
        );
      }
      await sleep(LOCK_POLL_MS);
    }
  }
  try {
    return await body();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

export interface ReserveOptions {
  /** Milliseconds since the Unix epoch. */
  readonly nowMs: number;
  /** `--serial N`: used as given (the DP judges it), recorded when above the last. */
  readonly explicit?: number | undefined;
  /** False for `--dry-run`: choose, but leave the file as it is. */
  readonly record: boolean;
}

/** The serials of one key file. */
export class SerialState {
  readonly path: string;

  constructor(keyPath: string) {
    this.path = serialStatePath(keyPath);
  }

  /** The last serial recorded for `csi`, if any. */
  async last(csi: string): Promise<number | undefined> {
    return (await readState(this.path)).get(csi);
  }

  /**
   * Choose the serial of the next object for `csi`, build the object with it, and (unless
   * told not to) record the serial — all under the lock, and recorded only once `build`
   * succeeded, so a refused input leaves the file as it was.
   */
  async reserve<T>(csi: string, options: ReserveOptions, build: (serial: number) => T): Promise<T> {
    if (!options.record) return build(chooseSerial(options.nowMs, await this.last(csi), options.explicit));
    return withLock(this.path, async () => {
      const serials = await readState(this.path);
      const last = serials.get(csi);
      const serial = chooseSerial(options.nowMs, last, options.explicit);
      const built = build(serial);
      if (last === undefined || serial > last) {
        serials.set(csi, serial);
        await writeState(this.path, serials);
      }
      return built;
    });
  }

  /**
   * Learn a serial the DP has seen (its `stale-serial` refusal names the last one it
   * accepted), so that the next default serial is above it.
   */
  async raise(csi: string, seen: number): Promise<void> {
    await withLock(this.path, async () => {
      const serials = await readState(this.path);
      const last = serials.get(csi);
      if (last !== undefined && last >= seen) return;
      serials.set(csi, seen);
      await writeState(this.path, serials);
    });
  }
}

/**
 * After a refusal: when it was `stale-serial` naming the DP's last accepted serial, record
 * that serial so that running the command again just works. Best effort: the refusal is
 * what the user must see, not a failure to write this file.
 */
export async function learnFromRefusal(state: SerialState, csi: string, err: unknown): Promise<void> {
  const seen = err instanceof CliError ? err.details.lastSerial : undefined;
  if (typeof seen !== 'number' || !Number.isSafeInteger(seen)) return;
  await state.raise(csi, seen).catch(() => undefined);
}
