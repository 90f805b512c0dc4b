/** Quota per user per epoch, kept across restarts. */
import { appendFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QuotaLedger } from '../src/quota.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'mimi-quota-'));

describe('QuotaLedger', () => {
  it('grants up to the quota, then 0; users are separate', () => {
    const ledger = new QuotaLedger(fresh(), 5);
    expect(ledger.take('a', 7, 3)).toBe(3);
    expect(ledger.take('a', 7, 3)).toBe(2);
    expect(ledger.take('a', 7, 1)).toBe(0);
    expect(ledger.remaining('b', 7)).toBe(5);
  });

  it('starts afresh in a new epoch and deletes the old log', () => {
    const dir = fresh();
    const ledger = new QuotaLedger(dir, 2);
    ledger.take('a', 7, 2);
    expect(existsSync(join(dir, 'usage', 'epoch-7.log'))).toBe(true);
    expect(ledger.take('a', 8, 5)).toBe(2);
    expect(existsSync(join(dir, 'usage', 'epoch-7.log'))).toBe(false);
  });

  it('survives a restart within the epoch (log mode 0600), skipping a torn line', () => {
    const dir = fresh();
    new QuotaLedger(dir, 10).take('a', 7, 4);
    const log = join(dir, 'usage', 'epoch-7.log');
    expect(statSync(log).mode & 0o777).toBe(0o600);
    appendFileSync(log, 'a 9'); // no newline: a crash mid-write
    appendFileSync(log, 'junk line\n');
    const again = new QuotaLedger(dir, 10);
    expect(again.remaining('a', 7)).toBe(6);
  });

  it('refuses a quota below 1', () => {
    expect(() => new QuotaLedger(fresh(), 0)).toThrow('quota 0 must be a positive integer');
  });
});
