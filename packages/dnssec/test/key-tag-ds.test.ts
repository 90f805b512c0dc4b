// RFC 4034 Appendix B key tags and §5.1.4 / RFC 4509 DS digests; the zone key helpers.
import { dnskeyCodec, dsCodec, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  CSK_FLAGS,
  computeDs,
  createZoneKey,
  DnssecError,
  dnskeyLine,
  dnskeyRecord,
  dsLine,
  dsMatchesDnskey,
  dsRecord,
  keyTag,
} from '../src/index.js';
import { KEY, keyFor, thrown, ZONE } from './fixtures.js';

const fields = (text: string) => text.split(/\s+/);

describe('keyTag (RFC 4034 Appendix B)', () => {
  it('matches the RFC 4034 §5.4 example (key id 60485)', () => {
    const dnskey = dnskeyCodec.fromText(
      fields(
        '256 3 5 AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==',
      ),
      '.',
    );
    expect(keyTag(dnskeyCodec.encode(dnskey))).toBe(60485);
  });

  it('folds the carry (an RDATA of 0xffff words)', () => {
    // 0xffff + 0xffff = 0x1fffe; + carry 1 = 0x1ffff → 0xffff.
    expect(keyTag(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toBe(0xffff);
    expect(keyTag(Uint8Array.of(0x01, 0x00, 0x03, 0x0f, 0x00))).toBe(0x0100 + 0x030f);
  });

  it('uses the Appendix B.1 rule for algorithm 1', () => {
    expect(keyTag(Uint8Array.of(1, 0, 3, 1, 9, 0xab, 0xcd, 0xef))).toBe(0xabcd);
  });
});

describe('DS (RFC 4034 §5.1.4, RFC 4509)', () => {
  it('is SHA-256 over the lowercased owner and the DNSKEY RDATA', () => {
    const ds = computeDs(ZONE, KEY.dnskeyRdata);
    expect(ds).toEqual(computeDs('EXAMPLE.Test.', KEY.dnskeyRdata));
    expect(ds).toMatchObject({ keyTag: KEY.keyTag, algorithm: 15, digestType: 2 });
    expect(ds.digest).toHaveLength(32);
    expect(dsMatchesDnskey(ds, 'Example.TEST.', KEY.dnskeyRdata)).toBe(true);
  });

  it('does not match another owner, another key, or a changed digest', () => {
    const ds = computeDs(ZONE, KEY.dnskeyRdata);
    expect(dsMatchesDnskey(ds, 'other.test.', KEY.dnskeyRdata)).toBe(false);
    expect(dsMatchesDnskey(ds, ZONE, keyFor(ZONE, 'x').dnskeyRdata)).toBe(false);
    const digest = Uint8Array.from(ds.digest);
    digest[31] = digest[31]! ^ 1;
    expect(dsMatchesDnskey({ ...ds, digest }, ZONE, KEY.dnskeyRdata)).toBe(false);
    expect(dsMatchesDnskey({ ...ds, digestType: 1 }, ZONE, KEY.dnskeyRdata)).toBe(false);
  });

  it('refuses digest types other than SHA-256', () => {
    expect(() => computeDs(ZONE, KEY.dnskeyRdata, 1)).toThrow(DnssecError);
    const err = thrown(() => computeDs(ZONE, KEY.dnskeyRdata, 4));
    expect(err.code).toBe('unsupported-algorithm');
    expect(err.message).toBe('ds digest type 4 is not supported (only 2, sha-256)');
  });
});

describe('zone keys (one CSK per zone, flags 257)', () => {
  it('builds the DNSKEY, DS and their presentation lines', () => {
    expect(KEY.zone).toBe(ZONE);
    expect(KEY.dnskey).toMatchObject({ flags: CSK_FLAGS, protocol: 3, algorithm: 15 });
    expect(CSK_FLAGS).toBe(257);
    expect(dsLine(KEY, 3600)).toBe(`example.test. 3600 IN DS ${dsCodec.toText(KEY.ds)}`);
    expect(dsLine(KEY, 3600)).toMatch(
      new RegExp(`^example\\.test\\. 3600 IN DS ${KEY.keyTag} 15 2 [0-9a-f]{64}$`),
    );
    expect(dnskeyLine(KEY, 60)).toMatch(/^example\.test\. 60 IN DNSKEY 257 3 15 [A-Za-z0-9+/]{43}=$/);
    expect(dnskeyRecord(KEY, 60)).toEqual({
      name: ZONE,
      type: RRType.DNSKEY,
      class: 1,
      ttl: 60,
      rdata: KEY.dnskeyRdata,
    });
    expect(dsCodec.decode(dsRecord(KEY, 60).rdata)).toEqual(KEY.ds);
  });

  it('canonicalizes the zone name and allows a 256 ZSK', () => {
    const zsk = createZoneKey('Example.TEST', KEY.privateKey, 256);
    expect(zsk.zone).toBe(ZONE);
    expect(zsk.dnskey.flags).toBe(256);
    expect(zsk.keyTag).not.toBe(KEY.keyTag);
  });
});
