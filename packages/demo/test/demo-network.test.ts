// `npm start` in a temporary directory (DESIGN §9): the three files in their exact shapes,
// the privacy layer (relay, issuer, each server's ODOHCFG signed in the apex, the DPs with
// --require-token), seeds published, a clean stop of all five; a second start re-uses the
// state (keys, CA, trust anchor, ODoH keys, the user's API key, ports); a port taken since,
// or taken between the choice and the bind, moves that server and the root publishes the
// new one.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRecord, RRType } from '@mimi/protocol';
import { dohQuery } from '@mimi/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningNetwork, startNetwork } from '../src/demo-network.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const built = [
  'root-dp/dist/main.js',
  'authoritative-dp/dist/main.js',
  'packages/relay/dist/main.js',
  'packages/issuer/dist/main.js',
].every((program) => existsSync(join(repoRoot, program)));
const stateDir = join(mkdtempSync(join(tmpdir(), 'mimi-demo-network-')), '.mimi');
const START_TIMEOUT_MS = 120_000;

const read = (path: string) => readFileSync(path, 'utf8');
const json = (path: string) => JSON.parse(read(path)) as Record<string, unknown>;
const portOf = (url: string) => Number(new URL(url).port);

let running: RunningNetwork | undefined;
const blockers: Server[] = [];
afterAll(async () => {
  await running?.stop();
  for (const blocker of blockers) blocker.close();
}, START_TIMEOUT_MS);

