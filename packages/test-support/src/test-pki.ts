/**
 * Throwaway TLS certificates for loopback tests, made with the `openssl` CLI (NOTES.md:
 * the demo and the tests use `openssl` or `selfsigned`): ECDSA P-256, valid two days.
 * Either a CA that issues server certificates (clients trust the CA: RFC 5280 §4.2.1.9
 * basicConstraints cA on the CA, serverAuth and subjectAltName on the leaf), or one
 * self-signed certificate that is its own trust anchor. Keys are written mode 0600, as
 * every server here demands of a private key file. One helper for every suite.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MimiError } from '@mimi/errors';

/** Validity of every test certificate: long enough for a slow run, never a real one. */
const LIFETIME_DAYS = '2';

/** Elliptic-curve key generation on P-256 (`openssl req -newkey`). */
const EC_P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateRequest {
  /** DNS names for subjectAltName (the first is also the common name by default). */
  readonly dnsNames?: readonly string[];
  /** IP addresses for subjectAltName. */
  readonly ips?: readonly string[];
  /** Subject CN; default the first DNS name, else the first IP. */
  readonly commonName?: string;
  /** File stem in the directory (`<name>.pem`, `<name>.key`); default the common name. */
  readonly name?: string;
}

export interface TestPki {
  readonly dir: string;
  /** The CA: what clients are told to trust. */
  readonly ca: TestCertificate;
  /** A server certificate signed by the CA. */
  issue(request: CertificateRequest): TestCertificate;
  /** Delete the directory and everything in it. */
  remove(): void;
}

/** A fresh CA in `dir` (default: a new temporary directory). */
export function createTestPki(options: { dir?: string; caName?: string } = {}): TestPki {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'mimi-test-pki-'));
  const ca = files(dir, 'ca');
  openssl(dir, [
    ...['req', '-x509', ...EC_P256, '-keyout', ca.keyFile, '-out', ca.certFile],
    ...['-days', LIFETIME_DAYS, '-subj', `/CN=${options.caName ?? 'mimi test ca'}`],
    ...['-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  const caCertificate = finish(ca);
  return {
    dir,
    ca: caCertificate,
    issue(request) {
      const { san, commonName, name } = describe(request);
      const leaf = files(dir, name);
      const csr = join(dir, `${name}.csr`);
      const extensions = join(dir, `${name}.ext`);
      writeFileSync(
        extensions,
        `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
      );
      openssl(dir, ['req', ...EC_P256, '-keyout', leaf.keyFile, '-out', csr, '-subj', `/CN=${commonName}`]);
      openssl(dir, [
        ...['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial'],
        ...['-out', leaf.certFile, '-days', LIFETIME_DAYS, '-extfile', extensions],
      ]);
      return finish(leaf);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One self-signed certificate in `dir`: the client trusts the certificate itself. */
export function selfSignedCertificate(dir: string, request: CertificateRequest): TestCertificate {
  const { san, commonName, name } = describe(request);
  const certificate = files(dir, name);
  openssl(dir, [
    ...['req', '-x509', ...EC_P256, '-keyout', certificate.keyFile, '-out', certificate.certFile],
    ...['-days', LIFETIME_DAYS, '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=${san}`],
  ]);
  return finish(certificate);
}

function describe(request: CertificateRequest): { san: string; commonName: string; name: string } {
  const dnsNames = request.dnsNames ?? [];
  const ips = request.ips ?? [];
  const commonName = request.commonName ?? dnsNames[0] ?? ips[0];
  if (commonName === undefined || dnsNames.length + ips.length === 0) {
    throw new MimiError('test-pki-no-name', 'a test certificate needs a dns name or an ip address');
  }
  const san = [...dnsNames.map((dns) => `DNS:${dns}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
  return { san, commonName, name: request.name ?? commonName.replace(/[^a-z0-9.-]/gi, '_') };
}

function files(dir: string, name: string): { certFile: string; keyFile: string } {
  return { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
}

function finish(paths: { certFile: string; keyFile: string }): TestCertificate {
  chmodSync(paths.keyFile, 0o600);
  return {
    ...paths,
    certPem: readFileSync(paths.certFile, 'utf8'),
    keyPem: readFileSync(paths.keyFile, 'utf8'),
  };
}

function openssl(cwd: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}
