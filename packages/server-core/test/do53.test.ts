/**
 * Do53 on real sockets (RFC 1035 §4.2, RFC 7766): UDP and TCP share a port; cache hits
 * come back byte-identical but for the ID; truncation then TCP retry; malformed input
 * gets FORMERR / NOTIMP / BADVERS or silence, and the server keeps answering.
 */
import { RRType } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server.js';
import { tcpQueries, udpQuery } from './clients.js';
import { decode, header, makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine, txtRecord } from './fake-engine.js';
import { makeTestCertificate } from './tls-fixture.js';

const certificate = makeTestCertificate();
const engine = new FakeEngine();
engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')]);
engine.set(
  'big.example.',
  RRType.TXT,
  [0x61, 0x62, 0x63, 0x64, 0x65].map((fill) => txtRecord('big.example.', 250, fill)),
);
let server: RunningServer;
let port: number;

beforeAll(async () => {
  server = await startServer(
    {
      doh: {
        listen: { host: '127.0.0.1', port: 0 },
        tls: { certFile: certificate.certFile, keyFile: certificate.keyFile },
      },
      do53: { listen: { host: '127.0.0.1', port: 0 } },
      pipeline: { rateLimit: { queriesPerSecond: 0, missesPerSecond: 0 } },
    },
    engine,
  );
  port = server.addresses.do53udp!.port;
});

afterAll(async () => {
  await server.close();
  certificate.remove();
});

describe('listeners', () => {
  it('binds UDP and TCP on one loopback port', () => {
    expect(server.addresses.do53udp).toMatchObject({ address: '127.0.0.1' });
    expect(server.addresses.do53tcp?.port).toBe(port);
  });

  it('refuses a non-loopback Do53 address unless public', async () => {
    await expect(
      startServer(
        {
          doh: {
            listen: { host: '127.0.0.1', port: 0 },
            tls: { certFile: certificate.certFile, keyFile: certificate.keyFile },
          },
          do53: { listen: { host: '0.0.0.0', port: 0 } },
        },
        new FakeEngine(),
      ),
    ).rejects.toMatchObject({ code: 'do53-not-loopback' });
  });
});

describe('UDP', () => {
  it('answers, then serves the cached bytes with a new id without asking the engine', async () => {
    const first = await udpQuery(port, makeQuery({ id: 1, name: 'www.example.', type: 1, edns: {} }));
    const calls = engine.calls.length;
    const second = await udpQuery(port, makeQuery({ id: 2, name: 'www.example.', type: 1, edns: {} }));
    expect(engine.calls.length).toBe(calls);
    expect(header(first!).id).toBe(1);
    expect(header(second!).id).toBe(2);
    expect(second!.subarray(2)).toEqual(first!.subarray(2));
    expect(decode(second).answers).toHaveLength(1);
  });

  it('asks the engine again after the name changed', async () => {
    await udpQuery(port, makeQuery({ name: 'www.example.', type: 1 }));
    const calls = engine.calls.length;
    engine.emitChange(['www.example.']);
    await udpQuery(port, makeQuery({ name: 'www.example.', type: 1 }));
    expect(engine.calls.length).toBe(calls + 1);
  });

  it('truncates a large answer (TC) and the TCP retry gets all of it', async () => {
    const udp = decode(
      await udpQuery(port, makeQuery({ id: 11, name: 'big.example.', type: RRType.TXT, edns: {} })),
    );
    expect(udp.flags.tc).toBe(true);
    expect(udp.answers).toHaveLength(0);
    const [tcp] = await tcpQueries(port, [
      makeQuery({ id: 12, name: 'big.example.', type: RRType.TXT, edns: {} }),
    ]);
    const message = decode(tcp!);
    expect(message.id).toBe(12);
    expect(message.flags.tc).toBe(false);
    expect(message.answers).toHaveLength(5);
  });
});

describe('malformed input on UDP: an answer or silence, and the server stays up', () => {
  const good = () => makeQuery({ id: 0x600d, name: 'www.example.', type: 1 });
  const withBytes = (patch: (bytes: Buffer) => void) => {
    const bytes = makeQuery({ id: 0xbad, name: 'www.example.', type: 1, edns: {} });
    patch(bytes);
    return bytes;
  };

  it.each([
    ['truncated header', Buffer.from([0x0b, 0xad, 1, 0, 0, 1]), 1],
    ['qdcount 0', withBytes((b) => b.writeUInt16BE(0, 4)), 1],
    ['qdcount 2', withBytes((b) => b.writeUInt16BE(2, 4)), 1],
    [
      'compression loop in qname',
      Buffer.from([0x0b, 0xad, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1]),
      1,
    ],
    ['opcode STATUS', withBytes((b) => (b[2] = 2 << 3)), 4],
  ])('%s → rcode %i with the id echoed', async (_label, bytes, rcode) => {
    const response = await udpQuery(port, bytes);
    expect(header(response!)).toMatchObject({ id: 0xbad, qr: true, rcode });
    expect(header((await udpQuery(port, good()))!)).toMatchObject({ id: 0x600d, rcode: 0 });
  });

  it('EDNS version 1 → BADVERS', async () => {
    const response = decode(
      await udpQuery(port, makeQuery({ name: 'www.example.', type: 1, edns: { version: 1 } })),
    );
    expect(response.edns?.extendedRcode).toBe(1);
  });

  it.each([
    ['one octet', Buffer.from([7])],
    ['a response', withBytes((b) => (b[2] = 0x80))],
  ])('%s → no answer', async (_label, bytes) => {
    expect(await udpQuery(port, bytes, 300)).toBeNull();
    expect(await udpQuery(port, good())).not.toBeNull();
  });
});

describe('TCP', () => {
  it('answers several queries on one connection, in order', async () => {
    const queries = [1, 2, 3].map((id) => makeQuery({ id, name: 'www.example.', type: 1 }));
    const answers = await tcpQueries(port, queries);
    expect(answers.map((answer) => header(answer).id)).toEqual([1, 2, 3]);
  });

  it('answers a malformed message with FORMERR and keeps the connection for the next', async () => {
    const bad = makeQuery({ id: 0x0bad, name: 'www.example.', type: 1 });
    bad.writeUInt16BE(2, 4);
    const answers = await tcpQueries(port, [bad, makeQuery({ id: 5, name: 'www.example.', type: 1 })]);
    expect(header(answers[0]!)).toMatchObject({ id: 0x0bad, rcode: 1 });
    expect(header(answers[1]!)).toMatchObject({ id: 5, rcode: 0 });
  });
});
