// Ports chosen before a server starts: the previous one when still free, else a fresh one,
// never one already handed out in this network.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { pickPort } from '../src/ports.js';

const held: (Server | Socket)[] = [];
afterAll(() => {
  for (const handle of held) handle.close();
});

async function holdTcp(port = 0): Promise<number> {
  const server = createServer();
  held.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function holdUdp(port: number): Promise<void> {
  const socket = createSocket('udp4');
  held.push(socket);
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
}

/** A port free right now (bound once, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('pickPort', () => {
  it('re-uses the previous port when it is free, and records it as taken', async () => {
    const previous = await freePort();
    const taken = new Set<number>();
    expect(await pickPort(previous, true, taken)).toBe(previous);
    expect([...taken]).toEqual([previous]);
  });

  it('picks another when the previous port is bound over TCP', async () => {
    const busy = await holdTcp();
    const port = await pickPort(busy, false, new Set());
    expect(port).not.toBe(busy);
    expect(port).toBeGreaterThan(0);
  });

  it('checks UDP only when asked to (Do53 shares one port for both)', async () => {
    const port = await freePort();
    await holdUdp(port);
    expect(await pickPort(port, false, new Set())).toBe(port);
    expect(await pickPort(port, true, new Set())).not.toBe(port);
  });

  it('never hands out a port twice within one network', async () => {
    const previous = await freePort();
    const taken = new Set<number>([previous]);
    const port = await pickPort(previous, false, taken);
    expect(port).not.toBe(previous);
    expect(taken.has(port)).toBe(true);
  });

  it.each([[undefined], [0]])('asks the kernel when there is no previous port (%s)', async (previous) => {
    expect(await pickPort(previous, true, new Set())).toBeGreaterThan(0);
  });
});
