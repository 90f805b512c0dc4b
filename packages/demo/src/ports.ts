/**
 * Loopback ports for a server's listeners, chosen before it starts so that its command
 * line names them (a server started again with the same arguments comes back on the same
 * addresses): the ones an earlier start used when they are still free, so that URLs people
 * copied keep working, else fresh ones from the kernel. Another process may take a port
 * between this check and the server's bind; the server then exits with EADDRINUSE and the
 * caller picks again (server-launch.ts), and the `listening` line is what counts.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { DemoError } from './errors.js';
import type { NetworkLayout } from './layout.js';
import { readNetworkFile } from './network-files.js';
import type { DemoPaths } from './state.js';

const KERNEL_PICK_ATTEMPTS = 20;

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

/** A port free for TCP (and for UDP too when `udp`) and not in `taken`, preferring `previous`. */
export async function pickPort(
  previous: number | undefined,
  udp: boolean,
  taken: Set<number>,
): Promise<number> {
  const usable = async (port: number) =>
    !taken.has(port) && (await tcpFree(port)) && (!udp || (await udpFree(port)));
  if (previous !== undefined && previous > 0 && (await usable(previous))) {
    taken.add(previous);
    return previous;
  }
  for (let attempt = 0; attempt < KERNEL_PICK_ATTEMPTS; attempt++) {
    const port = await kernelPort();
    if (await usable(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new DemoError('no-free-port', 'no free loopback port found');
}

const portOf = (url: string | null | undefined) => (url ? Number(new URL(url).port) : undefined);

/** A server's two listeners (server-launch.ts). */
export interface ServerPorts {
  readonly doh: number;
  readonly do53: number;
}

export interface PlannedPorts {
  readonly servers: Map<string, ServerPorts>;
  /** 0 without the privacy layer. */
  readonly relay: number;
  readonly issuer: number;
}

/** Ports of every process: the previous start's when free (readNetworkFile), else fresh. */
export async function planPorts(
  layout: NetworkLayout,
  paths: DemoPaths,
  taken: Set<number>,
): Promise<PlannedPorts> {
  const previous = await readNetworkFile(paths.networkJson);
  const servers = new Map<string, ServerPorts>();
  for (const server of layout.servers) {
    const before = previous?.servers?.find((entry) => entry.name === server.name);
    const oldDo53 = before?.do53 ? Number(before.do53.slice(before.do53.lastIndexOf(':') + 1)) : undefined;
    servers.set(server.name, {
      doh: await pickPort(portOf(before?.doh), false, taken),
      do53: await pickPort(oldDo53, true, taken),
    });
  }
  if (layout.privacy === undefined) return { servers, relay: 0, issuer: 0 };
  const relay = await pickPort(portOf(previous?.relay), false, taken);
  return { servers, relay, issuer: await pickPort(portOf(previous?.issuer), false, taken) };
}
