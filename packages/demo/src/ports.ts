/**
 * Loopback ports for the demo's listeners: the ones the last start used when they are
 * still free (so URLs people copied keep working), else fresh ones from the kernel.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { DemoError } from './errors.js';

async function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

async function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A port free for TCP (and for UDP too when `udp`), preferring `previous`. */
export async function pickPort(previous: number | undefined, udp: boolean, taken: Set<number>): Promise<number> {
  const usable = async (port: number) =>
    !taken.has(port) && (await tcpFree(port)) && (!udp || (await udpFree(port)));
  if (previous && (await usable(previous))) {
    taken.add(previous);
    return previous;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await kernelPort();
    if (await usable(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new DemoError('no-free-port', 'no free loopback port found');
}
