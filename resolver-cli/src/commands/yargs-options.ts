/**
 * Option declarations shared by the commands, in yargs' terms. Values stay strings
 * (numbers are parsed by options.ts with messages that name the option): yargs would
 * turn `--days abc` into NaN and `+447700900123` into a number.
 */
import type { Options } from 'yargs';
import { CliError } from '../errors.js';

/** A string option given at most once, with a value. */
export function one(option: string, describe: string, extra: Partial<Options> = {}): Options {
  return {
    type: 'string',
    requiresArg: true,
    describe,
    coerce: (value: unknown) => {
      if (Array.isArray(value)) throw new CliError('usage', `--${option} given more than once`);
      return value;
    },
    ...extra,
  };
}

/** A string option that may be repeated; always an array when given. */
export function many(describe: string, extra: Partial<Options> = {}): Options {
  return {
    type: 'string',
    requiresArg: true,
    describe,
    coerce: (value: unknown) => (Array.isArray(value) ? value.map(String) : [String(value)]),
    ...extra,
  };
}

export function flag(describe: string): Options {
  return { type: 'boolean', describe };
}
