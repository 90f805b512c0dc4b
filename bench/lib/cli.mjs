/**
 * What the benchmarks' command lines share: flags parsed strictly (node:util parseArgs,
 * no positionals), whole-number values checked, and the entry point that turns a run's
 * result into an exit status and a failure into one line on stderr. Every bad value is
 * a BenchError `bad-option` naming the flag.
 */
import { parseArgs } from 'node:util';
import { isMimiError } from '@mimi/errors';
import { BenchError } from './errors.mjs';

/** The values of `argv` for the parseArgs `options` table. */
export function parseFlags(argv, options) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (cause) {
    throw new BenchError('bad-option', String(cause.message).toLowerCase(), { cause });
  }
}

/** `text` as a whole number in 1..max. */
export function wholeNumber(text, name, max = Number.MAX_SAFE_INTEGER) {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new BenchError('bad-option', `--${name} '${text}' is not a whole number in 1..${max}`);
  }
  return Number(text);
}

/**
 * Run `main(argv)` as the process's entry: its result is the exit status; a failure is
 * one line `PROGRAM: code: message` (after `onFailure`, e.g. saving partial results) and
 * exit status 2.
 */
export function runMain(program, main, onFailure = () => {}) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${program}: ${isMimiError(err) ? `${err.code}: ` : ''}${err.message}\n`);
      onFailure(err);
      process.exitCode = 2;
    },
  );
}
