/**
 * `mimi remove` submitting to the management API (DESIGN §7 `POST /v1/removals`, §8),
 * in-process against a stand-in DP on 127.0.0.1: removals by the recipient and
 * unassignments by the CSIP reach the delegated DP as signed, what was removed is
 * printed, a refusal is one plain line, and the serial is shared with `publish` (DESIGN
 * §4: serials increase "across publishes and removals").
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePrivateKeyFile } from '@mimi/crypto';
import { decodeMapping, decodeRemoval, decodeUnassignment, signAttestation } from '@mimi/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/app.js';
import { objectLine } from '../src/objects/object-text.js';
import { writeClientConfig } from './helpers/config.js';
import {
  DP_HOST,
  delegationResolver,
  delegationTo,
  errorReply,
  type FakeDp,
  okReply,
  startFakeDp,
} from './helpers/fake-dp.js';
import { CSIP, RECIPIENT } from './helpers/keys.js';
import { FIXED_NOW, FIXED_NOW_MS, memoryIo } from './helpers/memory-io.js';

const CSI = '+447700900123';

let dp: FakeDp;
let root: string;
let dir: string;
let caseNumber = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mimi-remove-submit-'));
  dp = await startFakeDp(join(root, 'tls'));
});

afterAll(async () => {
  await dp.close();
});

beforeEach(async () => {
  dir = join(root, `case-${++caseNumber}`);
  writeClientConfig(dir, { ca: dp.caFile, relay: null });
  await writePrivateKeyFile(join(dir, 'alice.key'), RECIPIENT.key);
  await writePrivateKeyFile(join(dir, 'csip.key'), CSIP.key);
  dp.received.length = 0;
});

async function run(argv: string[]) {
  const asked: string[] = [];
  const io = memoryIo({ cwd: dir });
  const code = await runCli(argv, io, {
    createResolver: delegationResolver({ delegation: delegationTo({ api: dp.api }) }, asked),
  });
  return { code, stdout: io.stdout.text, stderr: io.stderr.text, asked };
}

describe('remove by the recipient', () => {
  it('--id: POSTs the removal to /v1/removals of the delegated DP and prints what went', async () => {
    dp.reply(okReply(CSI, FIXED_NOW_MS, ['work'], 'removal'));
    const ok = await run(['remove', '--key', 'alice.key', '--csi', '+44 7700 900123', '--id', 'work']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.asked).toEqual([CSI]);
    expect(dp.received).toHaveLength(1);
    expect(dp.received[0]).toMatchObject({ method: 'POST', path: '/v1/removals' });
    expect(decodeRemoval(dp.received[0]!.object)).toMatchObject({
      csi: CSI,
      rk: RECIPIENT.pub,
      ids: ['work'],
      serial: FIXED_NOW_MS,
      iat: FIXED_NOW,
    });
    expect(ok.stdout).toBe(
      [
        `removed work from ${CSI}`,
        `  serial     ${FIXED_NOW_MS}`,
        `  dp         ${dp.api} (${DP_HOST})`,
        '',
      ].join('\n'),
    );
  });

  it('a CSI that does not normalize: exit 2, nothing sent', async () => {
    // A national form without a region is not a CSI (DESIGN §3).
    const out = await run(['remove', '--key', 'alice.key', '--csi', '07700 900123', '--id', 'work']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^mimi: invalid CSI '07700 900123'/);
    expect(dp.received).toHaveLength(0);
  });

  it('--all that matched nothing says so', async () => {
    dp.reply(okReply(CSI, FIXED_NOW_MS, [], 'removal'));
    const out = await run(['remove', '--key', 'alice.key', '--csi', CSI, '--all']);
    expect(out.code).toBe(0);
    expect(decodeRemoval(dp.received[0]!.object).all).toBe(true);
    expect(out.stdout.split('\n')[0]).toBe(`nothing removed from ${CSI}: no mapping matched (every mapping)`);
  });

  it('a key that published nothing there: exit 2 and the R10 words', async () => {
    dp.reply(errorReply(403, 'not-authorized', 'the removal key signed none of its mappings'));
    const out = await run(['remove', '--key', 'alice.key', '--csi', CSI, '--all']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      `mimi: the dp refused the removal: this key published no mapping of ${CSI}, so it cannot remove any (only the recipient or its csip can) [not-authorized from ${DP_HOST}]\n`,
    );
  });

  it('a publish and a removal in the same millisecond get increasing serials', async () => {
    const att = signAttestation(
      {
        v: 1,
        csi: CSI,
        rk: RECIPIENT.pub,
        csip: 'uk-carrier',
        epoch: 1,
        iat: FIXED_NOW,
        exp: FIXED_NOW + 9999,
      },
      CSIP.key,
    );
    writeFileSync(join(dir, 'alice.att'), objectLine(att.bytes));
    dp.reply(okReply(CSI, 0));
    const published = await run([
      'publish',
      '--key',
      'alice.key',
      '--attestation',
      'alice.att',
      '--id',
      'work',
      '--msp',
      'a.example',
    ]);
    expect(published.code).toBe(0);
    dp.reply(okReply(CSI, 0, ['work'], 'removal'));
    expect((await run(['remove', '--key', 'alice.key', '--csi', CSI, '--id', 'work'])).code).toBe(0);
    expect(decodeMapping(dp.received[0]!.object).serial).toBe(FIXED_NOW_MS);
    expect(decodeRemoval(dp.received[1]!.object).serial).toBe(FIXED_NOW_MS + 1);
  });
});

describe('a removal refused as stale', () => {
  it('learns the serial the DP names, so the same removal run again is above it', async () => {
    const dpLast = FIXED_NOW_MS + 77;
    dp.reply(
      errorReply(
        409,
        'stale-serial',
        `serial ${FIXED_NOW_MS} is not above the last accepted serial ${dpLast} of this key`,
      ),
      okReply(CSI, 0, ['work'], 'removal'),
    );
    expect((await run(['remove', '--key', 'alice.key', '--csi', CSI, '--id', 'work'])).code).toBe(2);
    expect((await run(['remove', '--key', 'alice.key', '--csi', CSI, '--id', 'work'])).code).toBe(0);
    expect(dp.received.map((request) => decodeRemoval(request.object).serial)).toEqual([
      FIXED_NOW_MS,
      dpLast + 1,
    ]);
  });
});

describe('unassignment by the CSIP', () => {
  it('POSTs the unassignment and prints the void epochs and what went', async () => {
    dp.reply({
      status: 200,
      body: { ok: true, kind: 'unassignment', csi: CSI, epoch: 2, removed: ['personal', 'work'] },
    });
    const out = await run([
      'remove',
      '--csip-key',
      'csip.key',
      '--csip-id',
      'uk-carrier',
      '--csi',
      CSI,
      '--unassigned',
      '--epoch',
      '2',
    ]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(dp.received[0]!.path).toBe('/v1/removals');
    expect(decodeUnassignment(dp.received[0]!.object)).toMatchObject({
      csi: CSI,
      csip: 'uk-carrier',
      epoch: 2,
      iat: FIXED_NOW,
    });
    expect(out.stdout).toBe(
      [
        `unassigned ${CSI}: attestations below epoch 2 are void`,
        '  removed    personal, work',
        '  csip       uk-carrier',
        `  dp         ${dp.api} (${DP_HOST})`,
        '',
      ].join('\n'),
    );
  });
});

describe('usage is checked before the configuration or the network', () => {
  it.each([
    [
      ['--unassigned', '--key', 'alice.key', '--csip-id', 'x', '--epoch', '2'],
      '--key does not go with --unassigned',
    ],
    [['--key', 'alice.key', '--id', 'a', '--all'], '--id and --all cannot be used together'],
    [['--key', 'alice.key'], 'give --id ID (repeatable), --all or --unassigned'],
    [['--id', 'a'], 'a removal (--id or --all) needs --key'],
  ])('%j: exit 2 without reading a configuration', async (extra, message) => {
    const io = memoryIo({ cwd: dir, env: { MIMI_CONFIG: join(root, 'missing.json') } });
    const code = await runCli(['remove', '--csi', CSI, ...extra], io);
    expect(code).toBe(2);
    expect(io.stderr.text).toBe(`mimi: ${message} (see 'mimi remove --help')\n`);
    expect(dp.received).toHaveLength(0);
  });
});
