/**
 * Server lifecycle on real sockets: SIGHUP reload (engine, TLS certificate, answer
 * cache), SIGTERM drain (in-flight requests finish, new ones are refused, a stuck one
 * is cut after the drain time), signal handlers, rate-limited drops over UDP and DoH,
 * TCP idle timeout, and the log contract (no per-query lines at info).
 */
import { copyFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { Writable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { SigningPassReport } from '@mimi/authority';
import { RRType } from '@mimi/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { type RunningServer, type ServerOptions, startServer } from '../src/server.js';
import { createSignalHandlers } from '../src/signals.js';
import { h2request, h2session, udpQuery } from './clients.js';
import { makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine } from './fake-engine.js';
import { makeTestCertificate, type TestCertificate } from './tls-fixture.js';

const running: RunningServer[] = [];
const certificates: TestCertificate[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  for (const certificate of certificates.splice(0)) certificate.remove();
});

function collectingStream(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

async function start(
  engine: FakeEngine,
  extra: Partial<ServerOptions> = {},
): Promise<{ server: RunningServer; certificate: TestCertificate }> {
  const certificate = makeTestCertificate('first');
  certificates.push(certificate);
  const server = await startServer(
    {
      doh: {
        listen: { host: '127.0.0.1', port: 0 },
        tls: { certFile: certificate.certFile, keyFile: certificate.keyFile },
      },
      do53: { listen: { host: '127.0.0.1', port: 0 } },
      pipeline: { rateLimit: { queriesPerSecond: 0, missesPerSecond: 0 } },
      ...extra,
    },
    engine,
  );
  running.push(server);
  return { server, certificate };
}

function peerCommonName(port: number, ca: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: '127.0.0.1', port, ca, ALPNProtocols: ['h2'], servername: 'localhost' },
      () => {
        const subject = socket.getPeerCertificate().subject;
        socket.destroy();
        resolve(String(subject?.CN));
      },
    );
    socket.on('error', reject);
  });
}

describe('reload (SIGHUP)', () => {
  it('reloads the engine, swaps the TLS certificate and empties the answer cache', async () => {
    const engine = new FakeEngine();
    engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')]);
    const { server, certificate } = await start(engine);
    const port = server.addresses.do53udp!.port;
    await udpQuery(port, makeQuery({ name: 'www.example.', type: 1 }));
    expect(server.pipeline.cache.size).toBe(1);
    const second = makeTestCertificate('second', certificate.dir);
    expect(await peerCommonName(server.addresses.doh.port, [certificate.cert, second.cert])).toBe('first');

    copyFileSync(second.certFile, certificate.certFile);
    copyFileSync(second.keyFile, certificate.keyFile);
    await server.reload();

    expect(engine.reloads).toBe(1);
    expect(server.pipeline.cache.size).toBe(0);
    expect(await peerCommonName(server.addresses.doh.port, [certificate.cert, second.cert])).toBe('second');
    const calls = engine.calls.length;
    await udpQuery(port, makeQuery({ name: 'www.example.', type: 1 }));
    expect(engine.calls.length).toBe(calls + 1);
  });

  it('keeps serving when the engine reload or the TLS files fail, and logs why', async () => {
    const engine = new FakeEngine();
    const log = collectingStream();
    const { server, certificate } = await start(engine, {
      logger: createLogger({ level: 'info', destination: log.stream }),
    });
    engine.failReload = true;
    copyFileSync('/dev/null', certificate.certFile);
    await server.reload();
    const messages = log.lines().map((line) => line.msg);
    expect(messages).toContain('zone reload failed; still serving the previous data');
    expect(messages).toContain('tls reload failed; still using the previous certificate');
    expect(await peerCommonName(server.addresses.doh.port, [certificates[0]!.cert])).toBe('first');
    expect(
      await udpQuery(server.addresses.do53udp!.port, makeQuery({ name: 'www.example.', type: 1 })),
    ).not.toBeNull();
  });
});

describe("the engine's background signing pass", () => {
  it('is logged when it ends, at start and after a reload; close() stops it', async () => {
    const reports: SigningPassReport[] = [
      { reason: 'load', outcome: 'complete', owners: 3, rrsets: 6, signatures: 6, milliseconds: 12 },
      {
        reason: 'reload',
        outcome: 'failed',
        owners: 1,
        rrsets: 2,
        signatures: 2,
        milliseconds: 3,
        error: 'disk',
      },
    ];
    const engine = Object.assign(new FakeEngine(), {
      closed: 0,
      pass: Promise.resolve(reports[0]!),
      signingPass() {
        return this.pass;
      },
      close() {
        this.closed++;
      },
    });
    const log = collectingStream();
    const { server } = await start(engine, {
      logger: createLogger({ level: 'info', destination: log.stream }),
    });
    engine.pass = Promise.resolve(reports[1]!);
    await server.reload();
    await new Promise((resolve) => setImmediate(resolve));
    const lines = log.lines().filter((line) => line.reason !== undefined);
    expect(lines.map((line) => [line.msg, line.level, line.rrsets, line.milliseconds])).toEqual([
      ['store rrsets signed', 30, 6, 12],
      ['signing the store rrsets failed', 50, 2, 3],
    ]);
    expect(lines[1]!.error).toBe('disk');
    await server.close();
    expect(engine.closed).toBe(1);
  });
});

