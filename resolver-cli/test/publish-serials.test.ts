/**
 * The serial state beside a key file (DESIGN §4: "`serial`: strictly increasing per
 * (CSI, recipient key) across publishes and removals"): the choice max(now, last + 1),
 * the file read strictly and written whole with mode 0600, nothing recorded for a
 * dry run or a failed build, and distinct serials for concurrent reservations.
 */
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { exitCodeOfError } from '../src/exit-codes.js';
import {
  chooseSerial,
  formatSerialState,
  learnFromRefusal,
  parseSerialState,
  SerialState,
  serialStatePath,
} from '../src/objects/serial-state.js';

const NOW = 1_767_225_600_000;
const A = '+447700900123';
const B = 'alice@example.com';

let dir: string;
let keyPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mimi-serials-'));
  keyPath = join(dir, 'alice.key');
});

describe('chooseSerial', () => {
  it.each([
    ['no serial yet: now', NOW, undefined, undefined, NOW],
    ['last below now: now', NOW, NOW - 5, undefined, NOW],
    ['last equal to now: last + 1', NOW, NOW, undefined, NOW + 1],
    ['clock set back: last + 1', NOW - 86_400_000, NOW, undefined, NOW + 1],
    ['explicit wins, even below last', NOW, NOW + 9, 42, 42],
    ['explicit 0', NOW, undefined, 0, 0],
  ])('%s', (_name, now, last, explicit, expected) => {
    expect(chooseSerial(now, last, explicit)).toBe(expected);
  });

  it('refuses to go past 2^53 - 1', () => {
    const err = (() => {
      try {
        chooseSerial(NOW, Number.MAX_SAFE_INTEGER);
      } catch (caught) {
        return caught;
      }
    })();
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).code).toBe('serial-exhausted');
  });
});

describe('the state file', () => {
  it('is named after the key file', () => {
    expect(serialStatePath('/keys/alice.key')).toBe('/keys/alice.key.serials.json');
  });

  it('round-trips: map → text → map, CSIs sorted', () => {
    const serials = new Map([
      [B, 7],
      [A, NOW],
    ]);
    const text = formatSerialState(serials);
    expect(text).toBe(`{\n  "v": 1,\n  "serials": {\n    "${A}": ${NOW},\n    "${B}": 7\n  }\n}\n`);
    expect(parseSerialState(text, 'f')).toEqual(serials);
  });

  it.each([
    ['not json', '{', 'not json'],
    ['an array', '[]', 'not an object'],
    ['another version', '{"v":2,"serials":{}}', "'v' is not 1"],
    ['serials not an object', '{"v":1,"serials":[]}', "'serials' is not an object"],
    [
      'a fraction',
      '{"v":1,"serials":{"+447700900123":1.5}}',
      "the serial of '+447700900123' is not a whole number",
    ],
    [
      'a negative',
      '{"v":1,"serials":{"+447700900123":-1}}',
      "the serial of '+447700900123' is not a whole number",
    ],
    [
      'a string',
      '{"v":1,"serials":{"+447700900123":"1"}}',
      "the serial of '+447700900123' is not a whole number",
    ],
  ])('%s: CliError serial-state naming the file (exit 2)', (_name, text, problem) => {
    let caught: unknown;
    try {
      parseSerialState(text, '/k/a.key.serials.json');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).code).toBe('serial-state');
    expect((caught as CliError).message).toBe(
      `/k/a.key.serials.json: not a serial state file (${problem}); move it away to start again`,
    );
    expect(exitCodeOfError(caught)).toBe(2);
  });
});

