/**
 * Tokens per user per epoch (DESIGN §2: "a quota per user per epoch"). Grants are
 * appended to `<state-dir>/usage/epoch-<N>.log` (one `<user> <count>` line each, mode
 * 0600) before any token is signed, so a restart in the middle of an epoch does not give
 * anyone a second quota; logs of past epochs are deleted when an epoch begins.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { IssuerError } from './errors.js';

const LOG_FILE = /^epoch-(\d+)\.log$/;
const LINE = /^([A-Za-z0-9._-]{1,64}) (\d{1,9})$/;

export class QuotaLedger {
  private readonly dir: string;
  private epoch = -1;
  private used = new Map<string, number>();

  constructor(
    stateDir: string,
    readonly quota: number,
  ) {
    if (!Number.isSafeInteger(quota) || quota < 1)
      throw new IssuerError('usage', `quota ${quota} must be a positive integer`);
    this.dir = join(stateDir, 'usage');
  }

  /** Tokens `user` may still have in `epoch`. */
  remaining(user: string, epoch: number): number {
    this.open(epoch);
    return Math.max(0, this.quota - (this.used.get(user) ?? 0));
  }

  /** Grant up to `wanted` tokens of `user`'s quota in `epoch`; the number granted (maybe 0). */
  take(user: string, epoch: number, wanted: number): number {
    const granted = Math.min(wanted, this.remaining(user, epoch));
    if (granted === 0) return 0;
    appendFileSync(this.path(epoch), `${user} ${granted}\n`, { mode: 0o600 });
    this.used.set(user, (this.used.get(user) ?? 0) + granted);
    return granted;
  }

  private path(epoch: number): string {
    return join(this.dir, `epoch-${epoch}.log`);
  }

  /** Switch to `epoch`: read what its log already holds and drop older logs. */
  private open(epoch: number): void {
    if (epoch === this.epoch) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const used = new Map<string, number>();
    let text = '';
    try {
      text = readFileSync(this.path(epoch), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new IssuerError('state-dir', `cannot read quota log ${this.path(epoch)}`, { cause: err });
      }
    }
    for (const line of text.split('\n')) {
      const match = LINE.exec(line);
      // A torn last line (crash mid-write) is skipped, never trusted.
      if (match === null) continue;
      used.set(match[1]!, (used.get(match[1]!) ?? 0) + Number(match[2]));
    }
    for (const name of readdirSync(this.dir)) {
      const found = LOG_FILE.exec(name);
      if (found !== null && Number(found[1]) < epoch) rmSync(join(this.dir, name), { force: true });
    }
    this.epoch = epoch;
    this.used = used;
  }
}
