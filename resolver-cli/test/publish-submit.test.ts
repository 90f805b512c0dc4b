/**
 * `mimi publish` submitting to the management API (DESIGN §7, §8), in-process against a
 * stand-in DP on 127.0.0.1: the DP comes from the validated delegation (or `--dp`), TLS is
 * checked against its host name with the configured CA, the object sent is the one
 * signed, what was published is printed, refusals become one plain line with exit 2
 * (the object) or 3 (the service), and serials never repeat.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePrivateKeyFile } from '@mimi/crypto';
import { decodeMapping, signAttestation } from '@mimi/protocol';
import { ResolverError } from '@mimi/stub-resolver';
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
const YEAR = 365 * 86_400;

let dp: FakeDp;
let root: string;
let dir: string;
let caseNumber = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mimi-publish-submit-'));
  dp = await startFakeDp(join(root, 'tls'));
});

afterAll(async () => {
  await dp.close();
});

/** Each test in its own directory: its own key file, serial state and configuration. */
beforeEach(async () => {
  dir = join(root, `case-${++caseNumber}`);
  writeClientConfig(dir, { ca: dp.caFile, relay: null });
  await writePrivateKeyFile(join(dir, 'alice.key'), RECIPIENT.key);
  const att = signAttestation(
    {
      v: 1,
      csi: CSI,
      rk: RECIPIENT.pub,
      csip: 'uk-carrier',
      epoch: 1,
      iat: FIXED_NOW,
      exp: FIXED_NOW + YEAR,
    },
    CSIP.key,
  );
  writeFileSync(join(dir, 'alice.att'), objectLine(att.bytes));
  dp.received.length = 0;
  dp.reply(okReply(CSI, FIXED_NOW_MS));
});

const PUBLISH = [
  'publish',
  '--key',
  'alice.key',
  '--attestation',
  'alice.att',
  '--id',
  'personal',
  '--msp',
  'whatsapp.example:Personal',
  '--msp',
  'wire.example:Business,Work@25',
];

async function run(argv: string[], delegation = delegationTo({ api: dp.api }), nowMs = FIXED_NOW_MS) {
  const asked: string[] = [];
  const io = memoryIo({ cwd: dir, nowMs });
  const code = await runCli(argv, io, { createResolver: delegationResolver({ delegation }, asked) });
  return { code, stdout: io.stdout.text, stderr: io.stderr.text, asked };
}

