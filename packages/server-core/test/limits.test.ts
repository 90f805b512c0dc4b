/**
 * Connection limits on real sockets: HTTPS sessions (maxSessions, idle timeout, slow
 * request → 408) and Do53 TCP connections (maxConnections).
 */
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { RRType } from '@mimi/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { TcpLimits } from '../src/do53-tcp.js';
import type { HttpsLimits } from '../src/https-listener.js';
import { type RunningServer, startServer } from '../src/server.js';
import { h2session, tcpQueries } from './clients.js';
import { header, makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine } from './fake-engine.js';
import { makeTestCertificate, type TestCertificate } from './tls-fixture.js';

const running: RunningServer[] = [];
const certificates: TestCertificate[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  for (const certificate of certificates.splice(0)) certificate.remove();
});

async function start(https: HttpsLimits, tcp: TcpLimits = {}) {
  const certificate = makeTestCertificate();
  certificates.push(certificate);
  const engine = new FakeEngine();
  engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')]);
  const server = await startServer(
    {
      doh: {
        listen: { host: '127.0.0.1', port: 0 },
        tls: { certFile: certificate.certFile, keyFile: certificate.keyFile },
        limits: https,
      },
      do53: { listen: { host: '127.0.0.1', port: 0 }, limits: tcp },
      drainMs: 100,
    },
    engine,
  );
  running.push(server);
  return { server, certificate };
}

/** Milliseconds until the server closes a fresh TLS connection, or -1 if it is still open after `waitMs`. */
function tlsLifetime(port: number, ca: Buffer, waitMs: number): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, ALPNProtocols: ['h2'] });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(-1);
    }, waitMs);
    socket.on('error', () => {});
    socket.resume(); // flowing, so the end of the stream is seen
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

describe('HTTPS listener limits', () => {
  it('closes a session that stays idle past the idle timeout', async () => {
    const { server, certificate } = await start({ idleTimeoutMs: 200 });
    const lifetime = await tlsLifetime(server.addresses.doh.port, certificate.cert, 3000);
    expect(lifetime).toBeGreaterThanOrEqual(150);
    expect(lifetime).toBeLessThan(3000);
  });

  it('refuses connections beyond maxSessions', async () => {
    const { server, certificate } = await start({ maxSessions: 1 });
    const first = await h2session(server.addresses.doh.port, certificate.cert);
    const second = await tlsLifetime(server.addresses.doh.port, certificate.cert, 1000);
    expect(second).toBeGreaterThanOrEqual(0); // closed by the server
    expect(second).toBeLessThan(1000);
    expect(first.closed).toBe(false);
    first.close();
  });

  it('answers 408 to a request body that does not arrive in time', async () => {
    const { server, certificate } = await start({ requestTimeoutMs: 150 });
    const session = await h2session(server.addresses.doh.port, certificate.cert);
    const status = await new Promise<number>((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/dns-query',
        'content-type': 'application/dns-message',
      });
      stream.write(Buffer.from([0, 1])); // and never finish
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', reject);
    });
    expect(status).toBe(408);
    session.close();
  });
});

describe('Do53 TCP limits', () => {
  it('serves at most maxConnections connections at once', async () => {
    const { server } = await start({}, { maxConnections: 1 });
    const port = server.addresses.do53tcp!.port;
    const query = makeQuery({ id: 1, name: 'www.example.', type: 1 });
    const holder = connect(port, '127.0.0.1');
    await new Promise((resolve) => holder.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(tcpQueries(port, [query])).rejects.toThrow();
    holder.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [answer] = await tcpQueries(port, [query]);
    expect(header(answer!).id).toBe(1);
  });
});
