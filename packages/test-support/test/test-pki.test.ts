/**
 * The shared test PKI: a CA whose leaves carry the asked names and verify against it,
 * self-signed certificates that are their own anchor, keys mode 0600, and a clear
 * refusal of a certificate without any name.
 */
import { X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPki, selfSignedCertificate } from '../src/test-pki.js';

const pki = createTestPki({ caName: 'pki test ca' });
afterAll(() => pki.remove());

describe('createTestPki', () => {
  it('makes a CA certificate (cA true) with a 0600 key', () => {
    const ca = new X509Certificate(pki.ca.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=pki test ca');
    expect(statSync(pki.ca.keyFile).mode & 0o777).toBe(0o600);
    expect(pki.ca.keyPem).toContain('PRIVATE KEY');
  });

  it('issues a leaf signed by the CA, naming its DNS names and IPs', () => {
    const leaf = pki.issue({ dnsNames: ['a.test', 'b.test'], ips: ['127.0.0.1'] });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe('CN=a.test');
    expect(cert.subjectAltName).toBe('DNS:a.test, DNS:b.test, IP Address:127.0.0.1');
    expect(cert.checkIssued(new X509Certificate(pki.ca.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(pki.ca.certPem).publicKey)).toBe(true);
    expect(cert.checkHost('b.test')).toBe('b.test');
    expect(cert.checkHost('c.test')).toBeUndefined();
    expect(leaf.certFile.endsWith('/a.test.pem')).toBe(true);
    expect(statSync(leaf.keyFile).mode & 0o777).toBe(0o600);
  });

  it('issues leaves from another CA that do not verify against this one', () => {
    const other = createTestPki();
    try {
      const leaf = new X509Certificate(other.issue({ dnsNames: ['a.test'] }).certPem);
      expect(leaf.checkIssued(new X509Certificate(pki.ca.certPem))).toBe(false);
    } finally {
      other.remove();
    }
  });
});

describe('selfSignedCertificate', () => {
  it('is its own issuer, with the asked common name and names', () => {
    const own = selfSignedCertificate(pki.dir, {
      commonName: 'first',
      dnsNames: ['localhost'],
      ips: ['127.0.0.1'],
    });
    const cert = new X509Certificate(own.certPem);
    expect(cert.subject).toBe('CN=first');
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(own.certFile.endsWith('/first.pem')).toBe(true);
    expect(statSync(own.keyFile).mode & 0o777).toBe(0o600);
  });

  it.each([{}, { commonName: 'x' }, { dnsNames: [], ips: [] }])(
    'refuses a certificate without names: %o',
    (request) => {
      expect(() => selfSignedCertificate(pki.dir, request)).toThrow(
        expect.objectContaining({
          code: 'test-pki-no-name',
          message: 'a test certificate needs a dns name or an ip address',
        }),
      );
      expect(() => pki.issue(request)).toThrow(expect.objectContaining({ code: 'test-pki-no-name' }));
    },
  );
});
