/**
 * Management API counters on the server's /metrics (prom-client, beside server-core's
 * DNS metrics): requests by endpoint and outcome (`ok` or the refusal code, a closed
 * set, so no client can grow the series count).
 */
import { Counter, type Registry } from 'prom-client';
import type { Endpoint } from './submission.js';

export function apiOutcomeCounter(registry: Registry): (endpoint: Endpoint, code: string) => void {
  const counter = new Counter({
    name: 'mimi_api_requests_total',
    help: 'Management API requests by endpoint and outcome (ok or the error code)',
    labelNames: ['endpoint', 'code'],
    registers: [registry],
  });
  return (endpoint, code) => counter.labels(endpoint, code).inc();
}
