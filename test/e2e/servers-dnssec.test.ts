// Real servers on loopback, checked with our own validator (issue "servers", DESIGN §5):
// referrals carry NS + DS and the child's endpoint records; every answer and denial from
// the running DPs validates from the trust anchor and fails when one byte changes; the
// E.164 tree cannot be walked; and a zone served by two DPs survives one of them dying.

import { generateKeyPairSync } from 'node:crypto';
import { publicKeyOf } from '@mimi/crypto';
import {
  type Ds,
  parseTrustAnchor,
  validateDenial,
  validateDnskeyRrset,
  validateRrset,
  type ZoneKeys,
} from '@mimi/dnssec';
import {
  csiOwnerName,
  type DnsMessage,
  decodeRdata,
  dsCodec,
  normalizeCsi,
  nsecCodec,
  type ResourceRecord,
  RRType,
  signAttestation,
  signMapping,
} from '@mimi/protocol';
import { createResolver, loadClientConfig } from '@mimi/stub-resolver';
import {
  DEFAULT_AUTHORITATIVES,
  dohQuery,
  postObject,
  startTestNetwork,
  type TestNetwork,
} from '@mimi/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APEX = 'mimi.arpa.';
const TEL_ZONE = '4.4.e164.mimi.arpa.';
const CSI = '+447700900123';
const OWNER = csiOwnerName(normalizeCsi(CSI), APEX);
const now = () => Math.floor(Date.now() / 1000);

const tel = DEFAULT_AUTHORITATIVES.find((s) => s.name === 'tel')!;
// A second DP for +44 only: the same zone on two servers (replicas share the zone's key).
const tel2 = {
  name: 'tel2',
  host: 'tel2.nic.mimi.arpa.',
  zones: tel.zones.filter((z) => z.apex === TEL_ZONE),
};

let net: TestNetwork;

function rrsigsOf(
  message: DnsMessage,
  section: 'answers' | 'authorities' | 'additionals',
  name: string,
  type: number,
) {
  return message[section].filter(
    (r) =>
      r.type === RRType.RRSIG &&
      r.name === name &&
      (decodeRdata(RRType.RRSIG, r.rdata) as { typeCovered: number }).typeCovered === type,
  );
}

function only(records: readonly ResourceRecord[], name: string, type: number): ResourceRecord[] {
  return records.filter((r) => r.name === name && r.type === type);
}

/** Flip one bit of the last RDATA octet of the first record. */
function flipped(records: readonly ResourceRecord[]): ResourceRecord[] {
  const [first, ...rest] = records;
  const rdata = Uint8Array.from(first!.rdata);
  rdata[rdata.length - 1] = rdata[rdata.length - 1]! ^ 1;
  return [{ ...first!, rdata }, ...rest];
}

async function zoneKeys(
  doh: string,
  zone: string,
  authority: { ds?: readonly Ds[]; dnskeys?: never },
): Promise<ZoneKeys> {
  const response = await dohQuery(doh, net.ca, { name: zone, type: RRType.DNSKEY });
  const result = validateDnskeyRrset(
    zone,
    authority,
    only(response.answers, zone, RRType.DNSKEY),
    rrsigsOf(response, 'answers', zone, RRType.DNSKEY),
    now(),
  );
  if (result.status !== 'secure') throw new Error(`dnskey of ${zone}: ${JSON.stringify(result)}`);
  return result.keys;
}

