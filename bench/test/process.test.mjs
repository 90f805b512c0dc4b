// The process and probe helpers, and what dnsperf really puts on the wire.
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, RRType } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryQueryFile, encodeQuery } from '../lib/data/query-file.mjs';
import { dnsperfArgs, parseDnsperfStatistics } from '../lib/dnsperf.mjs';
import { ask, freePort, waitFor } from '../lib/probe.mjs';
import { pinnedCommand, runPinned, startPinned } from '../lib/process.mjs';

const OWNER = '0.0.0.0.0.0.0.0.7.7.4.4.e164.mimi.arpa.';

/** A UDP "server" on loopback that records each query and echoes it back as a reply. */
async function recordingServer() {
  const socket = createSocket('udp4');
  const received = [];
  socket.on('message', (query, peer) => {
    received.push(Buffer.from(query));
    const reply = Buffer.from(query);
    reply[2] |= 0x84; // QR + AA
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, received, close: () => new Promise((r) => socket.close(r)) };
}

describe('process helpers', () => {
  let dir;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-process-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pins a command with taskset', () => {
    expect(pinnedCommand([0, 1], 'nsd', ['-d'])).toEqual({
      command: 'taskset',
      args: ['-c', '0,1', 'nsd', '-d'],
    });
  });

  it.each([[[]], [[-1]], [[0.5]], ['0']])('refuses cpu list %j', (cpus) => {
    expect(() => pinnedCommand(cpus, 'nsd', [])).toThrow(expect.objectContaining({ code: 'bad-cpus' }));
  });

  it('runs a tool to completion with its output in a file', async () => {
    const logFile = join(dir, 'echo.log');
    const ended = await runPinned({ cpus: [0], command: 'sh', args: ['-c', 'echo hello; exit 3'], logFile });
    expect(ended).toMatchObject({ code: 3 });
    expect(await readFile(logFile, 'utf8')).toBe('hello\n');
  });

  it('stops a running server with SIGTERM', async () => {
    const handle = await startPinned({
      cpus: [0],
      command: 'sleep',
      args: ['600'],
      logFile: join(dir, 'sleep.log'),
    });
    expect(handle.status()).toBeUndefined();
    expect(await handle.stop()).toMatchObject({ signal: 'SIGTERM' });
    expect(handle.status()).toMatchObject({ signal: 'SIGTERM' });
  });

  it('stops waiting when the server has died', async () => {
    await expect(
      waitFor(() => Promise.reject(new Error('no')), {
        timeoutMs: 60_000,
        alive: () => false,
        what: 'nsd (udp)',
      }),
    ).rejects.toMatchObject({ code: 'server-exited', message: 'nsd (udp) exited before it answered' });
  });

  it('finds distinct free high ports', async () => {
    const taken = new Set();
    const a = await freePort(taken);
    const b = await freePort(taken);
    expect(a).not.toBe(b);
    for (const port of [a, b]) expect(port).toBeGreaterThanOrEqual(20_000);
  });
});

describe('on the wire', () => {
  let server;
  let dir;
  beforeAll(async () => {
    server = await recordingServer();
    dir = await mkdtemp(join(tmpdir(), 'bench-wire-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ask() sends our query and reads the reply', async () => {
    const reply = await ask('udp', server.port, { name: OWNER, type: RRType.NAPTR });
    expect(reply).toMatchObject({ rcode: 0, aa: true, answers: 0, bytes: 67 });
    expect(server.received.at(-1)).toEqual(
      Buffer.from(encodeQuery({ name: OWNER, type: RRType.NAPTR }, 0x4d49)),
    );
  });

  it('dnsperf -B sends the file’s queries unchanged but for the id', async () => {
    const questions = [
      { name: OWNER, type: RRType.MSPMAP },
      { name: OWNER, type: RRType.NAPTR },
      { name: `5.${OWNER}`, type: RRType.TXT },
    ];
    const queryFile = join(dir, 'q.bin');
    await writeFile(queryFile, binaryQueryFile(questions));
    const before = server.received.length;
    const logFile = join(dir, 'dnsperf.log');
    const args = dnsperfArgs({
      transport: 'udp',
      port: server.port,
      queryFile,
      durationSeconds: 30,
      passes: 1,
      clients: 1,
      outstanding: 1,
    });
    const ended = await runPinned({ cpus: [0], command: 'dnsperf', args, logFile });
    expect(ended.code).toBe(0);
    expect(parseDnsperfStatistics(await readFile(logFile, 'utf8'))).toMatchObject({ sent: 3, completed: 3 });
    const sent = server.received.slice(before);
    expect(sent.map((m) => m.subarray(2).toString('hex'))).toEqual(
      questions.map((q) => Buffer.from(encodeQuery(q)).subarray(2).toString('hex')),
    );
    expect(decodeMessage(sent[0]).edns).toMatchObject({ udpPayloadSize: 1232, do: true });
  });
});
