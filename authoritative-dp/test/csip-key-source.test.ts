/**
 * The CSIP key source: the resolver configuration is read at first use, kept, and read
 * again after reload (SIGHUP); a missing file or a failed lookup is `unavailable` (503),
 * never the publisher's fault. A fake resolver stands in for the network.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CsipKeyRecord } from '@mimi/protocol';
import type { HttpError } from '@mimi/server-core';
import { BogusError, type ClientConfig, type Resolver } from '@mimi/stub-resolver';
import { afterAll, describe, expect, it } from 'vitest';
import { ResolverCsipKeys } from '../src/csip-key-source.js';

const dir = mkdtempSync(join(tmpdir(), 'mimi-csip-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ANCHOR =
  'mimi.arpa. 3600 IN DS 18402 15 2 c9f19b83243c6565756b2db5540fc2602ff764c1e26c3178a5d0e9d25205a122';
const RECORD: CsipKeyRecord = {
  v: 1,
  id: 'uk-carrier',
  pk: new Uint8Array(32).fill(7),
  scope: ['+44'],
  exp: 2e9,
};

function writeConfig(path: string, root: string): void {
  writeFileSync(path, JSON.stringify({ roots: [root], trustAnchors: [ANCHOR] }));
}

function fakeResolvers(fetch: (id: string) => Promise<CsipKeyRecord[]>) {
  const made: { config: ClientConfig; closed: boolean }[] = [];
  const factory = (config: ClientConfig): Resolver => {
    const entry = { config, closed: false };
    made.push(entry);
    return {
      apex: 'mimi.arpa.',
      fetchCsipKeys: fetch,
      close: async () => {
        entry.closed = true;
      },
    } as unknown as Resolver;
  };
  return { made, factory };
}

async function refusal(
  run: () => Promise<unknown>,
): Promise<{ status: number; code: string; message: string }> {
  try {
    await run();
  } catch (err) {
    const { status, code, message } = err as HttpError;
    return { status, code, message };
  }
  throw new TypeError('expected a refusal');
}

describe('ResolverCsipKeys', () => {
  it('reads the configuration at first use, keeps the resolver, and re-reads after reload', async () => {
    const path = join(dir, 'client-a.json');
    const { made, factory } = fakeResolvers(async (id) => (id === 'uk-carrier' ? [RECORD] : []));
    const source = new ResolverCsipKeys(path, undefined, factory);

    // Not there yet (the demo writes it after the root started): nothing was read at construction.
    const missing = await refusal(() => source.fetch('uk-carrier'));
    expect(missing).toMatchObject({ status: 503, code: 'unavailable' });
    expect(missing.message).toContain('client-a.json: cannot read');

    writeConfig(path, 'https://127.0.0.1:1/dns-query');
    expect(await source.fetch('uk-carrier')).toEqual([RECORD]);
    expect(await source.fetch('other')).toEqual([]);
    expect(made).toHaveLength(1);

    writeConfig(path, 'https://127.0.0.1:2/dns-query');
    await source.reload();
    expect(made[0]!.closed).toBe(true);
    await source.fetch('uk-carrier');
    expect(made.map((entry) => entry.config.roots[0])).toEqual([
      'https://127.0.0.1:1/dns-query',
      'https://127.0.0.1:2/dns-query',
    ]);
    await source.close();
    expect(made[1]!.closed).toBe(true);
  });

  it('refuses a configuration that does not parse, naming the file', async () => {
    const path = join(dir, 'client-b.json');
    writeFileSync(path, '{"roots": []}');
    const source = new ResolverCsipKeys(path, undefined, fakeResolvers(async () => []).factory);
    const refused = await refusal(() => source.fetch('uk-carrier'));
    expect(refused).toMatchObject({ status: 503, code: 'unavailable' });
    expect(refused.message).toContain('client-b.json');
  });

  it('turns a bogus or failed lookup into unavailable with the reason', async () => {
    const path = join(dir, 'client-c.json');
    writeConfig(path, 'https://127.0.0.1:1/dns-query');
    const source = new ResolverCsipKeys(
      path,
      undefined,
      fakeResolvers(async () => {
        throw new BogusError('rrsig-expired', 'csip zone signature expired', 'csip.mimi.arpa.');
      }).factory,
    );
    const refused = await refusal(() => source.fetch('uk-carrier'));
    expect(refused.status).toBe(503);
    expect(refused.message).toMatch(/^csip keys of 'uk-carrier' cannot be fetched now \(bogus: /);
  });
});
