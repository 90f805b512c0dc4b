/**
 * Plain DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message is preceded by a
 * two-octet length; a connection may carry many queries (§6.2.1 pipelining), answered
 * in order here since the pipeline is synchronous. Limits: at most `maxConnections`
 * connections, an idle timeout (§6.2.3), no message over 65,535 octets (the length
 * field's limit), and reading pauses while the peer does not read our answers.
 */
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { HostPort } from './address.js';
import { DEFAULT_TCP_IDLE_TIMEOUT_MS, DEFAULT_TCP_MAX_CONNECTIONS, MAX_TCP_MESSAGE } from './constants.js';
import type { Logger } from './logger.js';
import type { QueryPipeline } from './pipeline.js';

export interface TcpLimits {
  readonly idleTimeoutMs?: number;
  readonly maxConnections?: number;
}

export class TcpListener {
  private readonly sockets = new Set<Socket>();
  /** Sockets with a partly received message (not idle for the drain). */
  private readonly busy = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(
    listen: HostPort,
    pipeline: QueryPipeline,
    logger: Logger,
    limits: TcpLimits = {},
  ): Promise<TcpListener> {
    const server = createServer({ noDelay: true });
    const listener = new TcpListener(server);
    server.maxConnections = limits.maxConnections ?? DEFAULT_TCP_MAX_CONNECTIONS;
    const idleMs = limits.idleTimeoutMs ?? DEFAULT_TCP_IDLE_TIMEOUT_MS;
    server.on('connection', (socket) => listener.serve(socket, pipeline, logger, idleMs));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => logger.error({ err }, 'tcp listener error'));
    return listener;
  }

  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  private serve(socket: Socket, pipeline: QueryPipeline, logger: Logger, idleMs: number): void {
    this.sockets.add(socket);
    const client = socket.remoteAddress ?? '';
    const options = { transport: 'tcp', client, maxResponseSize: MAX_TCP_MESSAGE } as const;
    let pending: Buffer | null = null;
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on('error', (err) => logger.debug({ err }, 'tcp connection error'));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.busy.delete(socket);
    });
    socket.on('drain', () => socket.resume());
    socket.on('data', (chunk: Buffer) => {
      const data: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (data.length - offset >= 2) {
        const length = data.readUInt16BE(offset);
        if (data.length - offset - 2 < length) break;
        const message = data.subarray(offset + 2, offset + 2 + length);
        offset += 2 + length;
        const response = pipeline.handleQuery(message, options);
        if (response === null) {
          // Nothing can be said to a message without an ID; a peer that sends one is broken.
          if (length < 2) socket.destroy();
          continue;
        }
        const frame = Buffer.allocUnsafe(2 + response.length);
        frame.writeUInt16BE(response.length, 0);
        response.copy(frame, 2);
        if (!socket.write(frame)) socket.pause();
      }
      // Keep at most one partial message (≤ 65,537 octets); copy so the chunk can be freed.
      pending = offset < data.length ? Buffer.from(data.subarray(offset)) : null;
      if (pending === null) this.busy.delete(socket);
      else this.busy.add(socket);
      if (pending !== null && pending.length > MAX_TCP_MESSAGE + 2) socket.destroy();
    });
  }

  /** Stop accepting; close idle connections now and the rest after `drainMs`. */
  async close(drainMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) if (!this.busy.has(socket)) socket.end();
    const deadline = Date.now() + drainMs;
    while (this.busy.size > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
