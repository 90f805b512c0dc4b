/**
 * TLS certificate and key files for the DoH listener (RFC 8484 §5: DoH is HTTPS). The
 * key is refused when group or others may access it (mode & 077), the rule our own
 * private key files follow (packages/crypto key-file.ts), and the pair is checked to
 * form a usable secure context before a listener takes it, so a bad reload keeps the
 * old certificate instead of breaking the listener. The relay reads its TLS files here
 * too, and its CA bundle for checking targets (`readCaFile`).
 */
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ServerConfigError } from './errors.js';

/** Mode bits that must be clear on a private key file. */
const FORBIDDEN_KEY_MODE_BITS = 0o077;

/** One PEM certificate block (RFC 7468 §5.1 label "CERTIFICATE"). */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g;

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export async function loadTlsMaterial(files: TlsFiles): Promise<TlsMaterial> {
  const key = await readKey(files.keyFile);
  let cert: Buffer;
  try {
    cert = await fs.readFile(files.certFile);
  } catch (cause) {
    throw new ServerConfigError('tls-cert-unreadable', `cannot read tls certificate ${files.certFile}`, {
      cause,
      details: { path: files.certFile },
    });
  }
  try {
    createSecureContext({ cert, key });
  } catch (cause) {
    throw new ServerConfigError(
      'tls-pair-invalid',
      `tls certificate ${files.certFile} and key ${files.keyFile} do not form a usable pair`,
      { cause, details: { cert: files.certFile, key: files.keyFile } },
    );
  }
  return { cert, key };
}

/** A CA bundle (PEM) to check peers against; refused unless it holds a usable certificate. */
export async function readCaFile(path: string): Promise<Buffer> {
  let ca: Buffer;
  try {
    ca = await fs.readFile(path);
  } catch (cause) {
    throw new ServerConfigError('tls-ca-unreadable', `cannot read ca file ${path}`, {
      cause,
      details: { path },
    });
  }
  // createSecureContext({ ca }) silently skips what is not PEM, so each block is parsed.
  const blocks = ca.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  try {
    if (blocks.length === 0) throw new RangeError('no pem certificate block');
    for (const block of blocks) new X509Certificate(block);
  } catch (cause) {
    throw new ServerConfigError('tls-ca-invalid', `ca file ${path} holds no usable certificate`, {
      cause,
      details: { path },
    });
  }
  return ca;
}

async function readKey(path: string): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (cause) {
    throw new ServerConfigError('tls-key-unreadable', `cannot read tls key ${path}`, {
      cause,
      details: { path },
    });
  }
  try {
    const stat = await handle.stat();
    if ((stat.mode & FORBIDDEN_KEY_MODE_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new ServerConfigError(
        'tls-key-permissions',
        `tls key ${path} is accessible by group or others (mode ${mode}); run chmod 600 ${path}`,
        { details: { path, mode } },
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
