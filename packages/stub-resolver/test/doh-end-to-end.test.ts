/**
 * The resolver with its default DoH transport over real sockets on 127.0.0.1: three
 * HTTP/2 TLS servers (root, +44/+1, example.com) answering from AuthorityEngines, a
 * throwaway CA, endpoints found through `_dns.` SVCB records with the listening ports,
 * certificates checked against the `nic.` host names. The +44 host's second address
 * (127.0.0.2) listens nowhere: when it is asked first, the stub fails over.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver, type Resolver } from '../src/index.js';
import { makeCertificates } from './helpers/certs.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { startDohServer, type TestDohServer } from './helpers/doh-server.js';
import { NOW } from './helpers/fixtures.js';
import { buildNetwork, type TestNetwork } from './helpers/network.js';

let servers: { root: TestDohServer; tel: TestDohServer; mail: TestDohServer };
let network: TestNetwork;
let resolver: Resolver;
let caFile: string;

beforeAll(async () => {
  const tls = makeCertificates(
    ['root.nic.mimi.arpa', 'tel.nic.mimi.arpa', 'mail.nic.mimi.arpa'],
    ['127.0.0.1'],
  );
  const now = () => NOW;
  servers = {
    root: await startDohServer(tls, now),
    tel: await startDohServer(tls, now),
    mail: await startDohServer(tls, now),
  };
  network = await buildNetwork({
    ports: { root: servers.root.port, tel: servers.tel.port, mail: servers.mail.port },
  });
  seedDemo(network);
  servers.root.engine = network.engines.root;
  servers.tel.engine = network.engines.tel;
  servers.mail.engine = network.engines.mail;
  const dir = mkdtempSync(join(tmpdir(), 'mimi-e2e-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, tls.caPem);
  resolver = createResolver({ ...network.config, ca: caFile }, { clock: () => NOW * 1000, timeoutMs: 2000 });
});

afterAll(async () => {
  await resolver?.close();
  await Promise.all(Object.values(servers ?? {}).map((server) => server.close()));
});

describe('end to end over DoH', () => {
  it('resolves the §9 table', async () => {
    const results = await resolver.resolveMany([
      CSI.ukFound,
      CSI.ukOptedOut,
      CSI.usFound,
      CSI.alice,
      CSI.ukMissing,
      CSI.noDp,
    ]);
    expect(results.map((r) => [r.csi, r.status])).toEqual([
      ['+447700900123', 'found'],
      ['+447700900124', 'opted-out'],
      ['+14155550100', 'found'],
      ['alice@example.com', 'found'],
      ['+447700900999', 'no-mapping'],
      ['+33123456789', 'no-mapping'],
    ]);
  });

  it('reuses one HTTP/2 connection per server', () => {
    expect([servers.root.sessions(), servers.tel.sessions(), servers.mail.sessions()]).toEqual([1, 1, 1]);
  });

  it('fails over from a root address where nothing listens to one that answers', async () => {
    const dead = network.urls.root.replace('127.0.0.1', '127.0.0.2');
    const failover = createResolver(
      { ...network.config, roots: [dead, network.urls.root], ca: caFile },
      { clock: () => NOW * 1000, timeoutMs: 2000 },
    );
    try {
      const result = await failover.resolve(CSI.alice, { trace: true });
      expect(result.status).toBe('found');
      const failed = result.trace!.find(
        (e) => e.event === 'query' && e.outcome.startsWith('failed: network'),
      );
      expect(failed).toMatchObject({ server: { url: dead } });
    } finally {
      await failover.close();
    }
  });

  it('the DP found for publishing is the listening server with its TLS host name', async () => {
    const delegation = await resolver.findDelegation(CSI.alice);
    expect(delegation).toEqual({
      zone: 'example.com.email.mimi.arpa.',
      servers: [
        { host: 'mail.nic.mimi.arpa', doh: network.urls.mail, api: `https://127.0.0.1:${servers.mail.port}` },
      ],
    });
  });
});
