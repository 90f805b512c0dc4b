/** Response encoding, per-query personalisation and truncation, checked with the protocol decoder. */
import { decodeMessage, Rcode, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { readQuery } from '../src/query-reader.js';
import { encodeHeaderOnly, encodeResponse, errorContent, personalize } from '../src/response-writer.js';
import { truncateResponse, udpLimit } from '../src/truncate.js';
import { makeQuery } from './dns-messages.js';
import { aRecord, txtRecord } from './fake-engine.js';

describe('encodeResponse', () => {
  it('writes the lowercase question, sections and an OPT last; owner names compress against the qname', () => {
    const queryBytes = makeQuery({ id: 3, name: 'WWW.example.', type: 1, rd: true, edns: { do: true } });
    const query = readQuery(queryBytes);
    const bytes = encodeResponse(query, {
      rcode: 0,
      aa: true,
      answers: [aRecord('www.example.', '192.0.2.1')],
      authorities: [],
      additionals: [aRecord('ns.example.', '192.0.2.53')],
    });
    const message = decodeMessage(bytes);
    expect(message.questions[0]!.name).toBe('www.example.');
    expect(message.flags).toMatchObject({ qr: true, aa: true, rd: true, rcode: 0 });
    expect(message.edns).toMatchObject({ do: true, udpPayloadSize: 1232 });
    // Answer owner right after the question is a pointer to offset 12.
    expect([...bytes.subarray(query.questionEnd, query.questionEnd + 2)]).toEqual([0xc0, 0x0c]);
    // OPT is the last record: root owner, type 41.
    expect([...bytes.subarray(bytes.length - 11, bytes.length - 8)]).toEqual([0, 0, 41]);
  });

  it('personalize copies id, RD, CD and the qname octets of the new query, and nothing else', () => {
    const first = readQuery(makeQuery({ id: 1, name: 'www.example.', type: 1 }));
    const cached = encodeResponse(first, errorContent(0));
    const nextBytes = makeQuery({ id: 0xfeed, name: 'WwW.eXample.', type: 1, rd: true, cd: true });
    const out = personalize(cached, nextBytes, readQuery(nextBytes));
    const message = decodeMessage(out);
    expect(message.id).toBe(0xfeed);
    expect(message.flags).toMatchObject({ rd: true, cd: true, qr: true });
    expect(message.questions[0]!.name).toBe('WwW.eXample.');
    expect(cached[0]).toBe(0); // the cached bytes are untouched
    expect(cached[1]).toBe(1);
  });

  it('header-only errors echo id, opcode and RD', () => {
    expect([...encodeHeaderOnly(Uint8Array.of(0xaa, 0xbb, 0x21, 0xff), Rcode.NOTIMP)]).toEqual([
      0xaa, 0xbb, 0xa1, 4, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect([...encodeHeaderOnly(Uint8Array.of(0xaa, 0xbb), Rcode.FORMERR).subarray(0, 4)]).toEqual([
      0xaa, 0xbb, 0x80, 1,
    ]);
  });
});

describe('udpLimit and truncateResponse', () => {
  it.each([
    [null, 512],
    [{ udpPayload: 4096 }, 1232],
    [{ udpPayload: 1232 }, 1232],
    [{ udpPayload: 800 }, 800],
    [{ udpPayload: 100 }, 512],
    [{ udpPayload: 0 }, 512],
  ])('payload %o → %i', (edns, limit) => {
    const info =
      edns === null ? null : { ...edns, version: 0, dnssecOk: false, optionsStart: 0, optionsEnd: 0 };
    expect(udpLimit(info, 1232)).toBe(limit);
  });

  it('keeps header (TC set), question and OPT with its options', () => {
    const query = readQuery(makeQuery({ id: 8, name: 'big.example.', type: RRType.TXT, edns: { do: true } }));
    const full = encodeResponse(
      query,
      {
        rcode: 0,
        aa: true,
        answers: [txtRecord('big.example.', 200)],
        authorities: [txtRecord('big.example.', 200)],
        additionals: [txtRecord('x.example.', 200)],
      },
      [{ code: 15, data: Uint8Array.of(0, 0) }],
    );
    const cut = truncateResponse(full, query.questionEnd);
    const message = decodeMessage(cut);
    expect(message.flags).toMatchObject({ tc: true, aa: true });
    expect(message.id).toBe(8);
    expect([message.answers.length, message.authorities.length, message.additionals.length]).toEqual([
      0, 0, 0,
    ]);
    expect(message.edns).toMatchObject({ do: true });
    expect(message.edns?.options.map((option) => option.code)).toEqual([15]);
    expect(cut.length).toBe(query.questionEnd + 11 + 6);
  });

  it('truncates a response without OPT to header and question', () => {
    const query = readQuery(makeQuery({ name: 'big.example.', type: RRType.TXT }));
    const full = encodeResponse(query, { ...errorContent(0), answers: [txtRecord('big.example.', 250)] });
    const cut = truncateResponse(full, query.questionEnd);
    expect(cut.length).toBe(query.questionEnd);
    expect(decodeMessage(cut).edns).toBeUndefined();
  });
});
