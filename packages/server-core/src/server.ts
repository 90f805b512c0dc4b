/**
 * `startServer`: one query pipeline behind the DoH listener (always) and the Do53 UDP
 * and TCP listeners (only with `do53`; DESIGN §7), plus reload and drain. Both servers
 * (mimi-root, mimi-authoritative) are this plus their engine and their extra routes.
 *
 * Do53 UDP and TCP share one port (operators and `network.json` name one ADDR:PORT);
 * with port 0 the TCP port is chosen first and UDP binds the same number, retrying on
 * the rare collision.
 */
import type { AddressInfo } from 'node:net';
import { checkDo53Address, formatHostPort, type HostPort } from './address.js';
import { DEFAULT_DRAIN_MS, DOH_PATH } from './constants.js';
import { type TcpLimits, TcpListener } from './do53-tcp.js';
import { UdpListener } from './do53-udp.js';
import { dohRoute, healthRoute, metricsRoute } from './doh-routes.js';
import type { QueryEngine } from './engine.js';
import { type HttpsLimits, HttpsListener, type HttpsRoute } from './https-listener.js';
import { type Logger, silentLogger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { type PipelineOptions, QueryPipeline } from './pipeline.js';
import { loadTlsMaterial, type TlsFiles } from './tls-files.js';

export interface ServerOptions {
  /** HTTPS (DoH) listener; its TLS files are re-read on reload. */
  readonly doh: { readonly listen: HostPort; readonly tls: TlsFiles; readonly limits?: HttpsLimits };
  /** Plain DNS on UDP and TCP; refused off loopback unless `public`. */
  readonly do53?: {
    readonly listen: HostPort;
    readonly public?: boolean;
    readonly limits?: TcpLimits;
  } | null;
  readonly logger?: Logger;
  readonly metrics?: ServerMetrics;
  /** Cache size, rate limits, hooks, clock. */
  readonly pipeline?: Omit<PipelineOptions, 'metrics' | 'logger'>;
  /** Extra HTTPS routes (management API, ODoH configs). */
  readonly routes?: readonly HttpsRoute[];
  /** Routes that answer through the pipeline (the ODoH target), mounted before the listening line. */
  readonly pipelineRoutes?: readonly ((pipeline: QueryPipeline) => HttpsRoute)[];
  /** How long SIGTERM waits for in-flight requests. */
  readonly drainMs?: number;
}

export interface ServerAddresses {
  readonly doh: AddressInfo;
  readonly do53udp: AddressInfo | null;
  readonly do53tcp: AddressInfo | null;
}

export interface RunningServer {
  readonly addresses: ServerAddresses;
  readonly pipeline: QueryPipeline;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** Add an HTTPS route on the DoH listener. */
  mount(route: HttpsRoute): void;
  /** SIGHUP: engine.reload(), new TLS certificate/key, empty answer cache. */
  reload(): Promise<void>;
  /** SIGTERM: stop accepting, drain in-flight requests, close. */
  close(): Promise<void>;
}

/** Attempts at finding a port free for both UDP and TCP when port 0 was asked for. */
const SHARED_PORT_ATTEMPTS = 8;

export async function startServer(options: ServerOptions, engine: QueryEngine): Promise<RunningServer> {
  const logger = options.logger ?? silentLogger();
  const metrics = options.metrics ?? new ServerMetrics();
  if (options.do53) checkDo53Address(options.do53.listen, options.do53.public ?? false);
  const tls = await loadTlsMaterial(options.doh.tls);
  const pipeline = new QueryPipeline(engine, { ...(options.pipeline ?? {}), metrics, logger });
  const https = await HttpsListener.start(
    { listen: options.doh.listen, tls, logger, metrics, limits: options.doh.limits },
    [dohRoute(pipeline), healthRoute(), metricsRoute(metrics)],
  );
  for (const route of options.routes ?? []) https.mount(route);
  for (const makeRoute of options.pipelineRoutes ?? []) https.mount(makeRoute(pipeline));

  let udp: UdpListener | null = null;
  let tcp: TcpListener | null = null;
  try {
    if (options.do53) [udp, tcp] = await bindDo53(options.do53.listen, pipeline, logger, options.do53.limits);
  } catch (err) {
    await https.close(0);
    throw err;
  }
  const addresses: ServerAddresses = {
    doh: https.address(),
    do53udp: udp?.address() ?? null,
    do53tcp: tcp?.address() ?? null,
  };
  // The one start-up line scripts read to learn ports chosen with port 0 (the demo does).
  logger.info(
    {
      doh: `https://${formatHostPort({ host: addresses.doh.address, port: addresses.doh.port })}${DOH_PATH}`,
      do53:
        addresses.do53tcp === null
          ? null
          : formatHostPort({ host: addresses.do53tcp.address, port: addresses.do53tcp.port }),
      zones: engine.zones(),
    },
    'listening',
  );

  logSigningPass(engine, logger);

  let closing: Promise<void> | null = null;
  return {
    addresses,
    pipeline,
    metrics,
    logger,
    mount: (route) => https.mount(route),
    async reload() {
      try {
        await engine.reload();
        pipeline.afterReload();
        logger.info({ zones: engine.zones() }, 'zones reloaded');
        logSigningPass(engine, logger);
      } catch (err) {
        logger.error({ err }, 'zone reload failed; still serving the previous data');
      }
      try {
        https.setTls(await loadTlsMaterial(options.doh.tls));
        logger.info({ cert: options.doh.tls.certFile }, 'tls certificate reloaded');
      } catch (err) {
        logger.error({ err }, 'tls reload failed; still using the previous certificate');
      }
    },
    close() {
      closing ??= (async () => {
        const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
        logger.info({ drainMs }, 'draining');
        engine.close?.();
        await Promise.all([https.close(drainMs), udp?.close(), tcp?.close(drainMs)]);
        logger.info('stopped');
      })();
      return closing;
    },
  };
}

/**
 * One line when the engine's background signing pass (the store's RRsets, DESIGN §5
 * "signed when loaded") ends: how many RRsets, how many signatures, how long.
 */
function logSigningPass(engine: QueryEngine, logger: Logger): void {
  const pass = engine.signingPass?.();
  if (pass === undefined) return;
  void pass.then((report) => {
    if (report.outcome === 'complete') logger.info(report, 'store rrsets signed');
    else if (report.outcome === 'failed') logger.error(report, 'signing the store rrsets failed');
    else logger.debug(report, 'store signing pass stopped');
  });
}

async function bindDo53(
  listen: HostPort,
  pipeline: QueryPipeline,
  logger: Logger,
  limits: TcpLimits | undefined,
): Promise<[UdpListener, TcpListener]> {
  for (let attempt = 1; ; attempt++) {
    const tcp = await TcpListener.start(listen, pipeline, logger, limits);
    try {
      const udp = await UdpListener.start({ host: listen.host, port: tcp.address().port }, pipeline, logger);
      return [udp, tcp];
    } catch (err) {
      await tcp.close(0);
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (listen.port !== 0 || !inUse || attempt >= SHARED_PORT_ATTEMPTS) throw err;
    }
  }
}
