// The zone key directory: file names, PKCS#8 files mode 0600, create-once semantics.
import { promises as fs, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519 } from '@mimi/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateZoneKey, readZoneKey, writeZoneKey, zoneKeyPath } from '../src/index.js';
import { thrown } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mimi-dnssec-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zoneKeyPath', () => {
  it.each([
    ['mimi.arpa.', 'mimi.arpa.key'],
    ['4.4.E164.Mimi.Arpa', '4.4.e164.mimi.arpa.key'],
    ['_dns.ns1.nic.mimi.arpa.', '_dns.ns1.nic.mimi.arpa.key'],
  ])('%s → %s', (zone, file) => expect(zoneKeyPath('/keys', zone)).toBe(`/keys/${file}`));

  it.each([
    ['.', /the dns root has no key file name/],
    ['a/b.mimi.arpa.', /characters not allowed in a key file name/],
    ['x\\/\\.\\.\\/etc.', /characters not allowed/],
    ['a\\032b.mimi.arpa.', /characters not allowed/],
    ['*.mimi.arpa.', /characters not allowed/],
  ])('refuses %s', (zone, message) => {
    const err = thrown(() => zoneKeyPath('/keys', zone));
    expect(err.code).toBe('key-file-name');
    expect(err.message).toMatch(message);
  });

  it('refuses what is not a name at all', () => {
    expect(thrown(() => zoneKeyPath('/keys', '..')).code).toBe('name-empty-label');
  });
});

describe('key files', () => {
  it('writes a key mode 0600 in a directory mode 0700, and reads it back', async () => {
    const keyDir = join(dir, 'new');
    const written = await writeZoneKey(keyDir, 'mimi.arpa.');
    expect(statSync(keyDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(keyDir, 'mimi.arpa.key')).mode & 0o777).toBe(0o600);
    const read = await readZoneKey(keyDir, 'MIMI.arpa.');
    expect(read.keyTag).toBe(written.keyTag);
    expect(read.dnskeyRdata).toEqual(written.dnskeyRdata);
    expect(await fs.readFile(join(keyDir, 'mimi.arpa.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('never overwrites a key', async () => {
    const { privateKey } = generateEd25519();
    await writeZoneKey(dir, 'once.mimi.arpa.', privateKey);
    await expect(writeZoneKey(dir, 'once.mimi.arpa.')).rejects.toMatchObject({ code: 'key-file-exists' });
  });

  it('creates on first use, then loads the same key', async () => {
    const first = await loadOrCreateZoneKey(dir, 'e164.mimi.arpa.');
    const second = await loadOrCreateZoneKey(dir, 'e164.mimi.arpa.');
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.key.keyTag).toBe(first.key.keyTag);
  });

  it('refuses a key file others can read, and one that is not an ed25519 key', async () => {
    const path = join(dir, 'open.mimi.arpa.key');
    await writeZoneKey(dir, 'open.mimi.arpa.');
    await fs.chmod(path, 0o644);
    await expect(readZoneKey(dir, 'open.mimi.arpa.')).rejects.toMatchObject({ code: 'key-file-permissions' });
    await expect(loadOrCreateZoneKey(dir, 'open.mimi.arpa.')).rejects.toMatchObject({
      code: 'key-file-permissions',
    });
    writeFileSync(join(dir, 'junk.mimi.arpa.key'), 'not a key', { mode: 0o600 });
    await expect(readZoneKey(dir, 'junk.mimi.arpa.')).rejects.toMatchObject({ code: 'key-file-format' });
  });
});
