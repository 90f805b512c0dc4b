/**
 * The request pipeline without sockets, part 1: the answer cache (hits, patching,
 * expiry, invalidation), hooks and metrics. The clock is injected; the engine is a
 * canned fake. Part 2 (pipeline-screens.test.ts) covers errors, limits and truncation.
 */
import { Rcode, RRType } from '@mimi/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { ServerMetrics } from '../src/metrics.js';
import { type HandleOptions, type PipelineOptions, QueryPipeline } from '../src/pipeline.js';
import { readQuery } from '../src/query-reader.js';
import { errorContent } from '../src/response-writer.js';
import { decode, header, makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine } from './fake-engine.js';

const UDP: HandleOptions = { transport: 'udp', client: '192.0.2.1', maxResponseSize: 1232 };
const TCP: HandleOptions = { transport: 'tcp', client: '192.0.2.1', maxResponseSize: 65535 };
const T0 = 1_700_000_000_000;

let engine: FakeEngine;
let clock: number;

function pipeline(options: PipelineOptions = {}): QueryPipeline {
  return new QueryPipeline(engine, {
    now: () => clock,
    metrics: new ServerMetrics({ processMetrics: false }),
    rateLimit: { queriesPerSecond: 0, missesPerSecond: 0 },
    ...options,
  });
}

/** The bytes the answer cache holds for `query`. */
function cachedBytes(p: QueryPipeline, query: Buffer): Buffer {
  return p.cache.get(readQuery(query).key, T0)!.bytes;
}

beforeEach(() => {
  engine = new FakeEngine();
  engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')], 300);
  clock = T0;
});

