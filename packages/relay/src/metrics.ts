/**
 * Prometheus metrics of the relay (`GET /metrics`), in a registry of its own so two
 * relays in one process (tests) do not collide. Labels name outcomes and targets,
 * never clients.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class RelayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'mimi_relay_requests_total',
    help: 'Requests to /proxy by outcome code (forwarded, or the refusal code).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly upstream = new Histogram({
    name: 'mimi_relay_upstream_seconds',
    help: 'Time from forwarding to the full upstream answer, by target.',
    labelNames: ['target'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'mimi_relay_upstream_retries_total',
    help: 'Requests sent to a target a second time after the connection was lost before any response byte, by target and reason (error code).',
    labelNames: ['target', 'reason'],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'mimi_relay_in_flight',
    help: 'Requests being forwarded now.',
    registers: [this.registry],
  });
}
