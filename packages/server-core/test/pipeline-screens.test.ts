/**
 * The request pipeline without sockets, part 2: the RCODE screens (FORMERR, NOTIMP,
 * REFUSED, BADVERS, SERVFAIL), per-client rate limits and UDP truncation.
 */
import { Rcode, RRType } from '@mimi/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { ServerMetrics } from '../src/metrics.js';
import { type HandleOptions, type PipelineOptions, QueryPipeline } from '../src/pipeline.js';
import { decode, header, makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine, txtRecord } from './fake-engine.js';

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

beforeEach(() => {
  engine = new FakeEngine();
  engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')], 300);
  clock = T0;
});

describe('error responses', () => {
  it('refuses names outside the zones without asking the engine or caching', () => {
    const p = pipeline();
    const response = decode(p.handleQuery(makeQuery({ name: 'www.example.org.', type: 1, edns: {} }), UDP));
    expect(response.flags).toMatchObject({ rcode: Rcode.REFUSED, aa: false });
    expect(response.questions[0]!.name).toBe('www.example.org.');
    expect(response.edns).toBeDefined();
    expect(engine.calls).toHaveLength(0);
    expect(p.cache.size).toBe(0);
  });

  it('treats a zone apex and its subdomains as inside, lookalike names as outside', () => {
    const p = pipeline();
    const rcode = (name: string) => header(p.handleQuery(makeQuery({ name, type: 1 }), UDP)!).rcode;
    expect(rcode('example.')).toBe(0);
    expect(rcode('a.b.c.MIMI.arpa.')).toBe(0);
    expect(rcode('badexample.')).toBe(Rcode.REFUSED);
    expect(rcode('arpa.')).toBe(Rcode.REFUSED);
    expect(rcode('.')).toBe(Rcode.REFUSED);
  });

  it('answers EDNS version 1 with BADVERS: extended RCODE 1 in an OPT of version 0 (RFC 6891 §6.1.3)', () => {
    const p = pipeline();
    const response = decode(
      p.handleQuery(makeQuery({ name: 'www.example.', type: 1, edns: { version: 1 } }), UDP),
    );
    expect(response.flags.rcode).toBe(0);
    expect(response.edns).toMatchObject({ extendedRcode: 1, version: 0 });
    expect(engine.calls).toHaveLength(0);
  });

  it.each([
    ['AXFR', 252, Rcode.REFUSED],
    ['IXFR', 251, Rcode.REFUSED],
    ['MAILB', 253, Rcode.NOTIMP],
    ['NXNAME (RFC 9824)', RRType.NXNAME, Rcode.FORMERR],
    ['OPT', RRType.OPT, Rcode.FORMERR],
  ])('qtype %s → rcode %i', (_name, qtype, rcode) => {
    const p = pipeline();
    const response = decode(p.handleQuery(makeQuery({ name: 'www.example.', type: qtype }), UDP));
    expect(response.flags.rcode).toBe(rcode);
    expect(response.questions[0]!.type).toBe(qtype);
    expect(engine.calls).toHaveLength(0);
  });

  it('refuses classes other than IN, even for a cached name', () => {
    const p = pipeline();
    p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP);
    const response = decode(p.handleQuery(makeQuery({ name: 'www.example.', type: 1, qclass: 3 }), UDP));
    expect(response.flags.rcode).toBe(Rcode.REFUSED);
    expect(response.answers).toHaveLength(0);
  });

  it('answers malformed queries with a FORMERR header that echoes the id', () => {
    const p = pipeline();
    const bad = makeQuery({ id: 0x7777, name: 'www.example.', type: 1 });
    bad.writeUInt16BE(2, 4); // qdcount 2
    const result = p.process(bad, UDP);
    expect(result.outcome).toBe('malformed');
    expect(result.bytes).toHaveLength(12);
    expect(header(result.bytes!)).toMatchObject({ id: 0x7777, qr: true, rcode: Rcode.FORMERR });
  });

  it('answers opcodes other than QUERY with NOTIMP, echoing the opcode', () => {
    const p = pipeline();
    const notify = makeQuery({ id: 9, name: 'example.', type: RRType.SOA });
    notify[2] = notify[2]! | (4 << 3);
    expect(header(p.handleQuery(notify, UDP)!)).toMatchObject({
      id: 9,
      qr: true,
      opcode: 4,
      rcode: Rcode.NOTIMP,
    });
  });

  it('sends nothing for a response or a message without an id', () => {
    const p = pipeline();
    const response = makeQuery({ name: 'www.example.', type: 1 });
    response[2] = response[2]! | 0x80;
    expect(p.process(response, UDP).outcome).toBe('dropped');
    expect(p.handleQuery(Uint8Array.of(1), UDP)).toBeNull();
  });

  it('turns an engine failure into SERVFAIL, uncached', () => {
    engine.throwOn = 'boom.example.';
    const p = pipeline();
    const ask = () => decode(p.handleQuery(makeQuery({ name: 'boom.example.', type: 1 }), UDP));
    expect(ask().flags.rcode).toBe(Rcode.SERVFAIL);
    expect(ask().flags.rcode).toBe(Rcode.SERVFAIL);
    expect(engine.calls).toHaveLength(2);
  });
});