describe.skipIf(!built)('the demo network', () => {
  let first: {
    trustAnchor: string;
    ca: string;
    csipKey: string;
    odohKey: string;
    client: Record<string, unknown>;
    network: RunningNetwork['network'];
  };

  it(
    'starts root, tel, mail, the relay and the issuer, seeds them, and writes the three files in the shapes of DESIGN §9',
    async () => {
      running = await startNetwork({ stateDir, repoRoot });
      const { paths, network } = running;
      expect(running.processes.map((p) => p.name)).toEqual(['root', 'tel', 'mail', 'relay', 'issuer']);

      const file = json(paths.networkJson);
      expect(file).toEqual(network);
      expect(Object.keys(file)).toEqual(['apex', 'ca', 'servers', 'relay', 'issuer']);
      expect(file).toMatchObject({ apex: 'mimi.arpa.', ca: join(stateDir, 'tls', 'ca.pem') });
      expect(network.relay).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/proxy$/);
      expect(network.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(network.relay).toBe(running.privacy!.relay.url);
      expect(network.issuer).toBe(running.privacy!.issuer.url);
      expect(network.servers.map((s) => [s.name, s.role, s.zones])).toEqual([
        ['root', 'root', ['mimi.arpa.', 'csip.mimi.arpa.']],
        ['tel', 'authoritative', ['4.4.e164.mimi.arpa.', '1.e164.mimi.arpa.']],
        ['mail', 'authoritative', ['example.com.email.mimi.arpa.']],
      ]);
      for (const server of network.servers) {
        const keys =
          server.role === 'root'
            ? ['name', 'role', 'zones', 'doh', 'do53']
            : ['name', 'role', 'zones', 'doh', 'do53', 'api'];
        expect(Object.keys(server)).toEqual(keys);
        expect(server.doh).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/dns-query$/);
        expect(server.do53).toMatch(/^127\.0\.0\.1:\d+$/);
        if (server.api !== undefined) expect(server.api).toBe(new URL(server.doh).origin);
      }

      const anchor = read(paths.trustAnchor);
      expect(anchor).toMatch(/^mimi\.arpa\. 3600 IN DS \d+ 15 2 [0-9a-f]{64}\n$/);
      expect(running.trustAnchorLines).toEqual([anchor.trim()]);
      const client = json(paths.clientJson);
      expect(client).toEqual({
        roots: [network.servers[0]!.doh],
        trustAnchors: [anchor.trim()],
        ca: network.ca,
        relay: network.relay,
        issuer: network.issuer,
        issuerAuth: running.privacy!.issuerAuth,
      });
      expect(client.issuerAuth).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The user's credential: readable by its owner only, like every key of the demo.
      expect(statSync(paths.clientJson).mode & 0o777).toBe(0o600);
      expect(statSync(paths.odohKeys('tel')).mode & 0o777).toBe(0o600);

      // Privacy (DESIGN §7): every server an ODoH target, the DPs demanding tokens from
      // the issuer; their own CSIP-key look-ups go direct, without the user's key.
      const argsOf = (name: string) => running!.processes.find((p) => p.name === name)!.args;
      const flag = (args: readonly string[], name: string) => args[args.indexOf(name) + 1];
      expect(flag(argsOf('root'), '--odoh-keys')).toBe(paths.odohKeys('root'));
      expect(argsOf('root')).not.toContain('--require-token');
      for (const dp of ['tel', 'mail']) {
        const args = argsOf(dp);
        expect(flag(args, '--odoh-keys')).toBe(paths.odohKeys(dp));
        expect(args).toContain('--require-token');
        expect(flag(args, '--token-issuer')).toBe(network.issuer);
        expect(flag(args, '--token-ca')).toBe(network.ca);
        expect(flag(args, '--resolver-config')).toBe(paths.serverClientJson);
      }
      expect(json(paths.serverClientJson)).toEqual({
        ...client,
        relay: null,
        issuer: null,
        issuerAuth: undefined,
      });
      expect(json(paths.serverClientJson)).not.toHaveProperty('issuerAuth');
      expect(json(paths.relayTargets)).toEqual(
        Object.fromEntries(
          running.servers.map((server) => [server.host.replace(/\.$/, ''), new URL(server.doh).host]),
        ),
      );
      // Each server's ODOHCFG is what it says it serves, signed into the apex by the root.
      for (const server of running.servers) {
        const line = server.process.lines.find((entry) => entry.msg === 'odoh configs')!;
        const answer = await dohQuery(network.servers[0]!.doh, read(network.ca), {
          name: `_odoh.${server.host}`,
          type: RRType.ODOHCFG,
        });
        const records = answer.answers.filter((r) => r.type === RRType.ODOHCFG);
        expect(records.map((r) => Buffer.from(r.rdata).toString('base64url'))).toEqual([line.configs]);
        expect(records[0]!.ttl).toBe(3600);
        expect(answer.answers.some((r) => r.type === RRType.RRSIG)).toBe(true);
      }

      // Seeding went through the API: the signed objects are kept for the next start.
      expect(existsSync(paths.seedObject('rcpt-447700900123-personal'))).toBe(true);
      first = {
        trustAnchor: anchor,
        ca: read(network.ca),
        csipKey: read(paths.csipKey('uk-carrier')),
        odohKey: read(paths.odohKeys('tel')),
        client,
        network,
      };
    },
    START_TIMEOUT_MS,
  );

  it(
    'stops every process (SIGTERM, exit 0)',
    async () => {
      await running!.stop();
      expect(await Promise.all(running!.processes.map((p) => p.exit()))).toEqual([0, 0, 0, 0, 0]);
      running = undefined;
    },
    START_TIMEOUT_MS,
  );

  it(
    'started again, re-uses keys, CA, trust anchor, ODoH keys, the API key and ports, and re-sends the seeds',
    async () => {
      running = await startNetwork({ stateDir, repoRoot });
      expect(read(running.paths.trustAnchor)).toBe(first.trustAnchor);
      expect(read(running.network.ca)).toBe(first.ca);
      expect(read(running.paths.csipKey('uk-carrier'))).toBe(first.csipKey);
      expect(read(running.paths.odohKeys('tel'))).toBe(first.odohKey);
      expect(json(running.paths.clientJson)).toEqual(first.client);
      expect(running.network).toEqual(first.network);
      await running.stop();
      running = undefined;
    },
    START_TIMEOUT_MS,
  );

  it(
    'moves a server (and the relay) whose previous port is taken; the root publishes the new DoH endpoint (RFC 9461)',
    async () => {
      const oldTel = first.network.servers.find((s) => s.name === 'tel')!;
      for (const port of [portOf(oldTel.doh), portOf(first.network.relay!)]) {
        const blocker = createServer();
        blockers.push(blocker);
        await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
      }

      running = await startNetwork({ stateDir, repoRoot, seed: false });
      const tel = running.network.servers.find((s) => s.name === 'tel')!;
      expect(portOf(tel.doh)).not.toBe(portOf(oldTel.doh));
      expect(running.network.servers[0]).toEqual(first.network.servers[0]);
      // The relay moved too, and forwards to tel where it is now.
      expect(portOf(running.network.relay!)).not.toBe(portOf(first.network.relay!));
      expect(json(running.paths.clientJson).relay).toBe(running.network.relay);
      expect(running.network.issuer).toBe(first.network.issuer);
      expect(json(running.paths.relayTargets)['tel.nic.mimi.arpa']).toBe(new URL(tel.doh).host);
      const answer = await dohQuery(running.network.servers[0]!.doh, read(running.network.ca), {
        name: '_dns.tel.nic.mimi.arpa.',
        type: RRType.SVCB,
      });
      expect(answer.answers.filter((r) => r.type === RRType.SVCB).map((r) => formatRecord(r))).toEqual([
        `_dns.tel.nic.mimi.arpa. 3600 IN SVCB 1 tel.nic.mimi.arpa. alpn=h2 port=${portOf(tel.doh)} dohpath=/dns-query{?dns}`,
      ]);
    },
    START_TIMEOUT_MS,
  );

  it(
    'a port taken between the choice and the bind: the server starts on fresh ones, the root is reloaded',
    async () => {
      const before = running!.network;
      await running!.stop();
      running = undefined;
      const oldTel = before.servers.find((s) => s.name === 'tel')!;
      const overlay = join(stateDir, 'zones', 'mimi.arpa.overlay.zone');
      const written = statSync(overlay).mtimeMs;
      const starting = startNetwork({ stateDir, repoRoot, seed: false });
      // The overlay is rewritten once the ports are chosen (tel's previous one, free now);
      // the root starts next and tel after it: take tel's port in between.
      while (statSync(overlay).mtimeMs === written) await new Promise((resolve) => setTimeout(resolve, 2));
      expect(read(overlay)).toContain(`port=${portOf(oldTel.doh)} `);
      const blocker = createServer();
      blockers.push(blocker);
      await new Promise<void>((resolve) => blocker.listen(portOf(oldTel.doh), '127.0.0.1', resolve));
      running = await starting;

      const tel = running.network.servers.find((s) => s.name === 'tel')!;
      expect(portOf(tel.doh)).not.toBe(portOf(oldTel.doh));
      const root = running.processes.find((p) => p.name === 'root')!;
      expect(root.lines.filter((line) => line.msg === 'zones reloaded')).toHaveLength(1);
      expect(read(running.paths.log('tel'))).toContain('EADDRINUSE');
      const answer = await dohQuery(running.network.servers[0]!.doh, read(running.network.ca), {
        name: '_dns.tel.nic.mimi.arpa.',
        type: RRType.SVCB,
      });
      expect(answer.answers.filter((r) => r.type === RRType.SVCB).map((r) => formatRecord(r))).toEqual([
        `_dns.tel.nic.mimi.arpa. 3600 IN SVCB 1 tel.nic.mimi.arpa. alpn=h2 port=${portOf(tel.doh)} dohpath=/dns-query{?dns}`,
      ]);
    },
    START_TIMEOUT_MS,
  );
});
