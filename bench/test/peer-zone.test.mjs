import { privateKeyFromSeed } from '@mimi/crypto';
import { createZoneKey, signRrset } from '@mimi/dnssec';
import { naptrCodec, nsecCodec, parseZoneFile, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { peerZoneLine } from '../lib/data/peer-zone.mjs';

const ZONE = '4.4.e164.mimi.arpa.';
const OWNER = `0.0.0.0.0.0.0.0.7.7.${ZONE}`;
const key = createZoneKey(ZONE, privateKeyFromSeed(new Uint8Array(32).fill(7)));
const window = { inception: 1_800_000_000, expiration: 1_800_086_400 };
const mspmap = {
  name: OWNER,
  type: RRType.MSPMAP,
  class: 1,
  ttl: 300,
  rdata: Uint8Array.of(0xa1, 0x61, 0x76, 0x01),
};
const naptr = {
  name: OWNER,
  type: RRType.NAPTR,
  class: 1,
  ttl: 300,
  rdata: naptrCodec.encode({
    order: 10,
    preference: 0,
    flags: 'U',
    services: 'E2U+mimi:Personal',
    regexp: '!^.*$!mimi:whatsapp.example!',
    replacement: '.',
  }),
};
const nsec = {
  name: OWNER,
  type: RRType.NSEC,
  class: 1,
  ttl: 300,
  rdata: nsecCodec.encode({
    nextName: `5.${OWNER}`,
    types: [RRType.NAPTR, RRType.RRSIG, RRType.NSEC, RRType.MSPMAP],
  }),
};
const rrsigOverMspmap = signRrset([mspmap], key, window);

describe('peer zone lines', () => {
  it.each([
    [mspmap, `${OWNER} 300 IN TYPE65280 \\# 4 a1617601`],
    [nsec, `${OWNER} 300 IN NSEC 5.${OWNER} NAPTR RRSIG NSEC TYPE65280`],
    [naptr, `${OWNER} 300 IN NAPTR 10 0 "U" "E2U+mimi:Personal" "!^.*$!mimi:whatsapp.example!" .`],
  ])('writes %j with no private mnemonic', (rr, line) => {
    expect(peerZoneLine(rr)).toBe(line);
  });

  it('names the covered private type generically in an rrsig', () => {
    const line = peerZoneLine(rrsigOverMspmap);
    expect(line.startsWith(`${OWNER} 300 IN RRSIG TYPE65280 15 15 300 `)).toBe(true);
    expect(line).not.toContain('MSPMAP');
  });

  it('reads back to the same records', () => {
    const records = [mspmap, naptr, nsec, rrsigOverMspmap];
    const text = records.map(peerZoneLine).join('\n');
    const parsed = parseZoneFile(text, { file: 'peers.zone' });
    expect(parsed.map((rr) => [rr.name, rr.type, rr.ttl, Buffer.from(rr.rdata).toString('hex')])).toEqual(
      records.map((rr) => [rr.name, rr.type, rr.ttl, Buffer.from(rr.rdata).toString('hex')]),
    );
  });
});
