/**
 * A throwaway CA and one server certificate, made with the `openssl` CLI (NOTES.md: the
 * demo and the tests use `openssl` or `selfsigned`), for TLS tests on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  readonly caPem: string;
  readonly keyPem: string;
  readonly certPem: string;
}

/** A CA and a leaf for `dnsNames` (and `ips`, when given) valid for one day. */
export function makeCertificates(dnsNames: readonly string[], ips: readonly string[] = []): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-stub-certs-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=mimi stub test ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    'req',
    ...ec,
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    `/CN=${dnsNames[0] ?? 'localhost'}`,
  );
  const san = [...dnsNames.map((name) => `DNS:${name}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
  writeFileSync(
    join(dir, 'ext.cnf'),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.pem',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  );
  return {
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    keyPem: readFileSync(join(dir, 'leaf.key'), 'utf8'),
    certPem: readFileSync(join(dir, 'leaf.pem'), 'utf8'),
  };
}
