/**
 * The relay's TLS files go through the server core's checks but keep the relay's
 * error contract: a `RelayConfigError` coded `tls-key-permissions` or `tls-file`, with
 * the message `mimi-relay` prints before exiting 2.
 */
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RelayConfigError } from '../src/errors.js';
import { loadTlsMaterial, readCaFile } from '../src/tls-files.js';
import { makePki } from './support/pki.js';

const dir = mkdtempSync(join(tmpdir(), 'mimi-relay-tls-'));
const pki = makePki(dir, ['relay.test', 'other.test']);
const relay = pki.hosts['relay.test']!;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(loading: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await loading.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RelayConfigError);
  const { code, message } = err as RelayConfigError;
  return { code, message };
}

describe('relay tls files', () => {
  it('loads a certificate, its 0600 key and a CA bundle', async () => {
    const material = await loadTlsMaterial(relay.certFile, relay.keyFile);
    expect(material.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect((await readCaFile(pki.caFile)).equals(pki.ca)).toBe(true);
  });

  it('refuses a key readable by others as tls-key-permissions', async () => {
    const loose = join(dir, 'loose.key');
    copyFileSync(relay.keyFile, loose);
    chmodSync(loose, 0o640);
    expect(await refusal(loadTlsMaterial(relay.certFile, loose))).toEqual({
      code: 'tls-key-permissions',
      message: `tls key ${loose} is accessible by group or others (mode 0640); run chmod 600 ${loose}`,
    });
  });

  it.each([
    [
      'a missing certificate',
      () => loadTlsMaterial('/nonexistent/c.pem', relay.keyFile),
      'cannot read tls certificate /nonexistent/c.pem',
    ],
    [
      'a missing key',
      () => loadTlsMaterial(relay.certFile, '/nonexistent/k.pem'),
      'cannot read tls key /nonexistent/k.pem',
    ],
    [
      'a certificate with another key',
      () => loadTlsMaterial(relay.certFile, pki.hosts['other.test']!.keyFile),
      `tls certificate ${relay.certFile} and key ${pki.hosts['other.test']!.keyFile} do not form a usable pair`,
    ],
    ['a missing ca file', () => readCaFile('/nonexistent/ca.pem'), 'cannot read ca file /nonexistent/ca.pem'],
  ])('refuses %s as tls-file', async (_label, load, message) => {
    expect(await refusal(load())).toEqual({ code: 'tls-file', message });
  });

  it('refuses a ca file without a certificate as tls-file', async () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    expect(await refusal(readCaFile(junk))).toEqual({
      code: 'tls-file',
      message: `ca file ${junk} holds no usable certificate`,
    });
  });
});
