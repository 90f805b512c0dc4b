/** Query building (RFC 8484 §4.1, RFC 3225, RFC 8467 §4.1) and server ordering. */
import { decodeMessage, EdnsOptionCode, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { buildQuery, ServerHealth } from '../src/exchange.js';

describe('buildQuery', () => {
  it.each([
    ['mimi.arpa.', RRType.DNSKEY],
    ['3.2.1.0.0.9.0.0.7.7.4.4.e164.MIMI.arpa.', RRType.MSPMAP],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.mimi.arpa.`, RRType.NS],
  ])('%s: id 0, RD clear, DO set, lowercase qname, padded to 128 octets', (qname, qtype) => {
    const bytes = buildQuery(qname, qtype);
    expect(bytes.length % 128).toBe(0);
    const message = decodeMessage(bytes);
    expect(message.id).toBe(0);
    expect(message.flags.rd).toBe(false);
    expect(message.flags.qr).toBe(false);
    expect(message.edns?.do).toBe(true);
    expect(message.edns?.options.map((o) => o.code)).toEqual([EdnsOptionCode.PADDING]);
    expect(message.questions).toEqual([{ name: qname.toLowerCase(), type: qtype, class: 1 }]);
  });
});

describe('ServerHealth', () => {
  const a = { url: 'https://a/dns-query', host: 'a' };
  const b = { url: 'https://b/dns-query', host: 'b' };
  const c = { url: 'https://c/dns-query', host: 'c' };

  it('puts a failed server last for 30 s, then back in its place', () => {
    let now = 0;
    const health = new ServerHealth(() => now);
    health.failed(a);
    expect(health.order([a, b, c])).toEqual([b, c, a]);
    now = 30_001;
    expect(health.order([a, b, c])).toEqual([a, b, c]);
  });

  it('a success clears the penalty', () => {
    const health = new ServerHealth(() => 0);
    health.failed(b);
    health.succeeded(b);
    expect(health.order([a, b, c])).toEqual([a, b, c]);
  });
});
