/**
 * Prometheus metrics (prom-client, text format 0.0.4) served at `GET /metrics`
 * (DESIGN §7). Per-query recording is on the hot path, where prom-client's label
 * hashing would cost more than a whole cache hit: query counts and cache hits/misses
 * are plain numbers that prom-client's `collect` hooks read on scrape, and latency goes
 * to a fixed-bucket histogram (latency-histogram.ts). qtype labels are limited to the
 * mnemonics we know (anything else is `other`) so no client can grow the series count.
 */
import { RRType, typeToString } from '@mimi/protocol';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { LatencyHistogram } from './latency-histogram.js';
import { rcodeName } from './rcode.js';

/** `odoh`: a query that arrived inside an Oblivious DoH message (RFC 9230) through a relay. */
export type Transport = 'udp' | 'tcp' | 'doh' | 'odoh';
const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'doh', 'odoh'];

/** What the query engine (authority) may count; the server passes this to it. */
export interface EngineMetrics {
  /** An RRSIG was served from the signature cache instead of being made. */
  signatureCacheHit(): void;
  /** An RRSIG had to be made (new data, denial of a new name, refresh). */
  signatureCacheMiss(): void;
}

/** Gauges read on scrape (answer-cache size...). */
export interface MetricsSources {
  answerCacheEntries(): number;
  answerCacheBytes(): number;
}

const KNOWN_QTYPES = new Set<number>(Object.values(RRType));
/** Latency buckets in seconds: a cache hit takes microseconds, a signing miss about 0.1 ms. */
const LATENCY_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.1];

/** A query count not yet handed to prom-client. */
interface QueryCell {
  count: number;
  reported: number;
  readonly labels: readonly [Transport, string, string];
}

export class ServerMetrics implements EngineMetrics {
  readonly registry = new Registry();
  private readonly queryCells = new Map<number, QueryCell>();
  private readonly latency: LatencyHistogram;
  private hits = 0;
  private misses = 0;
  private signatureHits = 0;
  private signatureMisses = 0;
  private readonly rateLimited: Counter<'transport' | 'kind'>;
  /** HTTP responses by status, handed to prom-client on scrape (like query counts). */
  private readonly httpStatuses = new Map<number, { count: number; reported: number }>();
  private sources: MetricsSources | null = null;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const self = this;
    new Counter({
      name: 'mimi_dns_queries_total',
      help: 'DNS queries answered, by transport, qtype and response code',
      labelNames: ['transport', 'qtype', 'rcode'],
      registers,
      collect() {
        for (const cell of self.queryCells.values()) {
          if (cell.count === cell.reported) continue;
          this.labels(...cell.labels).inc(cell.count - cell.reported);
          cell.reported = cell.count;
        }
      },
    });
    this.latency = new LatencyHistogram(
      'mimi_dns_query_duration_seconds',
      'Time from query bytes in to response bytes out',
      LATENCY_BUCKETS,
      'transport',
      TRANSPORTS,
    );
    this.registry.registerMetric(this.latency.asMetric());
    const plainCounter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    plainCounter('mimi_answer_cache_hits_total', 'Answer-cache hits', () => self.hits);
    plainCounter(
      'mimi_answer_cache_misses_total',
      'Answer-cache misses (the query engine was asked)',
      () => self.misses,
    );
    plainCounter(
      'mimi_signature_cache_hits_total',
      'RRSIGs served from the signature cache',
      () => self.signatureHits,
    );
    plainCounter(
      'mimi_signature_cache_misses_total',
      'RRSIGs made online (not in the signature cache)',
      () => self.signatureMisses,
    );
    this.rateLimited = new Counter({
      name: 'mimi_rate_limited_total',
      help: 'Queries dropped by a per-client rate limit, by transport and limit (queries or misses)',
      labelNames: ['transport', 'kind'],
      registers,
    });
    new Counter({
      name: 'mimi_http_responses_total',
      help: 'HTTPS responses by status code',
      labelNames: ['status'],
      registers,
      collect() {
        for (const [status, cell] of self.httpStatuses) {
          if (cell.count === cell.reported) continue;
          this.labels(String(status)).inc(cell.count - cell.reported);
          cell.reported = cell.count;
        }
      },
    });
    new Gauge({
      name: 'mimi_answer_cache_entries',
      help: 'Entries in the answer cache',
      registers,
      collect() {
        this.set(self.sources?.answerCacheEntries() ?? 0);
      },
    });
    new Gauge({
      name: 'mimi_answer_cache_bytes',
      help: 'Approximate bytes held by the answer cache',
      registers,
      collect() {
        this.set(self.sources?.answerCacheBytes() ?? 0);
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'mimi_' });
  }

  /** Connect scrape-time gauges to the pipeline's cache. */
  setSources(sources: MetricsSources): void {
    this.sources = sources;
  }

  recordQuery(transport: Transport, qtype: number, rcode: number, seconds: number): void {
    const transportIndex = transportIndexOf(transport);
    const qtypeKey = KNOWN_QTYPES.has(qtype) ? qtype : -1;
    const key = ((qtypeKey + 1) * 4096 + (rcode & 0xfff)) * 4 + transportIndex;
    const cell = this.queryCells.get(key);
    if (cell !== undefined) cell.count++;
    else this.countQuery(key, transport, qtypeKey < 0 ? 'other' : typeToString(qtype), rcode);
    this.latency.observe(transportIndex, seconds);
  }

  /** A query that never got a parseable question (FORMERR, NOTIMP before the question). */
  recordUnparsed(transport: Transport, rcode: number, seconds: number): void {
    const transportIndex = transportIndexOf(transport);
    // Negative keys: "no question", apart from every (qtype, rcode) pair.
    this.countQuery(-1 - ((rcode & 0xfff) * 4 + transportIndex), transport, 'none', rcode);
    this.latency.observe(transportIndex, seconds);
  }

  answerCacheHit(): void {
    this.hits++;
  }

  answerCacheMiss(): void {
    this.misses++;
  }

  signatureCacheHit(): void {
    this.signatureHits++;
  }

  signatureCacheMiss(): void {
    this.signatureMisses++;
  }

  rateLimitedDrop(transport: Transport, kind: 'queries' | 'misses'): void {
    this.rateLimited.labels(transport, kind).inc();
  }

  httpResponse(status: number): void {
    const cell = this.httpStatuses.get(status);
    if (cell !== undefined) cell.count++;
    else this.httpStatuses.set(status, { count: 1, reported: 0 });
  }

  /** The exposition text and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private countQuery(key: number, transport: Transport, qtype: string, rcode: number): void {
    const cell = this.queryCells.get(key);
    if (cell !== undefined) cell.count++;
    else this.queryCells.set(key, { count: 1, reported: 0, labels: [transport, qtype, rcodeName(rcode)] });
  }
}

function transportIndexOf(transport: Transport): number {
  // The index into TRANSPORTS (query-count keys leave room for four).
  return transport === 'udp' ? 0 : transport === 'tcp' ? 1 : transport === 'doh' ? 2 : 3;
}
