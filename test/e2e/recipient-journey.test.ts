/**
 * Recipients in control, end to end (DESIGN §1 R1, R2, R9, R10; §4 DP state rules; §8):
 * on a demo network started in a temporary directory (the real servers as child
 * processes), a recipient types the `mimi` commands of docs/RECIPIENTS.md — keygen,
 * attest (with the demo CSIP key), publish two mappings, resolve (table, JSON,
 * --select), update, remove one, remove all — and every step shows at once in `mimi
 * resolve`. Then what must NOT work: another key publishing or removing, replays of an
 * older mapping or removal, and a previous holder after an unassignment or a
 * higher-epoch publish.
 *
 * Steps share the network and run in order. Objects are signed with the real clock.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64Url } from '@mimi/crypto';
import { type RunningNetwork, startNetwork } from '@mimi/demo';
import { csiOwnerName, decodeMapping, normalizeCsi, RRType } from '@mimi/protocol';
import { dohQuery, networkTokens, postObject } from '@mimi/test-support';
import type { TokenClient } from '@mimi/tokens';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, type CliRun, mimi, REPO_ROOT, resolveJson } from './helpers/cli.js';

const STEP_TIMEOUT_MS = 180_000;
// Generous for a loaded machine: each step runs a few `mimi` processes against real servers.
vi.setConfig({ testTimeout: STEP_TIMEOUT_MS, hookTimeout: STEP_TIMEOUT_MS });
const CSI = '+447700900555';
const QNAME = csiOwnerName(normalizeCsi(CSI), 'mimi.arpa.');
const UK_CSIP_KEY = '.mimi/keys/csip/uk-carrier.key';

let network: RunningNetwork;
let dir: string;
let tel: { api: string; doh: string };
let ca: string;
/** The demo's DPs want a token for a CSI lookup over DoH (DESIGN §7). */
let tokens: TokenClient;

const run = (...args: string[]) => mimi(args, dir);

function ok(out: CliRun): CliRun {
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  return out;
}

/** The one line a refusal prints, and its exit code. */
function refused(out: CliRun, code: number): string {
  expect(out.stdout).toBe('');
  expect(out.code).toBe(code);
  expect(out.stderr.endsWith('\n')).toBe(true);
  expect(out.stderr.split('\n')).toHaveLength(2);
  return out.stderr.trim();
}

async function resolved(csi = CSI) {
  const [result] = await resolveJson([csi], dir);
  return result!;
}

/** The serial `publish` or `remove` printed. */
function serialOf(out: CliRun): number {
  const match = /^ {2}serial {5}(\d+)$/m.exec(out.stdout);
  expect(match).not.toBeNull();
  return Number(match![1]);
}

/** The exact signed objects the DP serves now at `qname` (the MSPMAP RDATA), by mapping id. */
async function servedObjects(qname = QNAME): Promise<Map<string, Uint8Array>> {
  const token = await tokens.token();
  const answer = await dohQuery(tel.doh, ca, { name: qname, type: RRType.MSPMAP, token });
  const out = new Map<string, Uint8Array>();
  for (const record of answer.answers) {
    if (record.type === RRType.MSPMAP) out.set(decodeMapping(record.rdata).id, record.rdata);
  }
  return out;
}

/** `mimi publish` as `who`: its key and attestation are `<who>.key` and `<who>.att`. */
const publish = (who: string, id: string, ...extra: string[]) =>
  run('publish', '--key', `${who}.key`, '--attestation', `${who}.att`, '--id', id, ...extra);

/** `mimi remove` as `who`. */
const removeAs = (who: string, csi: string, ...extra: string[]) =>
  run('remove', '--key', `${who}.key`, '--csi', csi, ...extra);