beforeAll(async () => {
  net = await startTestNetwork({ authoritatives: [tel, tel2] });
  const csip = net.csips.get('uk-carrier')!;
  const { privateKey: recipient } = generateKeyPairSync('ed25519');
  const t = now();
  const att = signAttestation(
    { v: 1, csi: CSI, rk: publicKeyOf(recipient), csip: 'uk-carrier', epoch: 1, iat: t, exp: t + 86_400 },
    csip.privateKey,
  ).object;
  const mapping = signMapping(
    {
      v: 1,
      csi: CSI,
      id: 'personal',
      serial: 1,
      iat: t,
      exp: t + 86_400,
      msps: [{ msp: 'signal.example', pri: 10, tags: ['Personal'] }],
      att,
    },
    recipient,
  ).bytes;
  // Both replicas get the same signed mapping through their management APIs.
  for (const server of net.authoritatives) {
    const { status } = await postObject(server.api!, 'mappings', mapping, net.ca);
    expect(status).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  await net?.stop();
});

describe('referrals from the root carry NS + DS and the endpoint records (DESIGN §3, §5)', () => {
  it('NS names both replicas; DS, host addresses and _dns SVCB come signed', async () => {
    const response = await dohQuery(net.root.doh, net.ca, { name: OWNER, type: RRType.MSPMAP });
    expect(response.flags.aa).toBe(false);
    const ns = only(response.authorities, TEL_ZONE, RRType.NS).map((r) => decodeRdata(RRType.NS, r.rdata));
    expect(ns.sort()).toEqual(['tel.nic.mimi.arpa.', 'tel2.nic.mimi.arpa.']);
    expect(only(response.authorities, TEL_ZONE, RRType.DS)).toHaveLength(1);
    expect(rrsigsOf(response, 'authorities', TEL_ZONE, RRType.DS)).toHaveLength(1);
    for (const host of ns) {
      expect(only(response.additionals, host, RRType.A)).toHaveLength(1);
      expect(only(response.additionals, `_dns.${host}`, RRType.SVCB)).toHaveLength(1);
    }
  });
});

describe('every answer and denial of the running DPs validates, and a flipped byte does not', () => {
  let telKeys: ZoneKeys;
  let tel2Keys: ZoneKeys;

  beforeAll(async () => {
    const anchor = parseTrustAnchor(net.trustAnchor);
    const rootKeys = await zoneKeys(net.root.doh, APEX, { ds: anchor.ds! as Ds[] });
    const referral = await dohQuery(net.root.doh, net.ca, { name: TEL_ZONE, type: RRType.DS });
    const ds = only(referral.answers, TEL_ZONE, RRType.DS);
    expect(
      validateRrset(ds, rrsigsOf(referral, 'answers', TEL_ZONE, RRType.DS), rootKeys, now()).status,
    ).toBe('secure');
    const dsValues = ds.map((r) => dsCodec.decode(r.rdata));
    telKeys = await zoneKeys(net.authoritative('tel').doh, TEL_ZONE, { ds: dsValues });
    tel2Keys = await zoneKeys(net.authoritative('tel2').doh, TEL_ZONE, { ds: dsValues });
  });

  it.each([
    ['MSPMAP', RRType.MSPMAP],
    ['NAPTR', RRType.NAPTR],
  ])('the %s RRset at the CSI, from both replicas', async (_name, type) => {
    for (const [server, keys] of [
      ['tel', telKeys],
      ['tel2', tel2Keys],
    ] as const) {
      const response = await dohQuery(net.authoritative(server).doh, net.ca, { name: OWNER, type });
      const records = only(response.answers, OWNER, type);
      const sigs = rrsigsOf(response, 'answers', OWNER, type);
      expect(records.length).toBeGreaterThan(0);
      expect(validateRrset(records, sigs, keys, now()).status).toBe('secure');
      expect(validateRrset(flipped(records), sigs, keys, now()).status).toBe('bogus');
      expect(validateRrset(records, flipped(sigs), keys, now()).status).toBe('bogus');
    }
  });

  it.each([
    ['NODATA (TXT at the CSI)', OWNER, RRType.TXT],
    ['a number with no mapping', csiOwnerName(normalizeCsi('+447700900999'), APEX), RRType.MSPMAP],
    ['an empty non-terminal prefix', '7.7.4.4.e164.mimi.arpa.', RRType.MSPMAP],
  ])('%s is a compact denial that validates', async (_name, qname, qtype) => {
    const response = await dohQuery(net.authoritative('tel').doh, net.ca, { name: qname, type: qtype });
    expect(response.flags.rcode).toBe(0);
    expect(response.answers.filter((r) => r.type === qtype)).toHaveLength(0);
    const nsec = only(response.authorities, qname, RRType.NSEC);
    const sigs = rrsigsOf(response, 'authorities', qname, RRType.NSEC);
    const query = {
      qname,
      qtype,
      records: response.authorities,
      rrsigs: response.authorities,
      keys: telKeys,
      now: now(),
    };
    expect(validateDenial(query).status).toBe('secure');
    expect(nsec).toHaveLength(1);
    const others = response.authorities.filter((r) => r !== nsec[0] && !sigs.includes(r));
    expect(validateDenial({ ...query, records: [...others, ...flipped(nsec)], rrsigs: sigs }).status).toBe(
      'bogus',
    );
  });
});

describe('the E.164 tree cannot be walked (DESIGN §5)', () => {
  /** The denial's shape with the qname taken out: rcode, flags, bitmap, next-name rule, TTLs. */
  async function shape(qname: string) {
    const response = await dohQuery(net.authoritative('tel').doh, net.ca, {
      name: qname,
      type: RRType.MSPMAP,
    });
    const nsec = only(response.authorities, qname, RRType.NSEC).map((r) => ({
      ttl: r.ttl,
      ...nsecCodec.decode(r.rdata),
    }));
    return {
      rcode: response.flags.rcode,
      aa: response.flags.aa,
      answers: response.answers.length,
      authorities: response.authorities.map((r) => [r.type, r.ttl]),
      nsec: nsec.map((n) => ({
        ttl: n.ttl,
        types: n.types,
        nextIsSuccessor: n.nextName === `\\000.${qname}`,
      })),
    };
  }

  it('a prefix with numbers below it looks exactly like one without, and like a missing number', async () => {
    const withNumbers = await shape('7.7.4.4.e164.mimi.arpa.'); // +447700900123 lies below
    const without = await shape('8.8.4.4.e164.mimi.arpa.');
    const missing = await shape(csiOwnerName(normalizeCsi('+447700900999'), APEX));
    expect(without).toEqual(withNumbers);
    expect(missing).toEqual(withNumbers);
    expect(withNumbers.nsec).toEqual([
      { ttl: expect.any(Number), types: [RRType.RRSIG, RRType.NSEC], nextIsSuccessor: true },
    ]);
  });

  it('successive names reveal no other name: every NSEC names only its own successor', async () => {
    for (const digit of '0123456789') {
      const qname = `${digit}.0.0.7.7.4.4.e164.mimi.arpa.`;
      const response = await dohQuery(net.authoritative('tel').doh, net.ca, {
        name: qname,
        type: RRType.MSPMAP,
      });
      for (const record of response.authorities.filter((r) => r.type === RRType.NSEC)) {
        expect(nsecCodec.decode(record.rdata).nextName).toBe(`\\000.${qname}`);
      }
    }
  });
});

describe('failover across the servers of a zone', () => {
  it('one replica dead: still found; both dead: unreachable', async () => {
    const resolveNow = async () => {
      const resolver = createResolver(loadClientConfig(net.clientConfigFile), { timeoutMs: 2000 });
      try {
        return await resolver.resolve(CSI);
      } finally {
        await resolver.close();
      }
    };
    expect((await resolveNow()).status).toBe('found');
    await net.authoritative('tel').process.stop();
    const oneLeft = await resolveNow();
    expect(oneLeft.status).toBe('found');
    expect(oneLeft.mappings.map((m) => m.id)).toEqual(['personal']);
    await net.authoritative('tel2').process.stop();
    const none = await resolveNow();
    expect(none.status).toBe('unreachable');
    expect(none.mappings).toEqual([]);
  }, 120_000);
});
