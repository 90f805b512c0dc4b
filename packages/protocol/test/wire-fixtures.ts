/** Shared fixtures of the wire-message tests: hex helpers, a raw header builder, a sample response. */
import { expect } from 'vitest';
import { WireFormatError } from '../src/errors.js';
import {
  buildEdns,
  type DnsMessage,
  ExtendedErrorCode,
  extendedErrorOption,
  NO_FLAGS,
} from '../src/wire/message/index.js';
import { encodeRdata } from '../src/wire/rdata/index.js';
import type { ResourceRecord } from '../src/wire/rr.js';
import { RRType } from '../src/wire/types.js';

export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
export const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
/** A header: id 0x1234, flags 0x8180, then the four counts. */
export const header = (qd: number, an: number, ns: number, ar: number, flags = '8180') =>
  `1234 ${flags} ${[qd, an, ns, ar].map((n) => n.toString(16).padStart(4, '0')).join(' ')}`;
export const QNAME = '076578616d706c6503636f6d00'; // example.com. at offset 12
export const QUESTION = `${QNAME} 0001 0001`;

export function wireError(fn: () => unknown): WireFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WireFormatError);
    return err as WireFormatError;
  }
  throw new Error('expected a WireFormatError');
}

export const rr = (name: string, type: number, value: unknown, ttl = 300): ResourceRecord => ({
  name,
  type,
  class: 1,
  ttl,
  rdata: encodeRdata(type, value),
});

export const response: DnsMessage = {
  id: 0xbeef,
  flags: { ...NO_FLAGS, qr: true, aa: true, rd: true, ad: true },
  questions: [{ name: 'www.Example.com.', type: RRType.A, class: 1 }],
  answers: [rr('www.Example.com.', RRType.A, '192.0.2.1'), rr('www.Example.com.', RRType.A, '192.0.2.2')],
  authorities: [rr('example.com.', RRType.NS, 'ns1.example.com.', 86400)],
  additionals: [rr('ns1.example.com.', RRType.AAAA, '2001:db8::53')],
  edns: buildEdns({
    do: true,
    options: [extendedErrorOption(ExtendedErrorCode.PROHIBITED, 'token required')],
  }),
};
