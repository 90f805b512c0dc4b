/** TLS files: permission rule on the key, pair check, the CA bundle check, clear errors. */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerConfigError } from '../src/errors.js';
import { loadTlsMaterial, readCaFile } from '../src/tls-files.js';
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

describe('readCaFile', () => {
  it('reads a bundle of one or more certificates', async () => {
    expect((await readCaFile(first.certFile)).equals(first.cert)).toBe(true);
    const bundle = join(first.dir, 'bundle.pem');
    writeFileSync(bundle, Buffer.concat([first.cert, second.cert]));
    expect((await readCaFile(bundle)).length).toBe(first.cert.length + second.cert.length);
  });

  it('names a missing file', async () => {
    await expect(readCaFile('/nonexistent/ca.pem')).rejects.toMatchObject({
      name: 'ServerConfigError',
      code: 'tls-ca-unreadable',
      message: 'cannot read ca file /nonexistent/ca.pem',
    });
  });

  // createSecureContext({ ca }) alone accepts all of these without a word.
  it.each([
    ['empty', ''],
    ['not pem', 'not a certificate'],
    ['a key, no certificate', 'KEY'],
    ['a broken certificate block', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
    ['a good block then a broken one', 'GOOD+BROKEN'],
  ])('refuses a bundle that is %s', async (label, content) => {
    const file = join(first.dir, `ca-${label.replace(/\W+/g, '-')}.pem`);
    const text =
      content === 'KEY'
        ? readFileSync(first.keyFile, 'utf8')
        : content === 'GOOD+BROKEN'
          ? `${first.cert.toString()}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`
          : content;
    writeFileSync(file, text);
    await expect(readCaFile(file)).rejects.toMatchObject({
      code: 'tls-ca-invalid',
      message: `ca file ${file} holds no usable certificate`,
    });
  });
});
