/**
 * Asking a server under test one question: over UDP (RFC 1035 §4.2.1) or DoH (RFC 8484
 * §4.1, POST over HTTP/2 with TLS), on loopback. Used to wait until a server answers
 * and to record what each server answers to each kind of query in the mix.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:http2';
import { createServer } from 'node:net';
import { decodeMessage } from '@mimi/protocol';
import { encodeQuery } from './data/query-file.mjs';
import { BenchError } from './errors.mjs';

/** RFC 8484 §6: "application/dns-message". */
const DNS_MESSAGE = 'application/dns-message';

/** Send `message` to 127.0.0.1:port over UDP; resolves with the reply bytes. */
export function udpExchange(port, message, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new BenchError('timeout', `no udp answer from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(new Uint8Array(reply));
    });
    socket.once('error', (cause) => {
      clearTimeout(timer);
      socket.close();
      reject(new BenchError('udp-error', `udp to 127.0.0.1:${port}: ${cause.message}`, { cause }));
    });
    socket.send(message, port, '127.0.0.1');
  });
}

/** POST `message` to https://127.0.0.1:port<path> (HTTP/2), trusting `ca` (PEM). */
export function dohExchange(port, message, { ca, path = '/dns-query', timeoutMs = 2000 }) {
  return new Promise((resolve, reject) => {
    const session = connect(`https://127.0.0.1:${port}`, { ca });
    const fail = (cause) => {
      session.destroy();
      reject(new BenchError('doh-error', `doh to 127.0.0.1:${port}${path}: ${cause.message}`, { cause }));
    };
    const timer = setTimeout(
      () => fail(new BenchError('timeout', `no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    session.once('error', (cause) => {
      clearTimeout(timer);
      fail(cause);
    });
    const request = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': DNS_MESSAGE,
      'content-length': message.length,
      accept: DNS_MESSAGE,
    });
    const chunks = [];
    let status = 0;
    request.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    request.on('data', (chunk) => chunks.push(chunk));
    request.once('error', (cause) => {
      clearTimeout(timer);
      fail(cause);
    });
    request.once('end', () => {
      clearTimeout(timer);
      session.close();
      if (status !== 200)
        reject(new BenchError('doh-status', `doh to 127.0.0.1:${port}${path} got http ${status}`));
      else resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    request.end(message);
  });
}

/** Ask `{name, type}` and summarise the reply: rcode, section sizes, message length. */
export async function ask(transport, port, question, options = {}) {
  const id = 0x4d49;
  const query = encodeQuery(question, id);
  const reply =
    transport === 'doh' ? await dohExchange(port, query, options) : await udpExchange(port, query);
  const message = decodeMessage(reply);
  if (transport === 'udp' && message.id !== id) {
    throw new BenchError('bad-reply', `reply id ${message.id} does not match query id ${id}`);
  }
  return {
    rcode: message.flags.rcode,
    aa: message.flags.aa,
    tc: message.flags.tc,
    answers: message.answers.length,
    authorities: message.authorities.length,
    answerTypes: [...new Set(message.answers.map((rr) => rr.type))].sort((a, b) => a - b),
    bytes: reply.length,
    message,
  };
}

/**
 * Call `attempt` until it resolves or `timeoutMs` passes; `alive()` returning false ends
 * the wait early (the server died). Resolves with the first success.
 */
export async function waitFor(attempt, { timeoutMs, intervalMs = 200, alive = () => true, what }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (!alive()) throw new BenchError('server-exited', `${what} exited before it answered`);
    try {
      return await attempt();
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new BenchError('not-ready', `${what} did not answer within ${timeoutMs / 1000} s: ${last?.message}`, {
    cause: last,
  });
}

function tcpPortFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpPortFree(port) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind({ address: '127.0.0.1', port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** First port from a random start in [20000, 60000) free for both TCP and UDP on 127.0.0.1. */
export async function freePort(taken = new Set()) {
  const start = 20_000 + Math.floor(Math.random() * 40_000);
  for (let offset = 0; offset < 40_000; offset++) {
    const port = 20_000 + ((start - 20_000 + offset) % 40_000);
    if (taken.has(port)) continue;
    if ((await tcpPortFree(port)) && (await udpPortFree(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new BenchError('no-port', 'no free port on 127.0.0.1 between 20000 and 60000');
}
