/**
 * A throwaway certificate authority and server certificates for the demo network and
 * the tests: ECDSA P-256, SHA-256, server certificates naming the server's host name
 * (what resolvers check, DESIGN §3) and 127.0.0.1. Private keys are written mode 0600.
 * Never for production: an operator brings certificates from a real CA.
 */
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface CertificateFiles {
  readonly cert: string;
  readonly key: string;
}

const CA_LIFETIME_DAYS = 3650;
const SERVER_LIFETIME_DAYS = 825;

function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * 86_400_000);
}

async function writeKey(path: string, pem: string): Promise<void> {
  await fs.writeFile(path, pem, { mode: 0o600 });
  await fs.chmod(path, 0o600);
}

/** The CA in `dir` (`ca.pem`, `ca.key`), created on first use and re-used after. */
export async function ensureCertificateAuthority(dir: string): Promise<CertificateFiles> {
  const files = { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
  if (existsSync(files.cert) && existsSync(files.key)) return files;
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const pems = await generate([{ name: 'commonName', value: 'MIMI discovery demo CA (throwaway)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 3_600_000),
    notAfterDate: daysFromNow(CA_LIFETIME_DAYS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  await writeKey(files.key, pems.private);
  await fs.writeFile(files.cert, pems.cert);
  return files;
}

/**
 * A server certificate for `hostName` (and 127.0.0.1) signed by the CA, written as
 * `<dir>/<hostName>.pem` and `.key`; re-used when present.
 */
export async function ensureServerCertificate(
  dir: string,
  ca: CertificateFiles,
  hostName: string,
): Promise<CertificateFiles> {
  const host = hostName.replace(/\.$/, '');
  const files = { cert: join(dir, `${host}.pem`), key: join(dir, `${host}.key`) };
  if (existsSync(files.cert) && existsSync(files.key)) return files;
  const pems = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 3_600_000),
    notAfterDate: daysFromNow(SERVER_LIFETIME_DAYS),
    ca: { key: await fs.readFile(ca.key, 'utf8'), cert: await fs.readFile(ca.cert, 'utf8') },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: host },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  await writeKey(files.key, pems.private);
  await fs.writeFile(files.cert, pems.cert);
  return files;
}
