/**
 * RFC 7830 / RFC 8467 §4.1 padding as a pipeline hook: a DoH response to a query that
 * carried a Padding option is padded to a multiple of 468 octets with a zero-filled
 * option in our OPT record; nothing else is padded (unpadded queries, Do53, ODoH, no
 * EDNS), the cached bytes stay unpadded, and padding never passes 65,535 octets.
 */
import { EdnsOptionCode, paddingOption, RESPONSE_PADDING_BLOCK, RRType } from '@mimi/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { paddingHook, padResponse } from '../src/padding-hook.js';
import { type HandleOptions, QueryPipeline } from '../src/pipeline.js';
import { readQuery } from '../src/query-reader.js';
import { decode, makeQuery } from './dns-messages.js';
import { aRecord, FakeEngine, txtRecord } from './fake-engine.js';

const DOH: HandleOptions = { transport: 'doh', client: '192.0.2.1', maxResponseSize: 65535 };
const padded = (length = 0) => ({ options: [paddingOption(length)] });

let engine: FakeEngine;
let pipeline: QueryPipeline;

beforeEach(() => {
  engine = new FakeEngine();
  engine.set('www.example.', RRType.A, [aRecord('www.example.', '192.0.2.80')]);
  pipeline = new QueryPipeline(engine, {
    now: () => 1_700_000_000_000,
    rateLimit: { queriesPerSecond: 0, missesPerSecond: 0 },
    hooks: [paddingHook()],
  });
});

function paddingOf(bytes: Uint8Array) {
  return decode(bytes).edns?.options.filter((option) => option.code === EdnsOptionCode.PADDING) ?? [];
}

describe('RFC 8467 §4.1 block-length padding of DoH responses', () => {
  it.each([0, 1, 40, 127])('pads the answer to a query padded with %i octets to 468', (length) => {
    const response = pipeline.handleQuery(
      makeQuery({ name: 'www.example.', type: RRType.A, edns: padded(length) }),
      DOH,
    )!;
    expect(response.length).toBe(RESPONSE_PADDING_BLOCK);
    const [option] = paddingOf(response);
    expect(option!.data.every((octet) => octet === 0)).toBe(true);
    // The answer itself is intact.
    expect([...decode(response).answers[0]!.rdata]).toEqual([192, 0, 2, 80]);
  });

  it('pads a large answer to the next multiple of 468 (several blocks)', () => {
    engine.set('big.example.', RRType.TXT, [
      txtRecord('big.example.', 200),
      txtRecord('big.example.', 250, 0x62),
    ]);
    const response = pipeline.handleQuery(
      makeQuery({ name: 'big.example.', type: RRType.TXT, edns: padded() }),
      DOH,
    )!;
    expect(response.length).toBe(2 * RESPONSE_PADDING_BLOCK);
    expect(decode(response).answers).toHaveLength(2);
  });

  it('pads cache hits too, and keeps the cached bytes unpadded for other queries', () => {
    const first = pipeline.handleQuery(makeQuery({ name: 'www.example.', type: RRType.A, edns: {} }), DOH)!;
    const hit = pipeline.handleQuery(
      makeQuery({ name: 'www.example.', type: RRType.A, edns: padded(12) }),
      DOH,
    )!;
    const again = pipeline.handleQuery(makeQuery({ name: 'www.example.', type: RRType.A, edns: {} }), DOH)!;
    expect(engine.calls).toHaveLength(1);
    expect(hit.length).toBe(RESPONSE_PADDING_BLOCK);
    expect(paddingOf(first)).toEqual([]);
    expect(again).toEqual(first);
  });

  it.each<[string, HandleOptions, Parameters<typeof makeQuery>[0]]>([
    ['a DoH query without a padding option', DOH, { name: 'www.example.', type: RRType.A, edns: {} }],
    ['a DoH query without EDNS', DOH, { name: 'www.example.', type: RRType.A }],
    [
      'a padded query over UDP',
      { transport: 'udp', client: '192.0.2.1', maxResponseSize: 1232 },
      { name: 'www.example.', type: RRType.A, edns: padded() },
    ],
    [
      'a padded query over TCP',
      { transport: 'tcp', client: '192.0.2.1', maxResponseSize: 65535 },
      { name: 'www.example.', type: RRType.A, edns: padded() },
    ],
    [
      'a padded query inside ODoH (padded in the ODoH plaintext instead)',
      { transport: 'odoh', client: '192.0.2.1', maxResponseSize: 65535 },
      { name: 'www.example.', type: RRType.A, edns: padded() },
    ],
  ])('does not pad the answer to %s', (_what, options, init) => {
    const response = pipeline.handleQuery(makeQuery(init), options)!;
    expect(response.length % RESPONSE_PADDING_BLOCK).not.toBe(0);
    expect(paddingOf(response)).toEqual([]);
  });

  it('pads error answers too (REFUSED outside the zones)', () => {
    const response = pipeline.handleQuery(
      makeQuery({ name: 'elsewhere.test.', type: RRType.A, edns: padded() }),
      DOH,
    )!;
    expect(decode(response).flags.rcode).toBe(5);
    expect(response.length).toBe(RESPONSE_PADDING_BLOCK);
  });
});

describe('padResponse', () => {
  const response = (edns: boolean) =>
    pipeline.handleQuery(
      makeQuery({ name: 'www.example.', type: RRType.A, edns: edns ? {} : undefined }),
      DOH,
    )!;

  it.each([
    [468, 468],
    [128, 128],
    [100, 100],
  ])('pads to a multiple of the block size %i', (block, expected) => {
    const bytes = response(true);
    const questionEnd = readQuery(makeQuery({ name: 'www.example.', type: RRType.A })).questionEnd;
    const out = padResponse(bytes, questionEnd, block);
    expect(out.length % expected).toBe(0);
    expect(out.length - bytes.length).toBeGreaterThanOrEqual(4);
    expect(out.length - bytes.length).toBeLessThan(block + 4);
    // The OPT RDLENGTH grew by exactly what was appended.
    const option = paddingOf(out)[0]!;
    expect(option.data.length).toBe(out.length - bytes.length - 4);
  });

  it('returns a response without an OPT record unchanged', () => {
    const bytes = response(false);
    const questionEnd = readQuery(makeQuery({ name: 'www.example.', type: RRType.A })).questionEnd;
    expect(padResponse(bytes, questionEnd, 468)).toBe(bytes);
  });

  it('returns a response unchanged when padding would pass 65,535 octets', () => {
    const bytes = response(true);
    const questionEnd = readQuery(makeQuery({ name: 'www.example.', type: RRType.A })).questionEnd;
    // A block larger than the message limit can only be reached by passing it.
    expect(padResponse(bytes, questionEnd, 65_536)).toBe(bytes);
  });
});
