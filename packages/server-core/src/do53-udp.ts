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

export class UdpListener {
  private constructor(private readonly socket: Socket) {}

  static async start(listen: HostPort, pipeline: QueryPipeline, logger: Logger): Promise<UdpListener> {
    const socket = createSocket({
      type: isIP(listen.host) === 6 ? 'udp6' : 'udp4',
      recvBufferSize: SOCKET_BUFFER_BYTES,
      sendBufferSize: SOCKET_BUFFER_BYTES,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(listen.port, listen.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (err) => logger.error({ err }, 'udp listener error'));
    const options: { -readonly [K in keyof HandleOptions]: HandleOptions[K] } = {
      transport: 'udp',
      client: '',
      maxResponseSize: MAX_UDP_PAYLOAD,
    };
    socket.on('message', (message, remote) => {
      options.client = remote.address;
      const response = pipeline.handleQuery(message, options);
      if (response !== null) socket.send(response, remote.port, remote.address, onSent);
    });
    function onSent(err: Error | null): void {
      if (err) logger.debug({ err }, 'udp send failed');
    }
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
