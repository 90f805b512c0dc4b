/**
 * R1 and R10 at the management API (DESIGN §1, §4 "Verification rules"): only the
 * attested recipient key publishes, only a key with mappings there (or the CSIP, by
 * unassignment) removes, and the CSIP key must be DNSSEC-published, in scope and
 * unexpired. Every refusal is 403 with its stable code, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiNetwork, startApiNetwork } from './api-fixture.js';
import { attest, mapping, nowSeconds, recipient, removal, unassignment } from './objects.js';

let api: ApiNetwork;
beforeAll(async () => {
  api = await startApiNetwork();
});
afterAll(async () => {
  await api?.stop();
});

const refusal = (json: unknown) => (json as { error: { code: string; message: string } }).error;

describe('who may publish (R1)', () => {
  it('refuses a mapping signed by a key other than the attested one: 403 bad-signature', async () => {
    const csi = '+447700900401';
    const owner = recipient();
    const intruder = recipient();
    const att = attest(api.csip('uk-carrier'), { csi, rk: owner.publicKey });
    const response = await api.post('mappings', mapping(intruder, att));
    expect(response.status).toBe(403);
    expect(refusal(response.json).code).toBe('bad-signature');
    expect(await api.mspmap(csi)).toEqual([]);
  });

  it('refuses an attestation by a csip whose scope does not cover the csi: 403 out-of-scope', async () => {
    const csi = '+447700900402';
    const alice = recipient();
    const att = attest(api.csip('us-carrier'), { csi, rk: alice.publicKey });
    const response = await api.post('mappings', mapping(alice, att));
    expect(response.status).toBe(403);
    expect(refusal(response.json)).toMatchObject({ code: 'out-of-scope' });
    expect(refusal(response.json).message).toContain('us-carrier');
  });

  it('refuses a csip with no csipkey record: 403 csip-key-unknown', async () => {
    const csi = '+447700900403';
    const alice = recipient();
    const impostor = { id: 'no-such-carrier', privateKey: recipient().privateKey };
    const response = await api.post(
      'mappings',
      mapping(alice, attest(impostor, { csi, rk: alice.publicKey })),
    );
    expect(response.status).toBe(403);
    expect(refusal(response.json).code).toBe('csip-key-unknown');
  });

  it('refuses an attestation forged with another key under a real csip id: 403 bad-signature', async () => {
    const csi = '+447700900404';
    const alice = recipient();
    const forger = { id: 'uk-carrier', privateKey: recipient().privateKey };
    const response = await api.post('mappings', mapping(alice, attest(forger, { csi, rk: alice.publicKey })));
    expect(response.status).toBe(403);
    expect(refusal(response.json).code).toBe('bad-signature');
  });

  it.each([
    ['an expired attestation', { attExp: -10 }],
    ['an expired mapping', { mapExp: -10 }],
    ['an attestation issued in the future', { attIat: 3600 }],
  ])(
    'refuses %s: 403 expired',
    async (_what, shift: { attExp?: number; mapExp?: number; attIat?: number }) => {
      const csi = '+447700900405';
      const now = nowSeconds();
      const alice = recipient();
      const att = attest(api.csip('uk-carrier'), {
        csi,
        rk: alice.publicKey,
        ...(shift.attExp === undefined ? {} : { iat: now - 100, exp: now + shift.attExp }),
        ...(shift.attIat === undefined ? {} : { iat: now + shift.attIat }),
      });
      const object = mapping(
        alice,
        att,
        shift.mapExp === undefined ? {} : { iat: now - 100, exp: now + shift.mapExp },
      );
      const response = await api.post('mappings', object);
      expect(response.status).toBe(403);
      expect(refusal(response.json).code).toBe('expired');
    },
  );

  it('refuses a mapping for another csi than its attestation: 403 csi-mismatch', async () => {
    const alice = recipient();
    const att = attest(api.csip('uk-carrier'), { csi: '+447700900406', rk: alice.publicKey });
    const response = await api.post('mappings', mapping(alice, att, { csi: '+447700900407' }));
    expect(response.status).toBe(403);
    expect(refusal(response.json).code).toBe('csi-mismatch');
  });
});

describe('who may remove (R10)', () => {
  const csi = '+447700900410';
  const alice = recipient();
  let published: Uint8Array;

  beforeAll(async () => {
    published = mapping(alice, attest(api.csip('uk-carrier'), { csi, rk: alice.publicKey }));
    expect((await api.post('mappings', published)).status).toBe(200);
  });

  it('refuses a removal by a key with nothing there: 403 not-authorized', async () => {
    const response = await api.post('removals', removal(recipient(), { csi }));
    expect(response.status).toBe(403);
    expect(refusal(response.json).code).toBe('not-authorized');
    expect(await api.mspmap(csi)).toEqual([published]);
  });

  it('refuses a removal whose signature is not its rk: 403 bad-signature', async () => {
    const bytes = removal(alice, { csi });
    bytes[bytes.length - 1]! ^= 0x01;
    const response = await api.post('removals', bytes);
    expect(response.status).toBe(403);
    expect(refusal(response.json).code).toBe('bad-signature');
    expect(await api.mspmap(csi)).toEqual([published]);
  });

  it('refuses an unassignment by a csip outside its scope: 403 out-of-scope', async () => {
    const response = await api.post('removals', unassignment(api.csip('us-carrier'), { csi, epoch: 2 }));
    expect(response.status).toBe(403);
    expect(refusal(response.json).code).toBe('out-of-scope');
    expect(await api.mspmap(csi)).toEqual([published]);
  });

  it('accepts the recipient removing its own mapping', async () => {
    const response = await api.post('removals', removal(alice, { csi, ids: ['personal'] }));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ ok: true, kind: 'removal', csi, removed: ['personal'] });
    expect(await api.mspmap(csi)).toEqual([]);
  });
});