describe('drain (SIGTERM)', () => {
  it('lets an in-flight request finish, then refuses new connections', async () => {
    const { server, certificate } = await start(new FakeEngine(), { drainMs: 2000 });
    server.mount({
      path: '/slow',
      methods: ['GET'],
      handle: (_request, response) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            response.end('done');
            resolve();
          }, 200),
        ),
    });
    const session = await h2session(server.addresses.doh.port, certificate.cert);
    const pending = h2request(session, { path: '/slow' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const closing = server.close();
    const result = await pending;
    await closing;
    expect([result.status, result.body.toString()]).toEqual([200, 'done']);
    expect(Date.now() - started).toBeLessThan(1500);
    await expect(h2session(server.addresses.doh.port, certificate.cert)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await expect(
      new Promise((resolve, reject) => {
        const socket = tcpConnect(server.addresses.do53tcp!.port, '127.0.0.1', () => resolve(socket));
        socket.on('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('cuts a request that outlives the drain time', async () => {
    const { server, certificate } = await start(new FakeEngine(), { drainMs: 200 });
    server.mount({ path: '/stuck', methods: ['GET'], handle: () => new Promise<void>(() => {}) });
    const session = await h2session(server.addresses.doh.port, certificate.cert);
    session.on('error', () => {});
    const pending = h2request(session, { path: '/stuck' }).catch((err: Error) => err);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('signal handlers', () => {
  it('hangup reloads; terminate closes once and exits 0', async () => {
    const calls: string[] = [];
    const exits: number[] = [];
    const handlers = createSignalHandlers(
      {
        reload: async () => {
          calls.push('reload');
        },
        close: async () => {
          calls.push('close');
        },
      },
      createLogger({ level: 'silent' }),
      (code) => exits.push(code),
    );
    await handlers.hangup();
    await Promise.all([handlers.terminate('SIGTERM'), handlers.terminate('SIGINT')]);
    expect(calls).toEqual(['reload', 'close']);
    expect(exits).toEqual([0]);
  });

  it('exits 3 when closing fails', async () => {
    const exits: number[] = [];
    const handlers = createSignalHandlers(
      { reload: async () => {}, close: async () => Promise.reject(new Error('stuck')) },
      createLogger({ level: 'silent' }),
      (code) => exits.push(code),
    );
    await handlers.terminate('SIGTERM');
    expect(exits).toEqual([3]);
  });
});

describe('rate limits on the wire', () => {
  it('drops UDP queries over the limit and answers DoH with 429', async () => {
    const engine = new FakeEngine();
    const { server, certificate } = await start(engine, {
      pipeline: { rateLimit: { queriesPerSecond: 1, queryBurst: 2, missesPerSecond: 0 } },
    });
    const port = server.addresses.do53udp!.port;
    const query = makeQuery({ name: 'www.example.', type: 1 });
    expect(await udpQuery(port, query)).not.toBeNull();
    expect(await udpQuery(port, query)).not.toBeNull();
    expect(await udpQuery(port, query, 300)).toBeNull();
    const session = await h2session(server.addresses.doh.port, certificate.cert);
    const result = await h2request(session, { path: `/dns-query?dns=${query.toString('base64url')}` });
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('1');
    const metrics = await h2request(session, { path: '/metrics' });
    expect(metrics.body.toString()).toMatch(/mimi_rate_limited_total\{transport="udp",kind="queries"\} 1/);
    session.close();
  });
});

describe('TCP limits', () => {
  it('closes an idle connection after the idle timeout', async () => {
    const { server } = await start(new FakeEngine(), {
      do53: { listen: { host: '127.0.0.1', port: 0 }, limits: { idleTimeoutMs: 150 } },
    });
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const socket = tcpConnect(server.addresses.do53tcp!.port, '127.0.0.1');
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', reject);
    });
    expect(closedAfter).toBeGreaterThanOrEqual(100);
    expect(closedAfter).toBeLessThan(2000);
  });
});

describe('logs', () => {
  it('writes JSON lines for events and none per query at info; debug adds one per query', async () => {
    const info = collectingStream();
    const { server } = await start(new FakeEngine(), {
      logger: createLogger({ level: 'info', name: 't', destination: info.stream }),
    });
    for (let i = 0; i < 5; i++)
      await udpQuery(server.addresses.do53udp!.port, makeQuery({ name: 'www.example.', type: 1 }));
    const infoLines = info.lines();
    expect(infoLines.map((line) => line.msg)).toEqual(['listening']);
    expect(infoLines[0]).toMatchObject({ name: 't', level: 30 });

    const debug = collectingStream();
    const second = await start(new FakeEngine(), {
      logger: createLogger({ level: 'debug', destination: debug.stream }),
    });
    await udpQuery(second.server.addresses.do53udp!.port, makeQuery({ name: 'www.example.', type: 1 }));
    const queryLines = debug.lines().filter((line) => line.msg === 'query');
    expect(queryLines).toHaveLength(1);
    expect(queryLines[0]).toMatchObject({
      transport: 'udp',
      qname: 'www.example.',
      rcode: 'NOERROR',
      cache: 'miss',
    });
  });
});
