import { once } from 'node:events';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ensureCertificateAuthority, ensureServerCertificate } from '../src/pki.js';

describe('demo PKI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mimi-pki-'));

  it('issues a server certificate that verifies for its host name and 127.0.0.1 only', async () => {
    const ca = await ensureCertificateAuthority(dir);
    const server = await ensureServerCertificate(dir, ca, 'tel.nic.mimi.arpa.');
    expect(statSync(ca.key).mode & 0o777).toBe(0o600);
    expect(statSync(server.key).mode & 0o777).toBe(0o600);

    const tlsServer = createServer({ cert: readFileSync(server.cert), key: readFileSync(server.key) }, (s) =>
      s.end(),
    );
    tlsServer.listen(0, '127.0.0.1');
    await once(tlsServer, 'listening');
    const { port } = tlsServer.address() as { port: number };
    const attempt = (servername: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, servername, ca: readFileSync(ca.cert) }, () => {
          socket.end();
          resolve('ok');
        });
        socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      });
    expect(await attempt('tel.nic.mimi.arpa')).toBe('ok');
    expect(await attempt('mail.nic.mimi.arpa')).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    tlsServer.close();
  });

  it('re-uses what exists', async () => {
    const ca = await ensureCertificateAuthority(dir);
    const before = readFileSync(ca.cert, 'utf8');
    await ensureCertificateAuthority(dir);
    expect(readFileSync(ca.cert, 'utf8')).toBe(before);
  });
});
