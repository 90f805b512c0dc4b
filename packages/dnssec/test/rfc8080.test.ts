// RFC 8080 §6.1 Ed25519 examples (corrected by verified erratum 4935), from
// test/vectors/rfc8080-examples.json: key tags, DS, verification, and byte-for-byte
// reproduction of the deterministic signatures.
import { readFileSync } from 'node:fs';
import { fromBase64, fromHex, privateKeyFromSeed } from '@mimi/crypto';
import { CLASS_IN, dnskeyCodec, dsCodec, type ResourceRecord, RRType, rrsigCodec } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  computeDs,
  createZoneKey,
  keyTag,
  signRrset,
  validateDnskeyRrset,
  validateRrset,
} from '../src/index.js';

interface Example {
  name: string;
  privateKey: string;
  dnskey: string;
  keyTag: number;
  ds: string;
  rrsig: string;
  publishedRrsig: { rrsig: string };
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../test/vectors/rfc8080-examples.json', import.meta.url), 'utf8'),
) as { owner: string; ttl: number; mxRdataHex: string; now: number; examples: Example[] };

const { owner, ttl, now } = vectors;
const mx: ResourceRecord = {
  name: owner,
  type: RRType.MX,
  class: CLASS_IN,
  ttl,
  rdata: fromHex(vectors.mxRdataHex),
};
const fields = (text: string) => text.split(/\s+/);

function rrsigRecord(text: string): ResourceRecord {
  return {
    name: owner,
    type: RRType.RRSIG,
    class: CLASS_IN,
    ttl,
    rdata: rrsigCodec.encode(rrsigCodec.fromText(fields(text), owner)),
  };
}

describe.each(vectors.examples)('RFC 8080 §6.1 $name', (example) => {
  const dnskey = dnskeyCodec.fromText(fields(example.dnskey), owner);
  const dnskeyRdata = dnskeyCodec.encode(dnskey);
  const keys = { zone: owner, keys: [{ keyTag: example.keyTag, dnskey }] };

  it('derives the DNSKEY from the private key, and its key tag', () => {
    const zoneKey = createZoneKey(owner, privateKeyFromSeed(fromBase64(example.privateKey)));
    expect(dnskeyCodec.toText(zoneKey.dnskey)).toBe(example.dnskey);
    expect(zoneKey.keyTag).toBe(example.keyTag);
    expect(keyTag(dnskeyRdata)).toBe(example.keyTag);
  });

  it('computes the DS (SHA-256) of the RFC', () => {
    expect(dsCodec.toText(computeDs(owner, dnskeyRdata))).toBe(example.ds);
    expect(dsCodec.toText(computeDs('EXAMPLE.com.', dnskeyRdata))).toBe(example.ds);
  });

  it('verifies the corrected RRSIG over the MX RRset', () => {
    expect(validateRrset([mx], [rrsigRecord(example.rrsig)], keys, now)).toMatchObject({
      status: 'secure',
      keyTag: example.keyTag,
    });
  });

  it('validates a DNSKEY RRset self-signed by the key, from its DS', () => {
    const zoneKey = createZoneKey(owner, privateKeyFromSeed(fromBase64(example.privateKey)));
    const dnskeyRrset: ResourceRecord = {
      name: owner,
      type: RRType.DNSKEY,
      class: CLASS_IN,
      ttl,
      rdata: dnskeyRdata,
    };
    const sig = signRrset([dnskeyRrset], zoneKey, { inception: now - 10, expiration: now + 10 });
    const ds = dsCodec.fromText(fields(example.ds), owner);
    expect(validateDnskeyRrset(owner, { ds: [ds] }, [dnskeyRrset], [sig], now)).toMatchObject({
      status: 'secure',
    });
  });

  it('reproduces the signature byte for byte', () => {
    const published = rrsigCodec.fromText(fields(example.rrsig), owner);
    const zoneKey = createZoneKey(owner, privateKeyFromSeed(fromBase64(example.privateKey)));
    const made = signRrset([mx], zoneKey, {
      inception: published.inception,
      expiration: published.expiration,
    });
    expect(rrsigCodec.toText(rrsigCodec.decode(made.rdata))).toBe(rrsigCodec.toText(published));
    expect(Buffer.from(made.rdata).toString('hex')).toBe(
      Buffer.from(rrsigCodec.encode(published)).toString('hex'),
    );
  });

  it('refuses the RRSIG as first published (Labels 3 > 2 labels of example.com.)', () => {
    const result = validateRrset([mx], [rrsigRecord(example.publishedRrsig.rrsig)], keys, now);
    expect(result).toMatchObject({ status: 'bogus', reason: { code: 'labels', zone: owner } });
  });

  it('refuses the signature outside its validity window', () => {
    const sig = [rrsigRecord(example.rrsig)];
    expect(validateRrset([mx], sig, keys, 1440021601)).toMatchObject({
      reason: { code: 'signature-expired' },
    });
    expect(validateRrset([mx], sig, keys, 1438207199)).toMatchObject({
      reason: { code: 'signature-not-yet-valid' },
    });
  });
});
