/**
 * Throwaway certificates for the relay tests, made with the `openssl` CLI: one CA and
 * one P-256 server certificate per host name (with IP SAN 127.0.0.1), keys mode 0600.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  readonly caFile: string;
  readonly ca: Buffer;
  /** Certificate and key files per host name. */
  readonly hosts: Record<string, { certFile: string; keyFile: string }>;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

export function makePki(dir: string, hostNames: readonly string[]): Pki {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=relay test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ],
    dir,
  );
  const hosts: Pki['hosts'] = {};
  for (const host of hostNames) {
    const ext = join(dir, `${host}.ext`);
    writeFileSync(
      ext,
      `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${host},IP:127.0.0.1\n`,
    );
    openssl(
      [
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${host}.key`,
        '-out',
        `${host}.csr`,
        '-subj',
        `/CN=${host}`,
      ],
      dir,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${host}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${host}.pem`,
        '-days',
        '2',
        '-extfile',
        ext,
      ],
      dir,
    );
    chmodSync(join(dir, `${host}.key`), 0o600);
    hosts[host] = { certFile: join(dir, `${host}.pem`), keyFile: join(dir, `${host}.key`) };
  }
  const caFile = join(dir, 'ca.pem');
  return { caFile, ca: execFileSync('cat', [caFile]), hosts };
}
