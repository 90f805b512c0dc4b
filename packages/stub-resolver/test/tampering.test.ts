/**
 * DESIGN §6: "A result never contains a mapping whose DNSSEC chain, attestation
 * (signature, scope, expiry, CSI match) and recipient signature have not all been
 * checked. A DNSSEC failure anywhere makes the result bogus." Tampering at every link
 * of the chain (RFC 4035 §5) and of the objects (DESIGN §4 "Verification rules") gives
 * `bogus` with the right reason and no mapping; one forged record among valid ones is
 * dropped with a warning.
 */
import { createZoneKey, nodataNsec, signRrset } from '@mimi/dnssec';
import { type DnsMessage, RRType } from '@mimi/protocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ResolveResult, reasonCode } from '../src/index.js';
import { mappingPublisher, publishObjectDefects } from './helpers/defects.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { attest, csipKeyRdata, keyFromText, mapping, msp, NOW, recipientKey } from './helpers/fixtures.js';
import type { RecordedRequest } from './helpers/memory-transport.js';
import { buildNetwork, type TestNetwork, ZONES } from './helpers/network.js';
import { editRecords, flipLast, resign, stripRrsigs } from './helpers/tamper.js';

const UK_QNAME = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
const stranger = keyFromText('stub test stranger');

let network: TestNetwork;

/** CSIs published with one defect each (all in the +44 zone). */
const DEFECT = {
  attestationByStranger: '+447700900201',
  recipientSigByStranger: '+447700900202',
  expiredMapping: '+447700900203',
  outOfScopeCsip: '+447700900204',
  oneForged: '+447700900205',
  csiMismatchTarget: '+447700900206',
  allForged: '+447700900207',
} as const;

beforeAll(async () => {
  network = await buildNetwork();
  seedDemo(network);
  const publishGood = mappingPublisher(network);
  publishObjectDefects(publishGood, DEFECT, stranger);
  publishGood(DEFECT.csiMismatchTarget, 'personal');
});

afterEach(() => {
  network.transport.tamper = undefined;
});

function tamperWhen(
  match: (request: RecordedRequest) => boolean,
  change: (response: DnsMessage) => DnsMessage,
): void {
  network.transport.tamper = (response, request) => (match(request) ? change(response) : response);
}

function expectBogus(result: ResolveResult, code: string): void {
  expect(result.status).toBe('bogus');
  expect(reasonCode(result)).toBe(code);
  expect(result.reason).toMatch(new RegExp(`^${code}: \\S`));
  expect(result.mappings).toEqual([]);
}

const isReferralTo44 = (r: RecordedRequest) => r.qname === ZONES.uk && r.qtype === 'NS';
const isMspmap = (r: RecordedRequest) => r.qtype === 'MSPMAP';

describe('DNSSEC chain tampering (RFC 4035 §5)', () => {
  it('a DS altered in the referral fails its RRSIG: bad-signature', async () => {
    tamperWhen(isReferralTo44, (m) =>
      editRecords(m, 'authorities', ZONES.uk, RRType.DS, (rr) => ({ ...rr, rdata: flipLast(rr.rdata) })),
    );
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'bad-signature');
  });

  it('a DS altered and re-signed by the parent matches no child key: ds-mismatch', async () => {
    tamperWhen(isReferralTo44, (m) =>
      resign(
        editRecords(m, 'authorities', ZONES.uk, RRType.DS, (rr) => ({ ...rr, rdata: flipLast(rr.rdata) })),
        'authorities',
        ZONES.uk,
        RRType.DS,
        ZONES.root,
      ),
    );
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'ds-mismatch');
  });

  it("a child's DNSKEY RRset replaced by an attacker's self-signed key: ds-mismatch", async () => {
    const attacker = createZoneKey(ZONES.uk, keyFromText('stub test attacker'));
    tamperWhen(
      (r) => r.qname === ZONES.uk && r.qtype === 'DNSKEY',
      (m) => {
        const keys = editRecords(m, 'answers', ZONES.uk, RRType.DNSKEY, (rr) => ({
          ...rr,
          rdata: attacker.dnskeyRdata,
        }));
        const records = keys.answers.filter((rr) => rr.type === RRType.DNSKEY);
        const rrsig = signRrset(records, attacker, { inception: NOW - 3600, expiration: NOW + 86_400 });
        return { ...keys, answers: [...records, rrsig] };
      },
    );
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'ds-mismatch');
  });

  it('an MSPMAP RRSIG with a flipped signature byte: bad-signature', async () => {
    tamperWhen(isMspmap, (m) =>
      editRecords(m, 'answers', UK_QNAME, RRType.RRSIG, (rr) => ({ ...rr, rdata: flipLast(rr.rdata) })),
    );
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'bad-signature');
  });

  it('a stripped MSPMAP RRSIG: no-rrsig', async () => {
    tamperWhen(isMspmap, (m) => stripRrsigs(m, 'answers', UK_QNAME, RRType.MSPMAP));
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'no-rrsig');
  });

  it('an MSPMAP record added to a signed RRset: bad-signature', async () => {
    const extra = mapping({
      csi: CSI.ukFound,
      id: 'extra',
      recipient: stranger,
      att: attest({ csi: CSI.ukFound, csip: 'uk-carrier', recipient: stranger }),
      msps: [msp('evil.example', 0)],
    });
    tamperWhen(isMspmap, (m) => {
      const first = m.answers.find((rr) => rr.type === RRType.MSPMAP)!;
      return { ...m, answers: [...m.answers, { ...first, rdata: extra }] };
    });
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'bad-signature');
  });

  it('a stripped denial RRSIG for a missing name: no-rrsig (not no-mapping)', async () => {
    tamperWhen(isMspmap, (m) =>
      stripRrsigs(m, 'authorities', '9.9.9.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.', RRType.NSEC),
    );
    expectBogus(await network.resolver().resolve(CSI.ukMissing), 'no-rrsig');
  });

  it('a denial with its NSEC removed: denial-missing', async () => {
    tamperWhen(isMspmap, (m) => ({
      ...m,
      authorities: m.authorities.filter((rr) => rr.type === RRType.SOA),
    }));
    expectBogus(await network.resolver().resolve(CSI.ukMissing), 'denial-missing');
  });

  it('an answer emptied into a forged NODATA signed by nobody: no-rrsig', async () => {
    tamperWhen(isMspmap, (m) => {
      const nsec = nodataNsec(UK_QNAME, [RRType.NAPTR], 300);
      return { ...m, answers: [], authorities: [nsec] };
    });
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'no-rrsig');
  });

  it('an unsigned (insecure) delegation is bogus: insecure-delegation', async () => {
    tamperWhen(isReferralTo44, (m) => {
      const withoutDs = {
        ...m,
        authorities: m.authorities.filter(
          (rr) =>
            !(
              rr.type === RRType.DS ||
              (rr.type === RRType.RRSIG && ((rr.rdata[0]! << 8) | rr.rdata[1]!) === RRType.DS)
            ),
        ),
      };
      // The parent's signed proof that the child has NS but no DS (RFC 4035 §5.2).
      const nsec = nodataNsec(ZONES.uk, [RRType.NS], 300);
      return resign(
        { ...withoutDs, authorities: [...withoutDs.authorities, nsec] },
        'authorities',
        ZONES.uk,
        RRType.NSEC,
        ZONES.root,
      );
    });
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'insecure-delegation');
  });
});

