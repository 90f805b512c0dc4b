/**
 * Throwaway certificates for the relay tests from the shared test PKI
 * (packages/test-support test-pki.ts): one CA and one P-256 server certificate per host
 * name (with IP SAN 127.0.0.1), keys mode 0600. Imported by path: the package index
 * would also load the whole demo network.
 */
import { createTestPki } from '../../../test-support/src/test-pki.js';

export interface Pki {
  readonly caFile: string;
  readonly ca: Buffer;
  /** Certificate and key files per host name. */
  readonly hosts: Record<string, { certFile: string; keyFile: string }>;
}

export function makePki(dir: string, hostNames: readonly string[]): Pki {
  const pki = createTestPki({ dir, caName: 'relay test CA' });
  const hosts: Pki['hosts'] = {};
  for (const host of hostNames) {
    const { certFile, keyFile } = pki.issue({ dnsNames: [host], ips: ['127.0.0.1'] });
    hosts[host] = { certFile, keyFile };
  }
  return { caFile: pki.ca.certFile, ca: Buffer.from(pki.ca.certPem), hosts };
}
