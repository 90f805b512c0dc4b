/**
 * The benchmark's `unreachable` on loopback: the relay's pooled HTTP/2 connections to a
 * real DP listener (@mimi/server-core HttpsListener) whose idle timeout is short, and
 * bursts of 64 requests that start about when that timeout runs out. The DP sends GOAWAY
 * on its idle connections (RFC 9113 §6.8) while the relay's next requests are on their
 * way on them; undici fails those requests as socket errors. Before the relay repeated
 * such requests (upstream-retry.ts), a few in every thousand came back 502
 * `destination_unavailable`.
 */

import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { HttpsListener, ServerMetrics, createLogger as serverLogger } from '@mimi/server-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../src/server.js';
import { parseTargets } from '../src/targets.js';
import { createRelayFixture, ODOH, type RelayFixture, TARGET } from './support/relay-fixture.js';

const IDLE_MS = 100;
const ROUNDS = 20;
const BURST = 64;
/** The DP route here does not open it, so sealed bytes are not needed. */
const BODY = new Uint8Array(256).fill(7);

let fixture: RelayFixture;
let dp: HttpsListener;
let relay: RunningRelay;

beforeAll(async () => {
  fixture = await createRelayFixture();
  const files = fixture.pki.hosts[TARGET]!;
  dp = await HttpsListener.start(
    {
      listen: { host: '127.0.0.1', port: 0 },
      tls: { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) },
      logger: serverLogger({
        level: 'silent',
        destination: new Writable({ write: (_c, _e, done) => done() }),
      }),
      metrics: new ServerMetrics({ processMetrics: false }),
      limits: { idleTimeoutMs: IDLE_MS },
    },
    [
      {
        // Stands in for the ODoH route: the relay only carries bytes, so any answer will do.
        path: '/dns-query',
        methods: ['POST'],
        contentType: ODOH,
        handle: (_request, response) => void response.end(),
        stream: ({ stream }) =>
          new Promise((resolve) => {
            stream.resume();
            stream.once('end', () =>
              resolve({ headers: { ':status': 200, 'content-type': ODOH }, body: 'answer' }),
            );
          }),
      },
    ],
  );
  relay = await fixture.relayWith({
    targets: parseTargets(JSON.stringify({ [TARGET]: `127.0.0.1:${dp.address().port}` }), 'inline'),
  });
});

afterAll(async () => {
  await fixture.close();
  await dp.close(100);
});

describe('relay → DP across the DP idle timeout', () => {
  it('bursts that meet the idle GOAWAY all get their answers', async () => {
    const outcomes = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const responses = await Promise.all(
        Array.from({ length: BURST }, () => fixture.post(relay, { body: BODY })),
      );
      for (const response of responses) {
        const outcome =
          response.status === 200 ? 'ok' : `${response.status} ${response.headers['proxy-status']}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      // Gaps from just under to just over the idle timeout, where the GOAWAYs go out.
      const gap = IDLE_MS - 30 + ((round * 13) % 60);
      await new Promise((resolve) => setTimeout(resolve, gap));
    }
    expect(Object.fromEntries(outcomes)).toEqual({ ok: ROUNDS * BURST });
    // The race was met (else this test proves nothing), and each meeting cost a repeat, not an answer.
    const metrics = await relay.metrics.registry.metrics();
    const retries = [...metrics.matchAll(/^mimi_relay_upstream_retries_total\{[^}]*\} (\d+)$/gm)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
    expect(retries).toBeGreaterThan(0);
  });
});