describe('object tampering (DESIGN §4 "Verification rules")', () => {
  it('a CSIPKEY record altered in transit fails its RRSIG: bad-signature', async () => {
    tamperWhen(
      (r) => r.qtype === 'CSIPKEY',
      (m) =>
        editRecords(m, 'answers', 'uk-carrier.csip.mimi.arpa.', RRType.CSIPKEY, (rr) => ({
          ...rr,
          rdata: csipKeyRdata('uk-carrier', { key: stranger }),
        })),
    );
    expectBogus(await network.resolver().resolve(CSI.ukFound), 'bad-signature');
  });

  it('a validly signed CSIPKEY with another key: the attestation fails, signature', async () => {
    const other = await buildNetwork({
      csipRecords: { 'uk-carrier': [csipKeyRdata('uk-carrier', { key: stranger })] },
    });
    seedDemo(other);
    expectBogus(await other.resolver().resolve(CSI.ukFound), 'signature');
  });

  it('no CSIPKEY record for the attesting CSIP: csip-key-unknown', async () => {
    const other = await buildNetwork({ csipRecords: { 'uk-carrier': [] } });
    seedDemo(other);
    expectBogus(await other.resolver().resolve(CSI.ukFound), 'csip-key-unknown');
  });

  it('an attestation signed by a stranger: signature', async () => {
    expectBogus(await network.resolver().resolve(DEFECT.attestationByStranger), 'signature');
  });

  it('a mapping not signed by the attested recipient key: signature', async () => {
    expectBogus(await network.resolver().resolve(DEFECT.recipientSigByStranger), 'signature');
  });

  it('an expired mapping (the sender clock past exp, DNSSEC still valid): expired', async () => {
    const later = network.resolver({ clock: () => (NOW + 1200) * 1000 });
    expectBogus(await later.resolve(DEFECT.expiredMapping), 'expired');
  });

  it('another CSI’s mapping served (validly signed) at this name: csi-mismatch', async () => {
    const target = '6.0.2.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
    const foreign = mapping({
      csi: CSI.ukFound,
      id: 'personal',
      recipient: recipientKey('447700900123'),
      att: attest({ csi: CSI.ukFound, csip: 'uk-carrier', recipient: recipientKey('447700900123') }),
      msps: [msp('evil.example', 0)],
    });
    tamperWhen(isMspmap, (m) =>
      resign(
        editRecords(m, 'answers', target, RRType.MSPMAP, (rr) => ({ ...rr, rdata: foreign })),
        'answers',
        target,
        RRType.MSPMAP,
        ZONES.uk,
      ),
    );
    expectBogus(await network.resolver().resolve(DEFECT.csiMismatchTarget), 'csi-mismatch');
  });

  it('an attestation by a CSIP whose scope does not cover the CSI: scope', async () => {
    expectBogus(await network.resolver().resolve(DEFECT.outOfScopeCsip), 'scope');
  });

  it('every record forged: bogus with the first failure, each one named in warnings', async () => {
    const result = await network.resolver().resolve(DEFECT.allForged);
    expectBogus(result, 'signature');
    expect(result.warnings).toEqual([
      expect.stringMatching(/^mapping 'personal': signature: /),
      expect.stringMatching(/^mapping 'work': signature: /),
    ]);
  });

  it('one forged record among valid ones is dropped and named in warnings', async () => {
    const result = await network.resolver().resolve(DEFECT.oneForged);
    expect(result.status).toBe('found');
    expect(result.mappings.map((m) => m.id)).toEqual(['personal']);
    expect(result.mappings.flatMap((m) => m.msps.map((e) => e.msp))).not.toContain('evil.example');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^mapping 'work': signature: /);
    expect(result.reason).toBeNull();
  });
});
