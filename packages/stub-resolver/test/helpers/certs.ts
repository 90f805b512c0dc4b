/**
 * A throwaway CA and one server certificate for TLS tests on 127.0.0.1, from the shared
 * test PKI (packages/test-support test-pki.ts, `openssl` CLI). Imported by path: the
 * test-support index would also load the whole demo network.
 */
import { createTestPki } from '../../../test-support/src/test-pki.js';

export interface TestCertificates {
  readonly caPem: string;
  readonly keyPem: string;
  readonly certPem: string;
}

/** A CA and a leaf for `dnsNames` (and `ips`, when given); the files are removed after. */
export function makeCertificates(dnsNames: readonly string[], ips: readonly string[] = []): TestCertificates {
  const pki = createTestPki({ caName: 'mimi stub test ca' });
  try {
    const leaf = pki.issue({ name: 'leaf', commonName: dnsNames[0] ?? 'localhost', dnsNames, ips });
    return { caPem: pki.ca.certPem, keyPem: leaf.keyPem, certPem: leaf.certPem };
  } finally {
    pki.remove();
  }
}
