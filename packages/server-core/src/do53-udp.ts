/**
 * Plain DNS over UDP (RFC 1035 §4.2.1), only when asked for (DESIGN §7 `--do53`). Each
 * datagram is one query; the pipeline answers synchronously, so the handler allocates
 * nothing beyond the response. Responses above the query's UDP limit come back
 * truncated with TC set (truncate.ts) and the client retries over TCP.
 */
import { createSocket, type Socket } from 'node:dgram';
import { type AddressInfo, isIP } from 'node:net';
import type { HostPort } from './address.js';
import { MAX_UDP_PAYLOAD } from './constants.js';
import type { Logger } from './logger.js';
import type { HandleOptions, QueryPipeline } from './pipeline.js';

/** Socket buffers large enough for bursts (the kernel caps them at its own maximum). */
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/** A node:dgram `lookup` that takes the address as it is (see `start`). */
type Lookup = (
  address: string,
  family: unknown,
  callback: (err: Error | null, address: string, family: number) => void,
) => void;

export class UdpListener {
  private constructor(private readonly socket: Socket) {}

  static async start(listen: HostPort, pipeline: QueryPipeline, logger: Logger): Promise<UdpListener> {
    const family = isIP(listen.host) === 6 ? 6 : 4;
    // Replies go to the address a datagram came from, always an IP literal of the
    // socket's family: no resolution, and no deferral to the next tick (node:dgram's
    // default lookup defers every send).
    const literalAddress: Lookup = (address, _family, callback) => callback(null, address, family);
    const socket = createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      recvBufferSize: SOCKET_BUFFER_BYTES,
      sendBufferSize: SOCKET_BUFFER_BYTES,
      lookup: literalAddress,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(listen.port, listen.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // Replies are sent without a callback, which lets libuv send at once (uv_udp_try_send)
    // instead of queueing a request per datagram; a failed send comes here instead, and
    // stays at debug: a forged source address must not fill the log.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.syscall === 'send') logger.debug({ err }, 'udp send failed');
      else logger.error({ err }, 'udp listener error');
    });
    const options: { -readonly [K in keyof HandleOptions]: HandleOptions[K] } = {
      transport: 'udp',
      client: '',
      maxResponseSize: MAX_UDP_PAYLOAD,
    };
    socket.on('message', (message, remote) => {
      options.client = remote.address;
      const response = pipeline.handleQuery(message, options);
      if (response !== null) socket.send(response, remote.port, remote.address);
    });
    return new UdpListener(socket);
  }

  address(): AddressInfo {
    return this.socket.address();
  }

  /** UDP has nothing in flight between datagrams: closing is immediate. */
  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
