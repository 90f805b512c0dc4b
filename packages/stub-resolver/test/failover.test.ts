/**
 * Timeouts, retries and failover across every address of a zone's NS hosts (RFC 1035
 * §7.2, RFC 4697 §2.1), and DESIGN §6 `unreachable` when all are dead — including a DP
 * that refuses for want of a token (REFUSED + Extended DNS Error, RFC 8914).
 */
import { ExtendedErrorCode, extendedErrorOption, NO_FLAGS, Rcode } from '@mimi/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { reasonCode } from '../src/index.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork, ROOT_URL, TEL_URLS, type TestNetwork } from './helpers/network.js';

let network: TestNetwork;

beforeEach(async () => {
  network = await buildNetwork();
  seedDemo(network);
});

const telRequests = (mark: number) =>
  network.transport.since(mark).filter((r) => r.host === 'tel.nic.mimi.arpa');

describe('failover', () => {
  it('a dead address of the DP fails over to its other address', async () => {
    network.transport.dead.add(TEL_URLS[0]!);
    const result = await network.resolver().resolve(CSI.ukFound);
    expect(result.status).toBe('found');
    const urls = new Set(telRequests(0).map((r) => r.url));
    expect(urls).toEqual(new Set(TEL_URLS));
  });

  it('a failed server is tried last afterwards (no second wait on it)', async () => {
    network.transport.dead.add(TEL_URLS[0]!);
    const resolver = network.resolver();
    await resolver.resolve(CSI.ukFound);
    const mark = network.transport.requests.length;
    await resolver.resolve(CSI.ukOptedOut);
    expect(telRequests(mark).map((r) => r.url)).toEqual([TEL_URLS[1]]);
  });

  it('a hanging server times out and the next one answers', async () => {
    network.transport.hanging.add(TEL_URLS[0]!);
    const result = await network.resolver({ timeoutMs: 30 }).resolve(CSI.ukFound, { trace: true });
    expect(result.status).toBe('found');
    const failed = result.trace!.filter(
      (e) => e.event === 'query' && e.outcome.startsWith('failed: timeout'),
    );
    expect(failed.length).toBeGreaterThan(0);
  });

  it('a response to another question is not used: the next server is asked', async () => {
    network.transport.tamper = (response, request) =>
      request.url === TEL_URLS[0] && request.qtype === 'MSPMAP'
        ? { ...response, questions: [{ ...response.questions[0]!, name: 'other.4.4.e164.mimi.arpa.' }] }
        : response;
    const result = await network.resolver().resolve(CSI.ukFound);
    expect(result.status).toBe('found');
    expect(
      telRequests(0)
        .filter((r) => r.qtype === 'MSPMAP')
        .map((r) => r.url),
    ).toEqual(TEL_URLS);
  });

  it('SERVFAIL from one server fails over', async () => {
    network.transport.tamper = (response, request) =>
      request.url === TEL_URLS[0]
        ? { ...response, flags: { ...response.flags, rcode: Rcode.SERVFAIL }, answers: [], authorities: [] }
        : response;
    expect((await network.resolver().resolve(CSI.ukFound)).status).toBe('found');
  });
});

describe('unreachable', () => {
  it('a server answering 429 is asked again after a pause, not failed over as dead', async () => {
    network.transport.busy.set(TEL_URLS[0]!, 2);
    const result = await network.resolver().resolve(CSI.ukFound, { trace: true });
    expect(result.status).toBe('found');
    // Only the first address was asked: twice refused, then again until it answered.
    expect(new Set(telRequests(0).map((r) => r.url))).toEqual(new Set([TEL_URLS[0]]));
    const refused = result.trace!.filter((e) => e.event === 'query' && e.outcome.includes('http 429'));
    expect(refused).toHaveLength(2);
  });

  it('still 429 after every pause: the next address, then unreachable (http-error)', async () => {
    for (const url of TEL_URLS) network.transport.busy.set(url, 100);
    const result = await network.resolver({ retries: 0 }).resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(reasonCode(result)).toBe('http-error');
    // Each address: the first try and RATE_LIMITED_WAITS more.
    expect(telRequests(0).length).toBe(2 * 6);
  }, 20_000);

  it('an abort during the pause after a 429 ends the resolve as aborted', async () => {
    network.transport.busy.set(TEL_URLS[0]!, 100);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(
      network.resolver().resolve(CSI.ukFound, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('every address of the DP dead, after one retry round: unreachable (network)', async () => {
    for (const url of TEL_URLS) network.transport.dead.add(url);
    const result = await network.resolver({ retries: 1 }).resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(reasonCode(result)).toBe('network');
    expect(result.reason).toMatch(/^network: no server of zone 4\.4\.e164\.mimi\.arpa\. answered/);
    expect(result.mappings).toEqual([]);
    // Two rounds over two addresses for the DNSKEY query that failed.
    expect(telRequests(0)).toHaveLength(4);
  });

  it('every server hanging: unreachable (timeout)', async () => {
    network.transport.hanging.add(ROOT_URL);
    const result = await network.resolver({ timeoutMs: 20, retries: 0 }).resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(reasonCode(result)).toBe('timeout');
  });

  it('a DP refusing for want of a token: unreachable with that reason', async () => {
    network.transport.tamper = (response, request) =>
      request.qtype === 'MSPMAP'
        ? {
            ...response,
            flags: { ...NO_FLAGS, qr: true, rcode: Rcode.REFUSED },
            answers: [],
            authorities: [],
            edns: {
              ...response.edns!,
              options: [extendedErrorOption(ExtendedErrorCode.PROHIBITED, 'privacy pass token required')],
            },
          }
        : response;
    const result = await network.resolver().resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(reasonCode(result)).toBe('refused');
    expect(result.reason).toContain('(ede 18: privacy pass token required)');
  });
});
