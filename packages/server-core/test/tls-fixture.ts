/**
 * A throwaway self-signed certificate for loopback tests (P-256, CN localhost, SAN
 * IP:127.0.0.1 and DNS:localhost), made with the `openssl` CLI in a temporary
 * directory; the key file is mode 0600 as the server demands.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  remove(): void;
}

export function makeTestCertificate(commonName = 'localhost', dir?: string): TestCertificate {
  const where = dir ?? mkdtempSync(join(tmpdir(), 'mimi-server-core-tls-'));
  const suffix = commonName.replace(/[^a-z0-9]/gi, '_');
  const certFile = join(where, `${suffix}.cert.pem`);
  const keyFile = join(where, `${suffix}.key.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  chmodSync(keyFile, 0o600);
  return {
    dir: where,
    certFile,
    keyFile,
    cert: readFileSync(certFile),
    remove: () => rmSync(where, { recursive: true, force: true }),
  };
}