describe('answer cache', () => {
  it('answers a repeated question from the cache: same bytes, new id and RD, engine asked once', () => {
    const p = pipeline();
    const first = p.handleQuery(makeQuery({ id: 1, name: 'www.example.', type: RRType.A }), UDP)!;
    const second = p.handleQuery(
      makeQuery({ id: 0xabcd, name: 'www.example.', type: RRType.A, rd: true }),
      UDP,
    )!;
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]).toEqual({
      question: { name: 'www.example.', type: 1 },
      dnssecOk: false,
      now: T0 / 1000,
    });
    expect(header(first).id).toBe(1);
    expect(header(second).id).toBe(0xabcd);
    expect(second.subarray(4)).toEqual(first.subarray(4));
    expect(second[2]! & 0x01).toBe(1); // RD copied
    expect(first[2]! & 0x01).toBe(0);
    const message = decode(second);
    expect(message.flags).toMatchObject({ qr: true, aa: true, rd: true, rcode: 0 });
    expect(message.answers).toHaveLength(1);
    expect([...message.answers[0]!.rdata]).toEqual([192, 0, 2, 80]);
  });

  it('sends the cached bytes themselves to a query they already answer (DoH: ID 0), else a patched copy', () => {
    const p = pipeline();
    const ask = (id: number, name = 'www.example.', rd = false) =>
      p.handleQuery(makeQuery({ id, name, type: RRType.A, rd }), TCP)!;
    const first = ask(0);
    const cached = cachedBytes(p, makeQuery({ id: 0, name: 'www.example.', type: RRType.A }));
    expect(first).not.toBe(cached); // the miss answers with its own copy
    expect(ask(0)).toBe(cached);
    const other = ask(7);
    expect(other).not.toBe(cached);
    expect(header(other).id).toBe(7);
    expect(ask(0, 'WWW.example.')).not.toBe(cached);
    expect(ask(0, 'www.example.', true)).not.toBe(cached);
    expect(header(cached).id).toBe(0); // never written to
    expect(decode(cached).questions[0]!.name).toBe('www.example.');
  });

  it('copies for a hook that may write to the response, not for one that leaves it intact', () => {
    const query = () => makeQuery({ id: 0, name: 'www.example.', type: RRType.A });
    const handed: Buffer[] = [];
    const intact = { name: 'intact', leavesResponseIntact: true, beforeSend: (_c: unknown, r: Buffer) => r };
    const p = pipeline({ hooks: [intact] });
    p.handleQuery(query(), TCP);
    expect(p.handleQuery(query(), TCP)).toBe(cachedBytes(p, query()));
    p.addHook({
      name: 'writer',
      beforeSend: (_context, response) => {
        handed.push(response);
        return response;
      },
    });
    const again = p.handleQuery(query(), TCP)!;
    expect(handed[0]).toBe(again);
    expect(again).not.toBe(cachedBytes(p, query()));
    expect(again).toEqual(cachedBytes(p, query()));
  });

  it('echoes the qname case of each query (0x20) and copies CD', () => {
    const p = pipeline();
    p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP);
    const mixed = p.handleQuery(makeQuery({ name: 'wWw.ExAmPlE.', type: 1, cd: true }), UDP)!;
    expect(engine.calls).toHaveLength(1);
    const message = decode(mixed);
    expect(message.questions[0]!.name).toBe('wWw.ExAmPlE.');
    expect(message.flags.cd).toBe(true);
  });

  it('keeps DO and non-EDNS answers apart and echoes DO in our OPT (RFC 3225 §3)', () => {
    const p = pipeline();
    const plain = decode(p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP));
    const edns = decode(p.handleQuery(makeQuery({ name: 'www.example.', type: 1, edns: {} }), UDP));
    const dnssec = decode(
      p.handleQuery(makeQuery({ name: 'www.example.', type: 1, edns: { do: true } }), UDP),
    );
    expect(engine.calls.map((call) => call.dnssecOk)).toEqual([false, false, true]);
    expect(plain.edns).toBeUndefined();
    expect(edns.edns).toMatchObject({ udpPayloadSize: 1232, version: 0, do: false });
    expect(dnssec.edns).toMatchObject({ udpPayloadSize: 1232, do: true });
    expect(dnssec.answers.map((rr) => rr.type)).toEqual([RRType.A, RRType.RRSIG]);
  });

  it('drops an entry after cacheSeconds and does not cache cacheSeconds 0', () => {
    engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')], 10);
    engine.set('nocache.example.', RRType.A, [aRecord('nocache.example.', '192.0.2.81')], 0);
    const p = pipeline();
    const ask = (name: string) => p.handleQuery(makeQuery({ name, type: 1 }), UDP);
    ask('www.example.');
    clock += 9_999;
    ask('www.example.');
    expect(engine.calls).toHaveLength(1);
    clock += 1;
    ask('www.example.');
    expect(engine.calls).toHaveLength(2);
    ask('nocache.example.');
    ask('nocache.example.');
    expect(engine.calls).toHaveLength(4);
  });

  it('keeps an answer for keepSeconds; max-age stays within cacheSeconds (the TTL) and the time left', () => {
    engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')], 300, 'www.example.', 3600);
    const p = pipeline();
    const ask = () => p.process(makeQuery({ name: 'www.example.', type: 1 }), UDP);
    expect(ask().maxAge).toBe(300);
    clock += 1000_000; // past the TTL, within keepSeconds: still the cached bytes
    expect(ask().maxAge).toBe(300);
    clock += 2500_000; // 100 s left
    expect(ask().maxAge).toBe(100);
    expect(engine.calls).toHaveLength(1);
    clock += 100_000;
    ask();
    expect(engine.calls).toHaveLength(2);
  });

  it('reports the time left as the DoH max-age', () => {
    const p = pipeline();
    expect(p.process(makeQuery({ name: 'www.example.', type: 1 }), UDP).maxAge).toBe(300);
    clock += 100_500;
    expect(p.process(makeQuery({ name: 'www.example.', type: 1 }), UDP).maxAge).toBe(199);
  });

  it('drops answers whose invalidation name changed, and only those', () => {
    engine.set('example.', RRType.SOA, [aRecord('example.', '192.0.2.1')], 300, 'example.');
    engine.set('mail.example.', RRType.A, [aRecord('mail.example.', '192.0.2.25')], 300, 'example.');
    const p = pipeline();
    const ask = (name: string, type = 1) => p.handleQuery(makeQuery({ name, type }), UDP);
    ask('www.example.');
    ask('mail.example.');
    ask('example.', RRType.SOA);
    expect(engine.calls).toHaveLength(3);
    engine.emitChange(['WWW.example']);
    ask('www.example.');
    ask('mail.example.');
    expect(engine.calls).toHaveLength(4);
    engine.emitChange(['example.']);
    ask('mail.example.');
    ask('example.', RRType.SOA);
    ask('www.example.');
    expect(engine.calls).toHaveLength(6);
  });

  it('forgets everything and re-reads the zone list after a reload', () => {
    const p = pipeline();
    p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP);
    engine.zoneList = ['other.'];
    p.afterReload();
    expect(p.cache.size).toBe(0);
    expect(header(p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP)!).rcode).toBe(
      Rcode.REFUSED,
    );
  });
});