describe('publish through the delegation', () => {
  it('POSTs the signed mapping to /v1/mappings of the delegated DP and prints what was published', async () => {
    const out = await run([...PUBLISH, '--same-msp-only']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.asked).toEqual([CSI]);
    expect(dp.received).toHaveLength(1);
    const request = dp.received[0]!;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/mappings', contentType: 'application/json' });
    const mapping = decodeMapping(request.object);
    expect(mapping).toMatchObject({
      csi: CSI,
      id: 'personal',
      serial: FIXED_NOW_MS,
      iat: FIXED_NOW,
      exp: FIXED_NOW + 90 * 86_400,
      policy: { sameMspOnly: true },
      msps: [
        { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
        { msp: 'wire.example', pri: 25, tags: ['Business', 'Work'] },
      ],
    });
    expect(out.stdout).toBe(
      [
        `published mapping personal of ${CSI}`,
        `  serial     ${FIXED_NOW_MS}`,
        '  expires    2026-04-01T00:00:00Z',
        '  csip       uk-carrier, epoch 1',
        '  policy     sameMspOnly (senders reach you only on their own msp)',
        '  msps       PRI  MSP               TAGS',
        '             10   whatsapp.example  Personal',
        '             25   wire.example      Business, Work',
        `  dp         ${dp.api} (${DP_HOST})`,
        '',
      ].join('\n'),
    );
  });

  it('prints the mappings the DP removed (--new) and an opted-out mapping', async () => {
    dp.reply(okReply(CSI, FIXED_NOW_MS, ['personal', 'work']));
    const out = await run([
      'publish',
      '--key',
      'alice.key',
      '--attestation',
      'alice.att',
      '--id',
      'personal',
      '--opt-out',
      '--new',
    ]);
    expect(out.code).toBe(0);
    expect(decodeMapping(dp.received[0]!.object)).toMatchObject({ new: true, msps: [] });
    expect(out.stdout).toContain('  msps       none (found on no msp: opted out)\n');
    // The replaced id is the mapping itself, not something removed.
    expect(out.stdout).toContain('  removed    work\n');
  });

  it('the expiry shown is the earlier of the mapping and the attestation (DESIGN §6)', async () => {
    const out = await run([...PUBLISH, '--days', '400']);
    expect(decodeMapping(dp.received[0]!.object).exp).toBe(FIXED_NOW + 400 * 86_400);
    expect(out.stdout).toContain('  expires    2027-01-01T00:00:00Z\n');
  });

  it('fails over to the next server of the zone when one cannot be reached', async () => {
    const out = await run(PUBLISH, delegationTo({ api: 'https://127.0.0.1:1' }, { api: dp.api }));
    expect(out.code).toBe(0);
    expect(dp.received).toHaveLength(1);
    expect(out.stdout).toContain(`  dp         ${dp.api} (${DP_HOST})\n`);
  });

  it('checks the certificate against the host name the delegation gives (exit 3)', async () => {
    const out = await run(PUBLISH, delegationTo({ api: dp.api, host: 'mail.nic.mimi.arpa' }));
    expect(out.code).toBe(3);
    expect(dp.received).toHaveLength(0);
    expect(out.stderr).toBe(
      `mimi: cannot reach the dp at ${dp.api} (mail.nic.mimi.arpa): its tls certificate is not valid for mail.nic.mimi.arpa (err_tls_cert_altname_invalid)\n`,
    );
  });

  it('no server reachable at all: exit 3, naming the first and counting the rest', async () => {
    const out = await run(
      PUBLISH,
      delegationTo({ api: 'https://127.0.0.1:1' }, { api: 'https://127.0.0.1:2' }),
    );
    expect(out.code).toBe(3);
    expect(out.stderr).toBe(
      `mimi: cannot reach the dp at https://127.0.0.1:1 (${DP_HOST}): connection refused (and 1 more servers failed)\n`,
    );
  });

  it('no DP serves the CSI: exit 2, pointing at --dp', async () => {
    const error = new ResolverError(
      'no-delegation',
      "no authoritative dp serves '+447700900123' (its name is in mimi.arpa.)",
    );
    const io = memoryIo({ cwd: dir });
    const code = await runCli(PUBLISH, io, { createResolver: delegationResolver({ error }) });
    expect(code).toBe(2);
    expect(io.stderr.text).toBe(
      "mimi: no authoritative dp serves '+447700900123' (its name is in mimi.arpa.); give the dp with --dp URL\n",
    );
  });

  it('without a client configuration and without --dp: exit 2 before anything is signed', async () => {
    const io = memoryIo({ cwd: dir, env: { MIMI_CONFIG: join(root, 'missing.json') } });
    const code = await runCli(PUBLISH, io, {
      createResolver: delegationResolver({ error: new Error('unused') }),
    });
    expect(code).toBe(2);
    expect(io.stderr.text).toBe(`mimi: ${join(root, 'missing.json')}: cannot read (enoent)\n`);
    expect(dp.received).toHaveLength(0);
    expect(existsSync(join(dir, 'alice.key.serials.json'))).toBe(false);
  });
});

describe('--dp and --csi', () => {
  it('--dp names the DP: no discovery, the certificate checked against the url host', async () => {
    const out = await run([...PUBLISH, '--dp', dp.api], delegationTo({ api: 'https://127.0.0.1:1' }));
    expect(out.code).toBe(0);
    expect(out.asked).toEqual([]);
    expect(dp.received).toHaveLength(1);
    expect(out.stdout).toContain(`  dp         ${dp.api}\n`);
  });

  it('--dp without any configuration trusts only the system CAs, so the throwaway CA fails (exit 3)', async () => {
    // Another working directory: no .mimi/client.json there, and no MIMI_CONFIG.
    const io = memoryIo({ cwd: join(root, 'nowhere') });
    const argv = PUBLISH.map((arg) => (arg.startsWith('alice.') ? join(dir, arg) : arg));
    const code = await runCli([...argv, '--dp', dp.api], io);
    expect(code).toBe(3);
    expect(io.stderr.text).toMatch(
      /^mimi: cannot reach the dp at https:\/\/127\.0\.0\.1:\d+: its tls certificate is not valid for 127\.0\.0\.1 \(/,
    );
    expect(dp.received).toHaveLength(0);
  });

  it.each([
    ['http://127.0.0.1:1', "mimi: --dp must be an https url, got 'http://127.0.0.1:1'\n"],
    [
      'https://127.0.0.1:1/dns-query',
      "mimi: --dp takes the base url of the dp without a path, e.g. https://127.0.0.1:1, got 'https://127.0.0.1:1/dns-query'\n",
    ],
  ])('--dp %s: exit 2', async (url, line) => {
    const out = await run([...PUBLISH, '--dp', url]);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(line);
    expect(dp.received).toHaveLength(0);
  });

  it('--csi that is not the attested CSI: exit 2, nothing signed, sent or recorded', async () => {
    const out = await run([...PUBLISH, '--csi', '+44 7700 900124']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('mimi: attestation is for +447700900123, not +447700900124\n');
    expect(dp.received).toHaveLength(0);
    expect(existsSync(join(dir, 'alice.key.serials.json'))).toBe(false);
  });

  it('--csi that is the attested CSI, in another form, is accepted', async () => {
    const out = await run([...PUBLISH, '--csi', 'tel:+44 (7700) 900-123']);
    expect(out.code).toBe(0);
    expect(dp.received).toHaveLength(1);
  });
});

describe('refusals: one plain line; exit 2 for the object, 3 for the service', () => {
  it.each([
    [
      errorReply(409, 'stale-serial', 'serial 1 is not above 2'),
      2,
      `mimi: the dp refused the mapping: a newer mapping or removal of ${CSI} was already accepted from this key (serial ${FIXED_NOW_MS} is not above it) [stale-serial from ${DP_HOST}]\n`,
    ],
    [
      errorReply(403, 'stale-epoch', 'attestation epoch 1 is below 2'),
      2,
      `mimi: the dp refused the mapping: ${CSI} was re-assigned after this attestation (epoch 1); only a newer attestation from the csip can publish it now [stale-epoch from ${DP_HOST}]\n`,
    ],
    [
      errorReply(404, 'not-served-here', 'not here'),
      2,
      `mimi: the dp refused the mapping: ${DP_HOST} does not serve ${CSI}; it belongs to another dp [not-served-here from ${DP_HOST}]\n`,
    ],
    [
      errorReply(409, 'too-many-mappings', 'too many'),
      2,
      `mimi: the dp refused the mapping: ${CSI} already has 16 mappings, the most allowed; remove one, or publish with an existing --id to replace it [too-many-mappings from ${DP_HOST}]\n`,
    ],
    [
      errorReply(429, 'rate-limited', 'slow down'),
      3,
      `mimi: the dp could not take the mapping: too many requests from this address; wait a moment and try again [rate-limited from ${DP_HOST}]\n`,
    ],
    [
      errorReply(503, 'unavailable', 'root unreachable'),
      3,
      `mimi: the dp could not take the mapping: the dp cannot check it right now (root unreachable); try again later [unavailable from ${DP_HOST}]\n`,
    ],
    [
      { status: 500, body: 'oops' },
      3,
      `mimi: the dp could not take the mapping: http status 500 without an error body [http-500 from ${DP_HOST}]\n`,
    ],
    [
      { status: 200, body: { ok: false } },
      3,
      `mimi: the dp could not take the mapping: the 200 answer is not {"ok": true, ...} [bad-answer from ${DP_HOST}]\n`,
    ],
  ])('%j → exit %i', async (reply, code, line) => {
    dp.reply(reply);
    const out = await run(PUBLISH);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(line);
    expect(out.code).toBe(code);
  });
});

describe('serials (DESIGN §4: strictly increasing per CSI and key)', () => {
  it('two publishes in the same millisecond get serials N and N+1; the state file is mode 0600', async () => {
    expect((await run(PUBLISH)).code).toBe(0);
    expect((await run(PUBLISH)).code).toBe(0);
    const serials = dp.received.map((request) => decodeMapping(request.object).serial);
    expect(serials).toEqual([FIXED_NOW_MS, FIXED_NOW_MS + 1]);
    const state = join(dir, 'alice.key.serials.json');
    expect(statSync(state).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ v: 1, serials: { [CSI]: FIXED_NOW_MS + 1 } });
  });

  it('a clock set back still moves the serial forward', async () => {
    await run(PUBLISH, undefined, FIXED_NOW_MS);
    await run(PUBLISH, undefined, FIXED_NOW_MS - 86_400_000);
    const serials = dp.received.map((request) => decodeMapping(request.object).serial);
    expect(serials).toEqual([FIXED_NOW_MS, FIXED_NOW_MS + 1]);
  });

  it('--serial is sent as given; a refused publish still moves the next default serial on', async () => {
    dp.reply(errorReply(409, 'stale-serial', 'stale'));
    expect((await run([...PUBLISH, '--serial', String(FIXED_NOW_MS + 500)])).code).toBe(2);
    dp.reply(okReply(CSI, 0));
    expect((await run(PUBLISH)).code).toBe(0);
    const serials = dp.received.map((request) => decodeMapping(request.object).serial);
    expect(serials).toEqual([FIXED_NOW_MS + 500, FIXED_NOW_MS + 501]);
  });

  it('a stale-serial refusal naming the last accepted serial teaches the next publish', async () => {
    const dpLast = FIXED_NOW_MS + 5_000;
    dp.reply(
      errorReply(
        409,
        'stale-serial',
        `serial ${FIXED_NOW_MS} for ${CSI} is not above the last accepted serial ${dpLast} of this key`,
      ),
      okReply(CSI, dpLast + 1),
    );
    const first = await run(PUBLISH);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(`(serial ${FIXED_NOW_MS} is not above ${dpLast}, the last one accepted)`);
    expect((await run(PUBLISH)).code).toBe(0);
    const serials = dp.received.map((request) => decodeMapping(request.object).serial);
    expect(serials).toEqual([FIXED_NOW_MS, dpLast + 1]);
  });

  it('--dry-run contacts no DP and records nothing', async () => {
    const out = await run([...PUBLISH, '--dry-run']);
    expect(out.code).toBe(0);
    expect(out.asked).toEqual([]);
    expect(dp.received).toHaveLength(0);
    expect(decodeMapping(Buffer.from(out.stdout.trim(), 'base64url')).serial).toBe(FIXED_NOW_MS);
    expect(existsSync(join(dir, 'alice.key.serials.json'))).toBe(false);
  });
});
