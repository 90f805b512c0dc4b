/**
 * A throwaway self-signed certificate for the DoH listeners of one run (RFC 8484 §5:
 * DoH is HTTPS), made with the `openssl` binary: P-256, subject and SAN 127.0.0.1,
 * valid two days, key mode 0600.
 */
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchError } from './errors.mjs';
import { runCollect } from './process.mjs';

export async function makeThrowawayCert(dir) {
  const certFile = join(dir, 'tls-cert.pem');
  const keyFile = join(dir, 'tls-key.pem');
  const result = await runCollect('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  if (result.code !== 0) {
    throw new BenchError('openssl-failed', `openssl req failed: ${result.stderr.trim().split('\n').pop()}`);
  }
  await chmod(keyFile, 0o600);
  return { certFile, keyFile, certPem: await readFile(certFile, 'utf8') };
}
