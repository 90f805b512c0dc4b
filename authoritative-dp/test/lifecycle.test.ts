/**
 * The authoritative DP as a process (DESIGN §7, §8): the resolver configuration is read
 * at first use and again after SIGHUP, the API is rate-limited per client (429), the
 * store survives a restart, and token flags that do not go together are refused (exit 2).
 */
import { promises as fs } from 'node:fs';
import { RRType } from '@mimi/protocol';
import { AUTHORITATIVE_MAIN, dohQuery, ServerProcess } from '@mimi/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiNetwork, ownerOf, rdatasOf, startApiNetwork } from './api-fixture.js';
import { attest, mapping, recipient } from './objects.js';

let api: ApiNetwork;
beforeAll(async () => {
  api = await startApiNetwork(['--api-rate-limit', '1']);
});
afterAll(async () => {
  await api?.stop();
});

const codeOf = (json: unknown) => (json as { error: { code: string } }).error.code;

async function hangup(server: ServerProcess): Promise<void> {
  const from = server.lines.length;
  server.signal('SIGHUP');
  await server.waitForLog((line) => line.msg === 'resolver configuration will be re-read', 10_000, from);
}

describe('resolver configuration', () => {
  it('is read at the first request that needs it and again after SIGHUP', async () => {
    const tel = api.tel.process;
    const config = api.net.clientConfigFile;
    const csi = '+447700900601';
    const alice = recipient();
    const att = attest(api.csip('uk-carrier'), { csi, rk: alice.publicKey });

    await fs.rename(config, `${config}.away`);
    await hangup(tel);
    const without = await api.post('mappings', mapping(alice, att));
    expect([without.status, codeOf(without.json)]).toEqual([503, 'unavailable']);
    expect(await api.mspmap(csi)).toEqual([]);

    await fs.rename(`${config}.away`, config);
    // Still the failed state until the next request reads the file again.
    await hangup(tel);
    const object = mapping(alice, att);
    expect((await api.post('mappings', object)).status).toBe(200);
    expect(await api.mspmap(csi)).toEqual([object]);
  });
});

describe('rate limit', () => {
  it('answers 429 rate-limited with Retry-After once a client exceeds its bucket', async () => {
    const statuses: number[] = [];
    let last: { status: number; json: unknown } | undefined;
    for (let i = 0; i < 4; i++) {
      last = await api.post('mappings', new Uint8Array([0xa0]));
      statuses.push(last.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status !== 429).every((status) => status === 400)).toBe(true);
    expect(codeOf(last!.json)).toBe('rate-limited');
  });
});

describe('process', () => {
  it('keeps accepted mappings across a restart (SIGTERM exits 0)', async () => {
    const csi = '+447700900602';
    const bob = recipient();
    // The rate limit above drained this client's bucket: wait for a token.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const object = mapping(bob, attest(api.csip('uk-carrier'), { csi, rk: bob.publicKey }));
    expect((await api.post('mappings', object)).status).toBe(200);

    const first = api.tel.process;
    expect(await first.stop()).toBe(0);
    const second = ServerProcess.spawn('mimi-authoritative again', first.script, first.args);
    try {
      const listening = await second.started();
      const answer = await dohQuery(listening.doh, api.net.ca, { name: ownerOf(csi), type: RRType.MSPMAP });
      expect(rdatasOf(answer.answers, RRType.MSPMAP)).toEqual([object]);
    } finally {
      await second.stop();
    }
  });

  it.each([
    [['--require-token'], 'mimi-authoritative: --require-token needs --token-issuer URL'],
    [
      ['--token-issuer', 'https://issuer.example'],
      'mimi-authoritative: --token-issuer needs --require-token',
    ],
  ])('refuses %j with exit 2 and one line', async (flags, line) => {
    const child = ServerProcess.spawn('mimi-authoritative tokens', AUTHORITATIVE_MAIN, [
      ...api.tel.process.args,
      ...flags,
    ]);
    expect(await child.exit()).toBe(2);
    expect(child.stderr).toBe(`${line}\n`);
  });

  it('refuses a bad --api-rate-limit with exit 2', async () => {
    const child = ServerProcess.spawn('mimi-authoritative rate', AUTHORITATIVE_MAIN, [
      ...api.tel.process.args,
      '--api-rate-limit',
      'fast',
    ]);
    expect(await child.exit()).toBe(2);
    expect(child.stderr).toContain("--api-rate-limit 'fast' is not a whole number");
  });
});
