/**
 * The DP state rules of DESIGN §4 through the API: replays are refused (409
 * stale-serial, 403 stale-epoch) so nothing removed comes back, `new` wipes, an
 * unassignment or a higher epoch leaves nothing of the previous holder, and the
 * per-CSI limits are 409.
 */
import type { MspEntry } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiNetwork, startApiNetwork } from './api-fixture.js';
import { attest, mapping, nextSerial, recipient, removal, unassignment } from './objects.js';

let api: ApiNetwork;
beforeAll(async () => {
  api = await startApiNetwork();
});
afterAll(async () => {
  await api?.stop();
});

const codeOf = (json: unknown) => (json as { error: { code: string } }).error.code;

describe('replays', () => {
  it('refuses an older mapping and an older removal once a newer object was accepted: 409 stale-serial', async () => {
    const csi = '+447700900501';
    const alice = recipient();
    const att = attest(api.csip('uk-carrier'), { csi, rk: alice.publicKey });
    const older = mapping(alice, att, { serial: nextSerial() });
    const olderRemoval = removal(alice, { csi, serial: nextSerial() });
    const newer = mapping(alice, att, { serial: nextSerial() });
    expect((await api.post('mappings', newer)).status).toBe(200);

    const replayed = await api.post('mappings', older);
    expect([replayed.status, codeOf(replayed.json)]).toEqual([409, 'stale-serial']);
    const replayedRemoval = await api.post('removals', olderRemoval);
    expect([replayedRemoval.status, codeOf(replayedRemoval.json)]).toEqual([409, 'stale-serial']);
    expect(await api.mspmap(csi)).toEqual([newer]);

    // After a removal, the removed mapping cannot be replayed back.
    expect((await api.post('removals', removal(alice, { csi }))).status).toBe(200);
    const back = await api.post('mappings', newer);
    expect([back.status, codeOf(back.json)]).toEqual([409, 'stale-serial']);
    expect(await api.mspmap(csi)).toEqual([]);
  });
});

describe('new, unassignment and epochs', () => {
  it('`new` removes every earlier mapping of the csi', async () => {
    const csi = '+447700900502';
    const alice = recipient();
    const att = attest(api.csip('uk-carrier'), { csi, rk: alice.publicKey });
    for (const id of ['personal', 'work'])
      expect((await api.post('mappings', mapping(alice, att, { id }))).status).toBe(200);
    expect(await api.mspmap(csi)).toHaveLength(2);

    const fresh = mapping(alice, att, { id: 'travel', new: true });
    const response = await api.post('mappings', fresh);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ removed: ['personal', 'work'] });
    expect(await api.mspmap(csi)).toEqual([fresh]);
  });

  it('an unassignment removes the lower epochs and the old key is stale after it', async () => {
    const csi = '+447700900503';
    const alice = recipient();
    const att = attest(api.csip('uk-carrier'), { csi, rk: alice.publicKey, epoch: 1 });
    expect((await api.post('mappings', mapping(alice, att))).status).toBe(200);

    const notice = unassignment(api.csip('uk-carrier'), { csi, epoch: 2 });
    const response = await api.post('removals', notice);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, kind: 'unassignment', csi, epoch: 2, removed: ['personal'] });
    expect(await api.mspmap(csi)).toEqual([]);

    const again = await api.post('mappings', mapping(alice, att));
    expect([again.status, codeOf(again.json)]).toEqual([403, 'stale-epoch']);
    expect(await api.mspmap(csi)).toEqual([]);
  });

  it('a publish with a higher epoch leaves nothing of the previous holder', async () => {
    const csi = '+447700900504';
    const previous = recipient();
    const oldAtt = attest(api.csip('uk-carrier'), { csi, rk: previous.publicKey, epoch: 1 });
    for (const id of ['personal', 'work'])
      expect((await api.post('mappings', mapping(previous, oldAtt, { id }))).status).toBe(200);

    const holder = recipient();
    const newAtt = attest(api.csip('uk-carrier'), { csi, rk: holder.publicKey, epoch: 2 });
    const mine = mapping(holder, newAtt, { id: 'mine' });
    const response = await api.post('mappings', mine);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ removed: ['personal', 'work'] });
    expect(await api.mspmap(csi)).toEqual([mine]);

    const oldRemoval = await api.post('removals', removal(previous, { csi }));
    expect([oldRemoval.status, codeOf(oldRemoval.json)]).toEqual([403, 'stale-epoch']);
    const oldPublish = await api.post('mappings', mapping(previous, oldAtt, { id: 'back' }));
    expect([oldPublish.status, codeOf(oldPublish.json)]).toEqual([403, 'stale-epoch']);
    expect(await api.mspmap(csi)).toEqual([mine]);
  });
});

describe('limits per csi', () => {
  it('refuses a 17th mapping: 409 too-many-mappings', async () => {
    const csi = '+447700900505';
    const alice = recipient();
    const att = attest(api.csip('uk-carrier'), { csi, rk: alice.publicKey });
    for (let i = 0; i < 16; i++) {
      expect((await api.post('mappings', mapping(alice, att, { id: `m${i}` }))).status).toBe(200);
    }
    const response = await api.post('mappings', mapping(alice, att, { id: 'm16' }));
    expect([response.status, codeOf(response.json)]).toEqual([409, 'too-many-mappings']);
    expect(await api.mspmap(csi)).toHaveLength(16);
  });

  it('refuses a mapping that takes the csi past 16,384 octets: 409 csi-budget', async () => {
    const csi = '+447700900506';
    const alice = recipient();
    const att = attest(api.csip('uk-carrier'), { csi, rk: alice.publicKey });
    // 16 MSPs with 3 tags of 60 octets: about 3,500 octets per mapping.
    const msps: MspEntry[] = Array.from({ length: 16 }, (_, i) => ({
      msp: `msp${i}.example`,
      pri: i,
      tags: ['a', 'b', 'c'].map((letter) => letter.repeat(60)),
    }));
    const sizes: number[] = [];
    let response: { status: number; json: unknown } | undefined;
    for (let i = 0; i < 6; i++) {
      const object = mapping(alice, att, { id: `big${i}`, msps });
      sizes.push(object.length);
      response = await api.post('mappings', object);
      if (response.status !== 200) break;
    }
    expect([response!.status, codeOf(response!.json)]).toEqual([409, 'csi-budget']);
    const served = await api.mspmap(csi);
    const total = served.reduce((sum, rdata) => sum + rdata.length, 0);
    expect(total).toBeLessThanOrEqual(16_384);
    expect(total + sizes[sizes.length - 1]!).toBeGreaterThan(16_384);
  });
});
