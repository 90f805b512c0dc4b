/**
 * The built `mimi` as a child process, for the CSIP's and recipient's tools (DESIGN §8):
 * attest, csip-key, publish and remove produce objects that @mimi/protocol decodes and
 * verifies; bad input exits 2 with one line naming it; submission is not yet available
 * (exit 3). Objects are signed with the real clock, so checks use windows around it.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64Url, generateEd25519, publicKeyOf, readPrivateKeyFile, toBase64Url } from '@mimi/crypto';
import {
  type CsipKeyRecord,
  decodeCsipKeyRecord,
  decodeMapping,
  parseRecord,
  RRType,
  verifyAttestation,
  verifyMapping,
  verifyRemoval,
  verifyUnassignment,
} from '@mimi/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, mimi } from './helpers/spawn-cli.js';

let dir: string;
const run = (args: string[]) => mimi(args, { cwd: dir });
const now = () => Math.floor(Date.now() / 1000);
/** `mimi attest` by the test CSIP (csip.key, uk-carrier) for `csi`, with the other options given. */
const attest = (csi: string, options: readonly string[]) =>
  run(['attest', '--csip-key', 'csip.key', '--csip-id', 'uk-carrier', '--csi', csi, ...options]);

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'mimi-cli-objects-'));
});

describe('attest, csip-key, publish and remove', () => {
  let csipRecord: CsipKeyRecord;
  let recipientPub: string;

  beforeAll(() => {
    expect(run(['keygen', '--out', 'csip.key']).code).toBe(0);
    recipientPub = run(['keygen', '--out', 'bob.key']).stdout.trim();
  });

  it('csip-key prints a CSIPKEY line that parses back and decodes', async () => {
    const out = run([
      'csip-key',
      '--key',
      'csip.key',
      '--id',
      'uk-carrier',
      '--scope',
      '+44',
      '--scope',
      'Example.com',
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^uk-carrier\.csip\.mimi\.arpa\. 3600 IN CSIPKEY \\# \d+ [0-9a-f]+\n$/);
    const record = parseRecord(out.stdout.trim());
    expect(record.type).toBe(RRType.CSIPKEY);
    csipRecord = decodeCsipKeyRecord(record.rdata);
    const key = await readPrivateKeyFile(join(dir, 'csip.key'));
    expect(csipRecord).toMatchObject({ v: 1, id: 'uk-carrier', scope: ['+44', 'example.com'] });
    expect(csipRecord.pk).toEqual(publicKeyOf(key));
    expect(Math.abs(csipRecord.exp - (now() + 730 * 86_400))).toBeLessThan(60);
  });

  it('csip-key refuses a bad scope entry', () => {
    const out = run(['csip-key', '--key', 'csip.key', '--id', 'uk-carrier', '--scope', '+44x']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe("mimi: --scope '+44x': a phone prefix is '+' and 1-15 digits\n");
  });

  it('attest writes one line that verifies against the CSIP key, and prints a summary', () => {
    const out = attest('+44 7700 900123', [
      '--recipient-pub',
      recipientPub,
      '--epoch',
      '2',
      '--days',
      '30',
      '--out',
      'bob.att',
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('wrote bob.att: attestation of +447700900123 by csip uk-carrier\n');
    expect(out.stdout).toContain(`  recipient  ${recipientPub}\n`);
    const text = readFileSync(join(dir, 'bob.att'), 'utf8');
    expect(text).toMatch(/^[A-Za-z0-9_-]+\n$/);
    const { attestation } = verifyAttestation(fromBase64Url(text.trim()), {
      now: now(),
      csipKeys: [csipRecord],
      expectCsi: '+447700900123',
    });
    expect(attestation.epoch).toBe(2);
    expect(toBase64Url(attestation.rk)).toBe(recipientPub);
    expect(Math.abs(attestation.exp - attestation.iat - 30 * 86_400)).toBe(0);
  });

  it('attest takes a recipient key that begins with a dash (one key in 64), with or without =', () => {
    let dashed = '';
    while (!dashed.startsWith('-')) dashed = toBase64Url(generateEd25519().publicKey);
    for (const [file, pub] of [
      ['dash.att', ['--recipient-pub', dashed]],
      ['dash-eq.att', [`--recipient-pub=${dashed}`]],
    ] as const) {
      const out = attest('+447700900124', [...pub, '--out', file]);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(`  recipient  ${dashed}\n`);
    }
  });

  it('attest never overwrites its output', () => {
    const out = run([
      'attest',
      '--csip-key',
      'csip.key',
      '--csip-id',
      'uk-carrier',
      '--csi',
      '+447700900123',
      '--recipient-pub',
      recipientPub,
      '--out',
      'bob.att',
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('mimi: refusing to overwrite existing file bob.att\n');
  });

  it.each([
    [['--csi', 'bob@'], "mimi: invalid CSI 'bob@': domain '': not a host name"],
    [
      ['--recipient-pub', toBase64Url(Uint8Array.from([1, ...new Array(31).fill(0)]))],
      'mimi: --recipient-pub refused: ed25519 public key is a point of small order',
    ],
    [
      ['--recipient-pub', 'not-a-key'],
      'mimi: --recipient-pub refused: public key must be 43 characters of base64url or 44 of base64',
    ],
    [['--csip-id', 'UK'], "mimi: --csip-id 'UK' must be 1-32 characters of a-z, 0-9 and '-'"],
    [['--epoch', '0'], "mimi: --epoch must be between 1 and 9007199254740991, got '0'"],
    [['--days', 'soon'], "mimi: --days must be a whole number, got 'soon'"],
  ])('attest refuses %j with exit 2', (override, message) => {
    const args: Record<string, string> = {
      '--csip-key': 'csip.key',
      '--csip-id': 'uk-carrier',
      '--csi': '+447700900123',
      '--recipient-pub': recipientPub,
      '--out': 'never.att',
    };
    args[override[0]!] = override[1]!;
    const out = run(['attest', ...Object.entries(args).flat()]);
    expect(out.code).toBe(2);
    expect(out.stderr.startsWith(message)).toBe(true);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a key file readable by others is refused', () => {
    writeFileSync(join(dir, 'loose.key'), readFileSync(join(dir, 'csip.key')));
    chmodSync(join(dir, 'loose.key'), 0o644);
    const out = run(['csip-key', '--key', 'loose.key', '--id', 'uk-carrier', '--scope', '+44']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('is accessible by group or others (mode 0644)');
  });

  it('publish --dry-run prints a mapping that verifies end to end', () => {
    const out = run([
      'publish',
      '--key',
      'bob.key',
      '--attestation',
      'bob.att',
      '--id',
      'personal',
      '--msp',
      'whatsapp.example:Personal',
      '--msp',
      'wire.example:Business',
      '--same-msp-only',
      '--new',
      '--serial',
      '42',
      '--dry-run',
    ]);
    expect(out.code).toBe(0);
    const bytes = fromBase64Url(out.stdout.trim());
    const { mapping } = verifyMapping(bytes, {
      now: now(),
      csipKeys: [csipRecord],
      expectCsi: '+447700900123',
    });
    expect(mapping).toMatchObject({
      id: 'personal',
      serial: 42,
      new: true,
      policy: { sameMspOnly: true },
      msps: [
        { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
        { msp: 'wire.example', pri: 20, tags: ['Business'] },
      ],
    });
    expect(Math.abs(mapping.exp - mapping.iat - 90 * 86_400)).toBe(0);
  });

  it('publish defaults the serial to the Unix time in ms', () => {
    const before = Date.now();
    const out = run([
      'publish',
      '--key',
      'bob.key',
      '--attestation',
      'bob.att',
      '--id',
      'work',
      '--opt-out',
      '--dry-run',
    ]);
    const mapping = decodeMapping(fromBase64Url(out.stdout.trim()));
    expect(mapping.serial).toBeGreaterThanOrEqual(before);
    expect(mapping.serial).toBeLessThanOrEqual(Date.now());
    expect(mapping.msps).toEqual([]);
  });

  it('publish with a key that is not the attested one: exit 2', () => {
    const out = run([
      'publish',
      '--key',
      'csip.key',
      '--attestation',
      'bob.att',
      '--id',
      'personal',
      '--msp',
      'a.example',
      '--dry-run',
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      "mimi: --key is not the recipient key the attestation for '+447700900123' names\n",
    );
  });

  it('publish without --dry-run and without a client configuration: exit 2, nothing sent', () => {
    const out = run([
      'publish',
      '--key',
      'bob.key',
      '--attestation',
      'bob.att',
      '--id',
      'personal',
      '--msp',
      'a.example',
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^mimi: no client configuration: \.mimi\/client\.json not found in /);
  });

  it('remove --dry-run: a removal by the recipient, and an unassignment by the CSIP', () => {
    const removal = run([
      'remove',
      '--key',
      'bob.key',
      '--csi',
      '+447700900123',
      '--id',
      'work',
      '--id',
      'personal',
      '--dry-run',
    ]);
    expect(removal.code).toBe(0);
    const decoded = verifyRemoval(fromBase64Url(removal.stdout.trim()), {
      now: now(),
      expectCsi: '+447700900123',
    });
    expect(decoded.ids).toEqual(['work', 'personal']);
    expect(toBase64Url(decoded.rk)).toBe(recipientPub);
    const unassigned = run([
      'remove',
      '--csip-key',
      'csip.key',
      '--csip-id',
      'uk-carrier',
      '--csi',
      '+447700900123',
      '--unassigned',
      '--epoch',
      '3',
      '--dry-run',
    ]);
    expect(unassigned.code).toBe(0);
    const { unassignment } = verifyUnassignment(fromBase64Url(unassigned.stdout.trim()), {
      now: now(),
      csipKeys: [csipRecord],
    });
    expect(unassignment.epoch).toBe(3);
  });

  it.each([
    [['--key', 'bob.key'], 'give --id ID (repeatable), --all or --unassigned'],
    [['--key', 'bob.key', '--id', 'a', '--all'], '--id and --all cannot be used together'],
    [['--key', 'bob.key', '--all', '--epoch', '2'], '--epoch does not go with a removal (--id or --all)'],
    [['--unassigned', '--csip-key', 'csip.key', '--csip-id', 'uk-carrier'], '--unassigned needs --epoch'],
    [['--unassigned', '--key', 'bob.key', '--epoch', '2'], '--key does not go with --unassigned'],
  ])('remove %j is a usage error', (args, message) => {
    const out = run(['remove', '--csi', '+447700900123', ...args]);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(`mimi: ${message} (see 'mimi remove --help')\n`);
  });
});