describe('rate limits', () => {
  it('drops queries over the per-client rate and refills with time', () => {
    const p = pipeline({ rateLimit: { queriesPerSecond: 2, queryBurst: 2, missesPerSecond: 0 } });
    const ask = (client: string) =>
      p.process(makeQuery({ name: 'www.example.', type: 1 }), { ...UDP, client });
    expect(ask('192.0.2.1').outcome).toBe('answered');
    expect(ask('192.0.2.1').outcome).toBe('answered');
    expect(ask('192.0.2.1').outcome).toBe('rate-limited');
    expect(ask('192.0.2.2').outcome).toBe('answered');
    clock += 500;
    expect(ask('192.0.2.1').outcome).toBe('answered');
    expect(ask('192.0.2.1').outcome).toBe('rate-limited');
  });

  it('limits cache misses before the engine is called, while hits still flow', () => {
    const p = pipeline({ rateLimit: { queriesPerSecond: 0, missesPerSecond: 1, missBurst: 1 } });
    const ask = (name: string) => p.process(makeQuery({ name, type: 1 }), UDP);
    expect(ask('www.example.').outcome).toBe('answered');
    expect(ask('new1.example.').outcome).toBe('rate-limited');
    expect(engine.calls).toHaveLength(1);
    expect(ask('www.example.').outcome).toBe('answered');
    expect(ask('outside.org.').outcome).toBe('answered'); // REFUSED costs no miss token
    clock += 1000;
    expect(ask('new1.example.').outcome).toBe('answered');
    expect(engine.calls).toHaveLength(2);
  });

  it('counts drops in the metrics', async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    const p = pipeline({ metrics, rateLimit: { queriesPerSecond: 1, queryBurst: 1, missesPerSecond: 0 } });
    p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP);
    p.handleQuery(makeQuery({ name: 'www.example.', type: 1 }), UDP);
    const { body } = await metrics.exposition();
    expect(body).toContain('mimi_rate_limited_total{transport="udp",kind="queries"} 1');
  });
});

describe('UDP truncation (RFC 1035 §4.2.1, RFC 6891 §7)', () => {
  beforeEach(() => {
    engine.set('big.example.', RRType.TXT, [
      txtRecord('big.example.', 250, 0x61),
      txtRecord('big.example.', 250, 0x62),
      txtRecord('big.example.', 250, 0x63),
    ]);
  });

  it('truncates above 512 octets without EDNS: TC, question kept, sections empty', () => {
    const p = pipeline();
    const bytes = p.handleQuery(makeQuery({ id: 5, name: 'big.example.', type: RRType.TXT }), UDP)!;
    const message = decode(bytes);
    expect(message.flags.tc).toBe(true);
    expect(message.id).toBe(5);
    expect(message.questions[0]!.name).toBe('big.example.');
    expect(message.answers).toHaveLength(0);
    expect(message.edns).toBeUndefined();
  });

  it('uses the client payload size up to 1232 and keeps the OPT record', () => {
    const p = pipeline();
    const ask = (size: number) =>
      decode(
        p.handleQuery(
          makeQuery({ name: 'big.example.', type: RRType.TXT, edns: { udpPayloadSize: size } }),
          UDP,
        ),
      );
    expect(ask(1232).answers).toHaveLength(3);
    const small = ask(600);
    expect(small.flags.tc).toBe(true);
    expect(small.edns).toMatchObject({ udpPayloadSize: 1232 });
    expect(ask(100).flags.tc).toBe(true); // below 512 counts as 512
    expect(engine.calls).toHaveLength(1);
  });

  it('sends the full answer over TCP, from the same cache entry', () => {
    const p = pipeline();
    p.handleQuery(makeQuery({ name: 'big.example.', type: RRType.TXT }), UDP);
    const full = decode(p.handleQuery(makeQuery({ name: 'big.example.', type: RRType.TXT }), TCP));
    expect(full.flags.tc).toBe(false);
    expect(full.answers).toHaveLength(3);
    expect(engine.calls).toHaveLength(1);
  });
});
