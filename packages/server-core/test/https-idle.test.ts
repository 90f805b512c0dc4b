/**
 * The HTTPS listener's idle timeout on HTTP/2 (https-listener.ts, RFC 9113 §6.8): a
 * connection that carries frames stays up however long it lives; one that carries none
 * for the idle timeout gets a GOAWAY (NO_ERROR) and closes; a stream in flight when that
 * GOAWAY goes out still gets its answer. The first case failed while the timeout sat on
 * the TLS socket, which node:http2 reads natively: the socket's timer never saw the
 * traffic and cut busy connections (and the relay's requests on them) idle + 1 s after
 * they opened.
 */
import type { ClientHttp2Session } from 'node:http2';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsListener, type HttpsRoute } from '../src/https-listener.js';
import { createLogger } from '../src/logger.js';
import { ServerMetrics } from '../src/metrics.js';
import { loadTlsMaterial } from '../src/tls-files.js';
import { h2request, h2session } from './clients.js';
import { makeTestCertificate } from './tls-fixture.js';

const IDLE_MS = 150;
/** Longer than the old cut (idle + 1 s grace), so a socket-timed connection would not last it. */
const BUSY_MS = IDLE_MS + 1000 + 400;

const certificate = makeTestCertificate();
const waiting: (() => void)[] = [];
let listener: HttpsListener;
let port: number;

/** `/ping` answers at once; `/later` when the test releases it. */
const routes: HttpsRoute[] = [
  {
    path: '/ping',
    methods: ['GET'],
    handle: (_request, response) => void response.end('pong'),
    stream: () => ({ headers: { ':status': 200 }, body: 'pong' }),
  },
  {
    path: '/later',
    methods: ['GET'],
    handle: (_request, response) => void response.end('late'),
    stream: () =>
      new Promise((resolve) => waiting.push(() => resolve({ headers: { ':status': 200 }, body: 'late' }))),
  },
];

beforeAll(async () => {
  listener = await HttpsListener.start(
    {
      listen: { host: '127.0.0.1', port: 0 },
      tls: await loadTlsMaterial({ certFile: certificate.certFile, keyFile: certificate.keyFile }),
      logger: createLogger({
        level: 'silent',
        destination: new Writable({ write: (_c, _e, done) => done() }),
      }),
      metrics: new ServerMetrics({ processMetrics: false }),
      limits: { idleTimeoutMs: IDLE_MS },
    },
    routes,
  );
  port = listener.address().port;
});

afterAll(async () => {
  await listener.close(100);
  certificate.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the GOAWAY's error code, or with 'closed' when the session closes without one. */
function goawayOrClose(session: ClientHttp2Session): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    session.once('goaway', (code: number) => resolve(code));
    session.once('close', () => resolve('closed'));
    session.on('error', () => {});
  });
}

describe('HTTP/2 idle timeout', () => {
  it('a connection busy for longer than idle + grace is neither sent GOAWAY nor cut', async () => {
    const session = await h2session(port, certificate.cert);
    let ended: number | 'closed' | undefined;
    void goawayOrClose(session).then((how) => {
      ended = how;
    });
    const started = performance.now();
    let answered = 0;
    while (performance.now() - started < BUSY_MS) {
      const result = await h2request(session, { path: '/ping' });
      expect(result.status).toBe(200);
      answered++;
      await sleep(IDLE_MS / 5);
    }
    expect(answered).toBeGreaterThan(10);
    expect(ended).toBeUndefined();
    expect(session.closed || session.destroyed).toBe(false);
    session.close();
  });

  it('an idle connection gets GOAWAY with NO_ERROR, then closes', async () => {
    const session = await h2session(port, certificate.cert);
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    expect(await goawayOrClose(session)).toBe(0);
    await closed;
    expect(session.destroyed).toBe(true);
  });

  it('a stream in flight when the idle GOAWAY goes out still gets its answer', async () => {
    const session = await h2session(port, certificate.cert);
    const answer = h2request(session, { path: '/later' });
    expect(await goawayOrClose(session)).toBe(0);
    for (const release of waiting.splice(0)) release();
    const result = await answer;
    expect(result.status).toBe(200);
    expect(result.body.toString()).toBe('late');
  });
});
