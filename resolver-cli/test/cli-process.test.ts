/**
 * The built `mimi` as a child process (DESIGN §8 command-line contract): --help and
 * --version everywhere, exit codes, one-line errors on stderr, keygen's 0600 file that
 * is never overwritten, invalid CSIs, an unreachable root, and the colour rules on a
 * real pseudo-terminal.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicKeyOf, readPrivateKeyFile, toBase64Url } from '@mimi/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeClientConfig } from './helpers/config.js';
import { assertBuilt, hasScript, mimi, mimiOnTty } from './helpers/spawn-cli.js';

let dir: string;
const run = (args: string[]) => mimi(args, { cwd: dir });

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'mimi-cli-process-'));
});

describe('--help, --version and usage errors', () => {
  it('--version prints the package version', () => {
    const out = run(['--version']);
    expect(out).toMatchObject({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('--help lists every command and the exit codes', () => {
    const out = run(['--help']);
    expect(out.code).toBe(0);
    for (const command of ['resolve', 'keygen', 'attest', 'publish', 'remove', 'csip-key']) {
      expect(out.stdout).toContain(`mimi ${command}`);
    }
    expect(out.stdout).toContain('exit codes: 0 success');
  });

  it.each(['resolve', 'keygen', 'attest', 'publish', 'remove', 'csip-key'])(
    'mimi %s --help and --version',
    (command) => {
      const help = run([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout.startsWith(`mimi ${command}`)).toBe(true);
      expect(run([command, '--version']).stdout).toBe('0.1.0\n');
    },
  );

  it.each([
    [[], "mimi: no command given (see 'mimi --help')"],
    [['frob'], "mimi: unknown command: frob (see 'mimi --help')"],
    [['keygen'], "mimi: missing required argument: out (see 'mimi keygen --help')"],
    [['keygen', '--out'], "mimi: not enough arguments following: out (see 'mimi keygen --help')"],
    [['keygen', '--out', 'a', '--bogus'], "mimi: unknown argument: bogus (see 'mimi keygen --help')"],
  ])('%j: exit 2 and one line on stderr', (args, line) => {
    const out = run(args);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(`${line}\n`);
  });
});

describe('keygen', () => {
  it('writes a PKCS#8 key with mode 0600 and prints its public key', async () => {
    const out = run(['keygen', '--out', 'alice.key']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const path = join(dir, 'alice.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = await readPrivateKeyFile(path);
    expect(`${toBase64Url(publicKeyOf(key))}\n`).toBe(out.stdout);
  });

  it('never overwrites a file: exit 2, the file untouched', () => {
    writeFileSync(join(dir, 'precious.txt'), 'keep me');
    const out = run(['keygen', '--out', 'precious.txt']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(`mimi: refusing to overwrite existing file ${join(dir, 'precious.txt')}\n`);
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});

describe('resolve as a child process', () => {
  beforeAll(() => {
    // Nothing listens on port 1: the root is unreachable at once (loopback only).
    writeClientConfig(dir, { roots: ['https://127.0.0.1:1/dns-query'], relay: null });
  });

  it.each([
    [
      'not-a-csi',
      "mimi: invalid CSI 'not-a-csi': 'notacsi': E.164 number must start with '+' (no national formats)",
    ],
    ['+999', "mimi: invalid CSI '+999': no assigned country calling code"],
    [
      'bob@',
      "mimi: invalid CSI 'bob@': domain '': not a host name (LDH labels of 1-63, <= 253 octets): empty name",
    ],
    [
      `${'a'.repeat(300)}@example.com`,
      `mimi: invalid CSI '${'a'.repeat(32)}…(312 chars)': local part must be 1-64 octets`,
    ],
  ])('%j: exit 2 naming the problem', (csi, line) => {
    const out = run(['resolve', '+447700900123', csi]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(`${line}\n`);
  });

  it('an unreachable root: status unreachable, exit 3', () => {
    const out = run(['resolve', '+447700900123', '--json']);
    expect(out.code).toBe(3);
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({ csi: '+447700900123', status: 'unreachable', mappings: [] });
    expect(result.reason).toMatch(/^[a-z-]+: /);
  });

  it('a configuration the resolver refuses is bad input (exit 2), naming the file', () => {
    writeFileSync(
      join(dir, 'broken.json'),
      JSON.stringify({ roots: ['https://127.0.0.1:1/dns-query'], trustAnchors: ['garbage'] }),
    );
    const out = run(['resolve', '+447700900123', '--config', 'broken.json']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^mimi: .*broken\.json: 'trustAnchors' /);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('$MIMI_CONFIG names the configuration', () => {
    const other = mkdtempSync(join(tmpdir(), 'mimi-cli-env-'));
    const out = mimi(['resolve', 'bob@'], {
      cwd: other,
      env: { MIMI_CONFIG: join(dir, '.mimi', 'client.json') },
    });
    expect(out.stderr).toMatch(/^mimi: invalid CSI 'bob@'/);
    expect(mimi(['resolve', 'bob@'], { cwd: other }).stderr).toMatch(/^mimi: no client configuration/);
  });
});

describe.skipIf(!hasScript())('colour on a real terminal (DESIGN §8)', () => {
  it('colours on a TTY, not with NO_COLOR, and never when piped', () => {
    const tty = mimiOnTty(['resolve', '+447700900123'], { cwd: dir });
    expect(tty.code).toBe(3);
    expect(tty.stdout).toContain('\x1b[31munreachable\x1b[39m');
    const noColor = mimiOnTty(['resolve', '+447700900123'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).toContain('unreachable');
    expect(noColor.stdout).not.toContain('\x1b[');
    const piped = run(['resolve', '+447700900123']);
    expect(piped.stdout).toContain('unreachable');
    expect(piped.stdout).not.toContain('\x1b[');
  });

  it('the error line is coloured only on a terminal', () => {
    expect(mimiOnTty(['frob'], { cwd: dir }).stdout).toContain('\x1b[31mmimi:\x1b[39m unknown command: frob');
    expect(mimiOnTty(['frob'], { cwd: dir, env: { NO_COLOR: '1' } }).stdout).toContain(
      'mimi: unknown command: frob',
    );
    expect(run(['frob']).stderr).toBe("mimi: unknown command: frob (see 'mimi --help')\n");
  });
});