/** A new recipient `who`: `mimi keygen`, then `mimi attest` by a demo CSIP; its public key. */
async function recipient(
  who: string,
  csi: string,
  { epoch = '1', csip = 'uk-carrier' }: { epoch?: string; csip?: string } = {},
): Promise<string> {
  const pub = ok(await run('keygen', '--out', `${who}.key`)).stdout.trim();
  const csipKey = `.mimi/keys/csip/${csip}.key`;
  const attest = ['--csip-key', csipKey, '--csip-id', csip, '--csi', csi, '--recipient-pub', pub];
  ok(await run('attest', ...attest, '--epoch', epoch, '--out', `${who}.att`));
  return pub;
}

beforeAll(async () => {
  assertBuilt(join(REPO_ROOT, 'root-dp/dist/main.js'), join(REPO_ROOT, 'authoritative-dp/dist/main.js'));
  dir = mkdtempSync(join(tmpdir(), 'mimi-journey-'));
  network = await startNetwork({ stateDir: join(dir, '.mimi'), repoRoot: REPO_ROOT });
  const server = network.network.servers.find((s) => s.name === 'tel')!;
  tel = { api: server.api!, doh: server.doh };
  ca = readFileSync(network.network.ca, 'utf8');
  tokens = networkTokens(network.privacy!, ca);
}, STEP_TIMEOUT_MS);

afterAll(async () => {
  await tokens?.close();
  await network?.stop();
}, STEP_TIMEOUT_MS);

