import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEd25519, publicKeyOf, readPrivateKeyFile, writePrivateKeyFile } from '../src/index.js';

describe('private key files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-keyfile-'));

  it('writes PKCS#8 PEM with mode 0600 and reads it back', async () => {
    const { privateKey, publicKey } = generateEd25519();
    const path = join(dir, 'a.key');
    await writePrivateKeyFile(path, privateKey);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const back = await readPrivateKeyFile(path);
    expect(publicKeyOf(back)).toEqual(publicKey);
  });

  it('never overwrites an existing file', async () => {
    const path = join(dir, 'b.key');
    writeFileSync(path, 'precious');
    await expect(writePrivateKeyFile(path, generateEd25519().privateKey)).rejects.toMatchObject({
      code: 'key-file-exists',
    });
  });

  it('refuses a group- or world-readable key file', async () => {
    const path = join(dir, 'c.key');
    await writePrivateKeyFile(path, generateEd25519().privateKey);
    chmodSync(path, 0o640);
    await expect(readPrivateKeyFile(path)).rejects.toMatchObject({ code: 'key-file-permissions' });
    chmodSync(path, 0o604);
    await expect(readPrivateKeyFile(path)).rejects.toMatchObject({ code: 'key-file-permissions' });
  });

  it('refuses a file that is not a PEM key, and a missing file', async () => {
    const path = join(dir, 'd.key');
    writeFileSync(path, 'not a key', { mode: 0o600 });
    await expect(readPrivateKeyFile(path)).rejects.toMatchObject({ code: 'key-file-format' });
    await expect(readPrivateKeyFile(join(dir, 'none.key'))).rejects.toMatchObject({
      code: 'key-file-missing',
    });
  });
});
