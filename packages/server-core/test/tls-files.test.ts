/** TLS files: permission rule on the key, pair check, clear errors. */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerConfigError } from '../src/errors.js';
import { loadTlsMaterial } from '../src/tls-files.js';
import { makeTestCertificate } from './tls-fixture.js';

const first = makeTestCertificate('first');
const second = makeTestCertificate('second', first.dir);
afterAll(() => first.remove());

describe('loadTlsMaterial', () => {
  it('loads a certificate and its 0600 key', async () => {
    const material = await loadTlsMaterial({ certFile: first.certFile, keyFile: first.keyFile });
    expect(material.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(material.key.toString()).toContain('PRIVATE KEY');
  });

  it.each([0o640, 0o604, 0o660])('refuses a key with mode %s', async (mode) => {
    const loose = join(first.dir, `loose-${mode}.pem`);
    writeFileSync(loose, 'x');
    chmodSync(loose, mode);
    await expect(loadTlsMaterial({ certFile: first.certFile, keyFile: loose })).rejects.toMatchObject({
      code: 'tls-key-permissions',
      message: expect.stringContaining('chmod 600'),
    });
  });

  it('refuses a certificate and key that do not belong together', async () => {
    await expect(
      loadTlsMaterial({ certFile: first.certFile, keyFile: second.keyFile }),
    ).rejects.toMatchObject({
      code: 'tls-pair-invalid',
    });
  });

  it('names missing files', async () => {
    await expect(
      loadTlsMaterial({ certFile: first.certFile, keyFile: '/nonexistent/key.pem' }),
    ).rejects.toThrow(ServerConfigError);
    await expect(
      loadTlsMaterial({ certFile: '/nonexistent/cert.pem', keyFile: first.keyFile }),
    ).rejects.toMatchObject({
      code: 'tls-cert-unreadable',
      message: 'cannot read tls certificate /nonexistent/cert.pem',
    });
  });
});
