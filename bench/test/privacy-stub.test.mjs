// bench/privacy-stub.mjs: the redirecting transport of mode `direct` and the client file
// key that turns it on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClientConfig, RedirectTransport } from '../privacy-stub.mjs';

function recordingTransport() {
  const sent = [];
  return {
    sent,
    encrypted: true,
    closed: false,
    async send(endpoint, query) {
      sent.push({ endpoint, query });
      return new Uint8Array([1]);
    },
    async close() {
      this.closed = true;
    },
  };
}

describe('RedirectTransport', () => {
  const from = 'https://127.0.0.1:5000';
  const to = 'https://127.0.0.1:6000';

  it('sends what is addressed to `from` to `to`, path and TLS name kept, and counts it', async () => {
    const inner = recordingTransport();
    const transport = new RedirectTransport(inner, { from, to });
    await transport.send({ url: `${from}/dns-query`, host: 'tel.nic.mimi.arpa' }, new Uint8Array([9]), {});
    expect(inner.sent[0].endpoint).toEqual({ url: `${to}/dns-query`, host: 'tel.nic.mimi.arpa' });
    expect(transport.redirected).toBe(1);
  });

  it('passes every other endpoint through untouched', async () => {
    const inner = recordingTransport();
    const transport = new RedirectTransport(inner, { from, to });
    const endpoint = { url: 'https://127.0.0.1:5001/dns-query', host: 'root.nic.mimi.arpa' };
    await transport.send(endpoint, new Uint8Array([9]), {});
    expect(inner.sent[0].endpoint).toBe(endpoint);
    expect(transport.redirected).toBe(0);
  });

  it('keeps the inner transport encrypted flag and closes it', async () => {
    const inner = recordingTransport();
    const transport = new RedirectTransport(inner, { from, to });
    expect(transport.encrypted).toBe(true);
    await transport.close();
    expect(inner.closed).toBe(true);
  });
});

describe('loadClientConfig', () => {
  const base = {
    roots: ['https://127.0.0.1:1/dns-query'],
    trustAnchors: [
      'mimi.arpa. 3600 IN DS 12345 15 2 0000000000000000000000000000000000000000000000000000000000000000',
    ],
    ca: null,
  };
  const file = (value) => {
    const path = join(mkdtempSync(join(tmpdir(), 'privacy-stub-')), 'client.json');
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it('keeps benchRedirect from the file, which the stub itself ignores', () => {
    const redirect = { from: 'https://127.0.0.1:5', to: 'https://127.0.0.1:6' };
    expect(loadClientConfig(file({ ...base, benchRedirect: redirect })).benchRedirect).toEqual(redirect);
  });

  it('has no benchRedirect when the file has none', () => {
    expect(loadClientConfig(file(base)).benchRedirect).toBeUndefined();
  });
});