describe('hooks', () => {
  it('lets a beforeAnswer step answer instead (REFUSED with an EDNS option) without the engine', () => {
    const p = pipeline();
    p.addHook({
      name: 'token-check',
      beforeAnswer: (context) =>
        context.transport === 'doh'
          ? {
              kind: 'respond',
              content: errorContent(Rcode.REFUSED),
              ednsOptions: [{ code: 15, data: Uint8Array.of(0, 18) }],
            }
          : undefined,
    });
    const doh = decode(
      p.handleQuery(makeQuery({ name: 'www.example.', type: 1, edns: {} }), { ...TCP, transport: 'doh' }),
    );
    expect(doh.flags.rcode).toBe(Rcode.REFUSED);
    expect(doh.edns?.options.map((option) => [option.code, [...option.data]])).toEqual([[15, [0, 18]]]);
    expect(engine.calls).toHaveLength(0);
    expect(decode(p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP)).flags.rcode).toBe(0);
  });

  it('runs beforeSend on hits and misses alike, without touching the cached bytes', () => {
    const p = pipeline();
    const seen: number[] = [];
    p.addHook({
      name: 'mark',
      beforeSend: (_context, response) => {
        seen.push(response.length);
        response[3] = response[3]! | 0x20; // set AD on this copy only
        return response;
      },
    });
    const first = p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP)!;
    const second = p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP)!;
    expect(seen).toHaveLength(2);
    expect(first[3]! & 0x20).toBe(0x20);
    expect(second[3]! & 0x20).toBe(0x20);
    expect(p.cache.get(makeKey(p), clock)!.bytes[3]! & 0x20).toBe(0);
  });

  it('drops when a step says so', () => {
    const p = pipeline({ hooks: [{ name: 'drop', beforeAnswer: () => ({ kind: 'drop' }) }] });
    expect(p.process(makeQuery({ name: 'www.example.', type: 1 }), UDP).outcome).toBe('dropped');
  });
});

function makeKey(_p: QueryPipeline): string {
  // The key of "www.example. A, no EDNS" (see query-reader.ts).
  return `${Buffer.from([3, ...Buffer.from('www'), 7, ...Buffer.from('example'), 0]).toString('latin1')}\u0000\u0001\u0000`;
}

describe('metrics', () => {
  it('counts queries by transport, qtype and rcode, and cache hits and misses', async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    const p = pipeline({ metrics });
    p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP);
    p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP);
    p.handleQuery(makeQuery({ name: 'x.org.', type: 65280 }), TCP);
    p.handleQuery(makeQuery({ name: 'x.org.', type: 4242 }), TCP);
    const { body } = await metrics.exposition();
    expect(body).toContain('mimi_dns_queries_total{transport="udp",qtype="A",rcode="NOERROR"} 2');
    expect(body).toContain('mimi_dns_queries_total{transport="tcp",qtype="MSPMAP",rcode="REFUSED"} 1');
    expect(body).toContain('mimi_dns_queries_total{transport="tcp",qtype="other",rcode="REFUSED"} 1');
    expect(body).toContain('mimi_answer_cache_hits_total 1');
    expect(body).toContain('mimi_answer_cache_misses_total 1');
    expect(body).toContain('mimi_answer_cache_entries 1');
    expect(body).toMatch(/mimi_dns_query_duration_seconds_count\{transport="udp"\} 2/);
  });

  it('exposes signature-cache counters the engine increments', async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    metrics.signatureCacheHit();
    metrics.signatureCacheHit();
    metrics.signatureCacheMiss();
    const { body } = await metrics.exposition();
    expect(body).toContain('mimi_signature_cache_hits_total 2');
    expect(body).toContain('mimi_signature_cache_misses_total 1');
  });
});