describe('SerialState.reserve', () => {
  it('records per CSI, writes mode 0600, and moves on from the last serial', async () => {
    const state = new SerialState(keyPath);
    expect(await state.reserve(A, { nowMs: NOW, record: true }, (s) => s)).toBe(NOW);
    expect(await state.reserve(A, { nowMs: NOW, record: true }, (s) => s)).toBe(NOW + 1);
    expect(await state.reserve(B, { nowMs: NOW, record: true }, (s) => s)).toBe(NOW);
    expect(statSync(state.path).mode & 0o777).toBe(0o600);
    expect(parseSerialState(readFileSync(state.path, 'utf8'), state.path)).toEqual(
      new Map([
        [A, NOW + 1],
        [B, NOW],
      ]),
    );
  });

  it('gives the serial to build and returns what build returns', async () => {
    const state = new SerialState(keyPath);
    expect(await state.reserve(A, { nowMs: NOW, record: true }, (s) => `object ${s}`)).toBe(`object ${NOW}`);
  });

  it('a dry run chooses from the file but writes nothing', async () => {
    const state = new SerialState(keyPath);
    await state.reserve(A, { nowMs: NOW, record: true }, (s) => s);
    const before = readFileSync(state.path, 'utf8');
    expect(await state.reserve(A, { nowMs: NOW, record: false }, (s) => s)).toBe(NOW + 1);
    expect(readFileSync(state.path, 'utf8')).toBe(before);
  });

  it('a build that throws records nothing', async () => {
    const state = new SerialState(keyPath);
    await expect(
      state.reserve(A, { nowMs: NOW, record: true }, () => {
        throw new CliError('key-mismatch', 'wrong key');
      }),
    ).rejects.toThrow('wrong key');
    expect(await state.last(A)).toBeUndefined();
  });

  it('an explicit serial below the last is used but does not lower the record', async () => {
    const state = new SerialState(keyPath);
    await state.reserve(A, { nowMs: NOW, record: true }, (s) => s);
    expect(await state.reserve(A, { nowMs: NOW, explicit: 5, record: true }, (s) => s)).toBe(5);
    expect(await state.last(A)).toBe(NOW);
  });

  it('concurrent reservations (one process or several) never share a serial', async () => {
    // Separate SerialState objects stand for separate `mimi` processes: only the lock file orders them.
    const serials = await Promise.all(
      Array.from({ length: 20 }, () =>
        new SerialState(keyPath).reserve(A, { nowMs: NOW, record: true }, (s) => s),
      ),
    );
    expect(new Set(serials).size).toBe(20);
    expect([...serials].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => NOW + i));
    expect(await new SerialState(keyPath).last(A)).toBe(NOW + 19);
  });

  it('a lock left behind by a dead process is taken over once stale', async () => {
    const state = new SerialState(keyPath);
    const lock = `${state.path}.lock`;
    writeFileSync(lock, '99999\n');
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    expect(await state.reserve(A, { nowMs: NOW, record: true }, (s) => s)).toBe(NOW);
  });

  it('raise() records a serial seen elsewhere, never lowering the record', async () => {
    const state = new SerialState(keyPath);
    await state.raise(A, NOW + 50);
    expect(await state.last(A)).toBe(NOW + 50);
    await state.raise(A, NOW);
    expect(await state.last(A)).toBe(NOW + 50);
    expect(await state.reserve(A, { nowMs: NOW, record: true }, (s) => s)).toBe(NOW + 51);
  });

  it('learnFromRefusal takes lastSerial from a refusal, and ignores other errors', async () => {
    const state = new SerialState(keyPath);
    await learnFromRefusal(state, A, new CliError('dp-refused', 'x', { details: { lastSerial: NOW + 9 } }));
    await learnFromRefusal(state, B, new CliError('dp-refused', 'x', { details: {} }));
    await learnFromRefusal(state, B, new Error('other'));
    expect(await state.last(A)).toBe(NOW + 9);
    expect(await state.last(B)).toBeUndefined();
  });

  it('a corrupt file stops the command (exit 2) instead of guessing', async () => {
    const state = new SerialState(keyPath);
    writeFileSync(state.path, 'garbage');
    await expect(state.reserve(A, { nowMs: NOW, record: true }, (s) => s)).rejects.toMatchObject({
      code: 'serial-state',
    });
    expect(readFileSync(state.path, 'utf8')).toBe('garbage');
  });
});
