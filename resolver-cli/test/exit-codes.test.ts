/**
 * DESIGN §8 exit codes, decided in one place: 0 success (no-mapping and opted-out
 * included), 1 bogus, 2 bad usage or bad input, 3 unreachable or a server error; and
 * DESIGN §6 for several CSIs: 1 if any bogus, else 3 if any unreachable, else 0.
 */
import { CryptoError } from '@mimi/crypto';
import { CsiError, ObjectError, WireFormatError, ZoneParseError } from '@mimi/protocol';
import { BogusError, ResolverError, type ResolveStatus, UnreachableError } from '@mimi/stub-resolver';
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../src/error-line.js';
import { CliError } from '../src/errors.js';
import { ExitCode, exitCodeOfError, exitCodeOfStatuses } from '../src/exit-codes.js';

class YError extends Error {
  override name = 'YError';
}

describe('exitCodeOfError', () => {
  it.each([
    ['usage', new CliError('usage', 'x'), 2],
    ['bad option', new CliError('bad-option', 'x'), 2],
    ['invalid csi', new CliError('invalid-csi', 'x'), 2],
    ['file exists', new CliError('file-exists', 'x'), 2],
    ['config missing', new CliError('config-missing', 'x'), 2],
    ['not yet available', new CliError('not-yet-available', 'x'), 3],
    ['server error', new CliError('server-error', 'x'), 3],
    ['yargs usage', new YError('Unknown argument: x'), 2],
    ['csi', new CsiError('csi-phone-cc', 'x'), 2],
    ['object', new ObjectError('schema-type', 'x'), 2],
    ['crypto key file', new CryptoError('key-file-permissions', 'x'), 2],
    ['zone parse', new ZoneParseError('zone-syntax', 'x', 'f', 1), 2],
    ['wire', new WireFormatError('name-empty', 'x'), 2],
    ['config file', new ResolverError('config-invalid', 'x'), 2],
    ['trust anchor', new ResolverError('trust-anchor', 'x'), 2],
    ['ca file', new ResolverError('config-ca', 'x'), 2],
    ['transport', new ResolverError('transport-timeout', 'x'), 3],
    ['bogus', new BogusError('bad-signature', 'x'), 1],
    ['unreachable', new UnreachableError('timeout', 'x'), 3],
    ['internal', new TypeError('x is undefined'), 3],
  ] as const)('%s -> %i', (_name, err, code) => {
    expect(exitCodeOfError(err)).toBe(code);
  });
});

describe('exitCodeOfStatuses (DESIGN §6)', () => {
  const cases: [ResolveStatus[], number][] = [
    [[], ExitCode.ok],
    [['found'], 0],
    [['opted-out'], 0],
    [['no-mapping'], 0],
    [['bogus'], 1],
    [['unreachable'], 3],
    [['found', 'no-mapping', 'opted-out'], 0],
    [['found', 'unreachable'], 3],
    [['unreachable', 'bogus', 'found'], 1],
    [['bogus', 'unreachable'], 1],
  ];
  it.each(cases)('%j -> %i', (statuses, code) => {
    expect(exitCodeOfStatuses(statuses)).toBe(code);
  });
});

describe('errorMessage: one lowercase line', () => {
  it('uses our messages as they are, on one line', () => {
    expect(errorMessage(new CsiError('csi-phone-cc', "'+999': no assigned\n country calling code"))).toBe(
      "'+999': no assigned country calling code",
    );
  });

  it('cuts long quoted inputs, and cutting twice changes nothing', () => {
    const long = `${'a'.repeat(300)}@example.com`;
    const once = errorMessage(new CliError('invalid-csi', `invalid CSI '${long}': local part too long`));
    expect(once).toBe(`invalid CSI '${'a'.repeat(32)}…(312 chars)': local part too long`);
    expect(errorMessage(new CliError('invalid-csi', once))).toBe(once);
  });

  it("lowercases yargs' messages and points usage errors at the command's help", () => {
    expect(errorMessage(new YError('Missing required argument: out'), { command: 'keygen' })).toBe(
      "missing required argument: out (see 'mimi keygen --help')",
    );
    expect(
      errorMessage(new CliError('usage', '--id and --all cannot be used together'), { command: 'remove' }),
    ).toBe("--id and --all cannot be used together (see 'mimi remove --help')");
    expect(errorMessage(new YError('Unknown command: frob'))).toBe(
      "unknown command: frob (see 'mimi --help')",
    );
  });

  it('labels anything unexpected as an internal error', () => {
    expect(errorMessage(new TypeError('Cannot read properties of undefined'))).toBe(
      'internal error: cannot read properties of undefined',
    );
    expect(errorMessage('boom')).toBe('internal error: boom');
  });
});
