/**
 * A throwaway self-signed certificate for loopback tests (P-256, SAN IP:127.0.0.1 and
 * DNS:localhost) from the shared test PKI (@mimi/test-support); clients trust `cert`.
 * Imported by path, not through the package index, which would also load the whole
 * demo network (about 4 s per test file).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from '../../test-support/src/test-pki.js';

export interface TestCertificate {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  remove(): void;
}

export function makeTestCertificate(commonName = 'localhost', dir?: string): TestCertificate {
  const where = dir ?? mkdtempSync(join(tmpdir(), 'mimi-server-core-tls-'));
  const made = selfSignedCertificate(where, {
    commonName,
    dnsNames: ['localhost'],
    ips: ['127.0.0.1'],
  });
  return {
    dir: where,
    certFile: made.certFile,
    keyFile: made.keyFile,
    cert: readFileSync(made.certFile),
    remove: () => rmSync(where, { recursive: true, force: true }),
  };
}
