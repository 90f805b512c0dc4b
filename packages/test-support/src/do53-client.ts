/**
 * A plain DNS client over UDP for integration tests (RFC 1035 §4.2.1): one datagram
 * to `HOST:PORT`, the first answer back, or null after a timeout.
 */
import { createSocket } from 'node:dgram';

export function udpExchange(address: string, query: Uint8Array, timeoutMs = 3000): Promise<Buffer | null> {
  const cut = address.lastIndexOf(':');
  const host = address.slice(0, cut).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(cut + 1));
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, timeoutMs);
    socket.once('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.send(query, port, host);
  });
}