describe('a recipient publishes, updates and removes, and each step shows at once', () => {
  let alicePub: string;
  let firstPersonal: Uint8Array;
  let personalSerial: number;

  it('keygen, then an attestation from the demo CSIP key', async () => {
    alicePub = ok(await run('keygen', '--out', 'alice.key')).stdout.trim();
    expect(alicePub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const csip = ['--csip-key', UK_CSIP_KEY, '--csip-id', 'uk-carrier'];
    const out = ok(
      await run(
        'attest',
        ...csip,
        '--csi',
        '+44 7700 900555',
        '--recipient-pub',
        alicePub,
        '--out',
        'alice.att',
      ),
    );
    expect(out.stdout).toContain(`attestation of ${CSI} by csip uk-carrier`);
    expect((await resolved()).status).toBe('no-mapping');
  });

  it('publish two mappings: the DP is found through the delegation, and what was published is printed', async () => {
    const personal = ok(
      await publish(
        'alice',
        'personal',
        '--msp',
        'signal.example:Personal,Family@5',
        '--msp',
        'whatsapp.example:Personal',
      ),
    );
    personalSerial = serialOf(personal);
    const literal = (text: string) => text.replace(/[.+()]/g, '\\$&');
    expect(personal.stdout).toMatch(
      new RegExp(
        [
          `^published mapping personal of ${literal(CSI)}`,
          ' {2}serial {5}\\d+',
          ' {2}expires {4}\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ',
          ' {2}csip {7}uk-carrier, epoch 1',
          ' {2}msps {7}PRI {2}MSP {15}TAGS',
          ' {13}5 {4}signal\\.example {4}Personal, Family',
          ' {13}20 {3}whatsapp\\.example {2}Personal',
          ` {2}dp {9}${literal(`${tel.api} (tel.nic.mimi.arpa)`)}`,
          '$',
        ].join('\n'),
      ),
    );
    const work = ok(
      await publish(
        'alice',
        'work',
        '--msp',
        'wire.example:Business',
        '--msp',
        'teams.example:Business@30',
        '--same-msp-only',
      ),
    );
    expect(work.stdout).toContain('  policy     sameMspOnly (senders reach you only on their own msp)\n');
    expect(serialOf(work)).toBeGreaterThan(personalSerial);
    firstPersonal = (await servedObjects()).get('personal')!;
    expect(firstPersonal).toBeDefined();
  });

  it('resolve shows both, with pri, tags and policy (table)', async () => {
    const out = ok(await run('resolve', CSI));
    expect(out.stdout).toContain(`${CSI}  found  2 verified mappings`);
    expect(out.stdout).toContain(`    recipient  ${alicePub}\n`);
    expect(out.stdout).toContain('    policy     sameMspOnly\n');
    expect(out.stdout).toMatch(
      / {4}msps {7}PRI {2}MSP {15}TAGS\n {15}5 {4}signal\.example {4}Personal, Family\n/,
    );
    expect(out.stdout).toMatch(/ {15}30 {3}teams\.example {2}Business\n/);
  });

  it('resolve --json shows both exactly as published', async () => {
    const result = await resolved();
    expect(result.status).toBe('found');
    expect(result.warnings).toEqual([]);
    expect(result.mappings.map((m) => [m.id, m.recipientKey, m.csip, m.epoch, m.policy])).toEqual([
      ['personal', alicePub, 'uk-carrier', 1, {}],
      ['work', alicePub, 'uk-carrier', 1, { sameMspOnly: true }],
    ]);
    expect(result.mappings[0]!.serial).toBe(personalSerial);
    expect(result.mappings[0]!.msps).toEqual([
      { msp: 'signal.example', pri: 5, tags: ['Personal', 'Family'] },
      { msp: 'whatsapp.example', pri: 20, tags: ['Personal'] },
    ]);
    expect(result.mappings[1]!.msps).toEqual([
      { msp: 'wire.example', pri: 10, tags: ['Business'] },
      { msp: 'teams.example', pri: 30, tags: ['Business'] },
    ]);
  });

  const personalChoice = `${CSI}  signal.example  (pri 5, mapping personal, tags Personal, Family`;
  it.each([
    [[], `${personalChoice})`],
    // The Business MSPs sit in a sameMspOnly mapping: a sender on another MSP is not offered them.
    [['--context', 'Business'], `${personalChoice}; no msp is tagged 'Business'; chosen by pri)`],
    [
      ['--sender-msp', 'wire.example', '--context', 'business'],
      `${CSI}  wire.example  (pri 10, mapping work, tags Business)`,
    ],
    [
      ['--sender-msp', 'teams.example', '--context', 'Business'],
      `${CSI}  teams.example  (pri 30, mapping work, tags Business)`,
    ],
    [['--sender-msp', 'teams.example'], `${personalChoice})`],
  ])('resolve --select %j honours pri, tags and sameMspOnly', async (extra, line) => {
    expect(ok(await run('resolve', CSI, '--select', ...extra)).stdout).toBe(`${line}\n`);
  });

  it('resolve --select --json carries the choice', async () => {
    const [result] = await resolveJson([CSI], dir, [
      '--select',
      '--sender-msp',
      'wire.example',
      '--context',
      'Business',
    ]);
    expect(result!.selected).toMatchObject({ msp: 'wire.example', pri: 10, mappingId: 'work' });
  });

  it('update one: the same id replaces its mapping at once', async () => {
    const serial = serialOf(ok(await publish('alice', 'personal', '--msp', 'whatsapp.example:Personal@1')));
    expect(serial).toBeGreaterThan(personalSerial);
    const result = await resolved();
    expect(result.mappings.map((m) => m.id)).toEqual(['personal', 'work']);
    expect(result.mappings[0]).toMatchObject({
      serial,
      msps: [{ msp: 'whatsapp.example', pri: 1, tags: ['Personal'] }],
    });
    expect(ok(await run('resolve', CSI, '--select')).stdout).toBe(
      `${CSI}  whatsapp.example  (pri 1, mapping personal, tags Personal)\n`,
    );
  });

  it('a replayed older mapping is refused (409 stale-serial) and changes nothing', async () => {
    const replay = await postObject(tel.api, 'mappings', firstPersonal, ca);
    expect(replay.status).toBe(409);
    expect(replay.json).toMatchObject({ error: { code: 'stale-serial' } });
    expect((await resolved()).mappings[0]!.msps.map((m) => m.msp)).toEqual(['whatsapp.example']);
  });

  it('remove one: only the other is left', async () => {
    const out = ok(await removeAs('alice', CSI, '--id', 'work'));
    expect(out.stdout.split('\n')[0]).toBe(`removed work from ${CSI}`);
    expect(out.stdout).toContain(`  dp         ${tel.api} (tel.nic.mimi.arpa)\n`);
    const result = await resolved();
    expect(result.status).toBe('found');
    expect(result.mappings.map((m) => m.id)).toEqual(['personal']);
  });

  it('a replayed older removal is refused and does not take a newer mapping', async () => {
    // A removal of `work` signed now (by the recipient's other device, say), accepted...
    const removal = fromBase64Url(
      ok(await removeAs('alice', CSI, '--id', 'work', '--dry-run')).stdout.trim(),
    );
    expect((await postObject(tel.api, 'removals', removal, ca)).status).toBe(200);
    // ...then `work` published again, with a later serial...
    ok(await publish('alice', 'work', '--msp', 'wire.example:Business'));
    expect((await resolved()).mappings.map((m) => m.id)).toEqual(['personal', 'work']);
    // ...and the old removal sent again: refused, `work` stays.
    const replay = await postObject(tel.api, 'removals', removal, ca);
    expect(replay.status).toBe(409);
    expect(replay.json).toMatchObject({ error: { code: 'stale-serial' } });
    expect((await resolved()).mappings.map((m) => m.id)).toEqual(['personal', 'work']);
  });

  it('publish --new wipes every earlier mapping', async () => {
    const out = ok(await publish('alice', 'family', '--msp', 'signal.example:Family', '--new'));
    expect(out.stdout).toContain('  removed    personal, work\n');
    expect((await resolved()).mappings.map((m) => m.id)).toEqual(['family']);
  });

  it('remove --all: nothing is left (no-mapping, exit 0)', async () => {
    ok(await publish('alice', 'work', '--opt-out'));
    expect((await resolved()).status).toBe('found');
    const out = ok(await removeAs('alice', CSI, '--all'));
    expect(out.stdout.split('\n')[0]).toBe(`removed family, work from ${CSI}`);
    const table = ok(await run('resolve', CSI));
    expect(table.stdout.split('\n')[0]).toBe(
      `${CSI}  no-mapping  authenticated denial: no mapping for this csi`,
    );
    expect((await resolved()).mappings).toEqual([]);
  });
});

describe('only the recipient (R1) and the recipient or its CSIP (R10)', () => {
  it('another key cannot publish: a self-made attestation does not verify (exit 2)', async () => {
    ok(await publish('alice', 'personal', '--msp', 'signal.example'));
    const evePub = ok(await run('keygen', '--out', 'eve.key')).stdout.trim();
    ok(await run('keygen', '--out', 'eve-csip.key'));
    const forged = ['--csip-key', 'eve-csip.key', '--csip-id', 'uk-carrier', '--csi', CSI];
    ok(await run('attest', ...forged, '--recipient-pub', evePub, '--out', 'eve.att'));
    expect(refused(await publish('eve', 'personal', '--msp', 'evil.example'), 2)).toMatch(
      /^mimi: the dp refused the mapping: the signature of the attestation or of the mapping does not verify .*\[bad-signature from tel\.nic\.mimi\.arpa\]$/,
    );
    // With Alice's attestation, Eve's key is not the attested one: refused before sending.
    const stolen = [
      '--key',
      'eve.key',
      '--attestation',
      'alice.att',
      '--id',
      'personal',
      '--msp',
      'evil.example',
    ];
    expect(refused(await run('publish', ...stolen), 2)).toBe(
      `mimi: --key is not the recipient key the attestation for '${CSI}' names`,
    );
    const result = await resolved();
    expect(result.mappings.map((m) => m.msps.map((x) => x.msp))).toEqual([['signal.example']]);
  });

  it('another key cannot remove (403 not-authorized, exit 2)', async () => {
    expect(refused(await removeAs('eve', CSI, '--all'), 2)).toBe(
      `mimi: the dp refused the removal: this key published no mapping of ${CSI}, so it cannot remove any (only the recipient or its csip can) [not-authorized from tel.nic.mimi.arpa]`,
    );
    expect((await resolved()).mappings.map((m) => m.id)).toEqual(['personal']);
  });

  it('--csi states the CSI meant: an attestation for another one is caught before sending', async () => {
    const out = await publish('alice', 'personal', '--csi', '+447700900124', '--msp', 'signal.example');
    expect(refused(out, 2)).toBe(`mimi: attestation is for ${CSI}, not +447700900124`);
  });
});

describe('a re-assigned number keeps nothing of its previous holder', () => {
  it('the CSIP unassigns epoch 1: the mappings go, and the old key can neither publish nor remove', async () => {
    const csip = ['--csip-key', UK_CSIP_KEY, '--csip-id', 'uk-carrier'];
    const out = ok(await run('remove', ...csip, '--csi', CSI, '--unassigned', '--epoch', '2'));
    expect(out.stdout.split('\n').slice(0, 2)).toEqual([
      `unassigned ${CSI}: attestations below epoch 2 are void`,
      '  removed    personal',
    ]);
    expect((await resolved()).status).toBe('no-mapping');
    expect(refused(await publish('alice', 'personal', '--msp', 'signal.example'), 2)).toBe(
      `mimi: the dp refused the mapping: ${CSI} was re-assigned after this attestation (epoch 1); only a newer attestation from the csip can publish it now [stale-epoch from tel.nic.mimi.arpa]`,
    );
    expect(refused(await removeAs('alice', CSI, '--all'), 2)).toBe(
      `mimi: the dp refused the removal: ${CSI} was re-assigned: the mappings of this key belonged to an earlier holder [stale-epoch from tel.nic.mimi.arpa]`,
    );
  });

  it('the new holder publishes with an epoch-2 attestation', async () => {
    const bobPub = await recipient('bob', CSI, { epoch: '2' });
    ok(await publish('bob', 'personal', '--msp', 'wire.example'));
    const result = await resolved();
    expect(result.mappings.map((m) => [m.id, m.recipientKey, m.epoch])).toEqual([['personal', bobPub, 2]]);
  });

  it('without an unassignment, a higher-epoch publish evicts the previous holder at once', async () => {
    const csi = '+447700900556';
    await recipient('ann', csi);
    const carolPub = await recipient('carol', csi, { epoch: '2' });
    ok(await publish('ann', 'personal', '--msp', 'signal.example'));
    ok(await publish('ann', 'work', '--msp', 'wire.example'));
    expect((await resolved(csi)).mappings.map((m) => m.id)).toEqual(['personal', 'work']);
    const out = ok(await publish('carol', 'home', '--msp', 'teams.example'));
    expect(out.stdout).toContain('  removed    personal, work\n');
    const result = await resolved(csi);
    expect(result.mappings.map((m) => [m.id, m.recipientKey, m.epoch])).toEqual([['home', carolPub, 2]]);
    expect(refused(await publish('ann', 'x', '--msp', 'a.example'), 2)).toContain(
      '[stale-epoch from tel.nic.mimi.arpa]',
    );
  });
});

describe('another zone, another DP', () => {
  it('an email address is published to the DP of its domain, found through the delegation', async () => {
    const mail = network.network.servers.find((s) => s.name === 'mail')!;
    const pub = await recipient('dora', 'Dora@Example.com', { csip: 'example-mail' });
    const out = ok(await publish('dora', 'personal', '--msp', 'signal.example:Personal'));
    expect(out.stdout.split('\n')[0]).toBe('published mapping personal of dora@example.com');
    expect(out.stdout).toContain(`  dp         ${mail.api} (mail.nic.mimi.arpa)\n`);
    const result = await resolved('dora@example.com');
    expect(result.mappings.map((m) => [m.id, m.recipientKey, m.msps[0]!.msp])).toEqual([
      ['personal', pub, 'signal.example'],
    ]);
  });
});
