/**
 * `mimi csip-key --key FILE --id ID --scope +44 [--scope example.com]... [--days N]`
 * (DESIGN §8): prints the CSIPKEY record line for the CSIP zone, e.g.
 * `uk-carrier.csip.mimi.arpa. 3600 IN CSIPKEY \# 87 a5…`, ready to paste into the zone
 * file the root DP serves.
 */
import { publicKeyOf } from '@mimi/crypto';
import { DEFAULT_APEX } from '@mimi/protocol';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode } from '../exit-codes.js';
import { nowSeconds } from '../io.js';
import {
  CSIP_KEY_DEFAULT_DAYS,
  CSIP_KEY_DEFAULT_TTL,
  csipKeyLine,
  parseScope,
} from '../objects/csip-key-record.js';
import { DAYS_RANGE, integerOption, parseId } from '../options.js';
import type { CommandContext } from './context.js';
import { readKey } from './inputs.js';
import { many, one } from './yargs-options.js';

export interface CsipKeyArgs {
  readonly key: string;
  readonly id: string;
  readonly scope: readonly string[];
  readonly days?: string | undefined;
  readonly ttl?: string | undefined;
  readonly apex?: string | undefined;
}

/** RFC 2181 §8: a TTL is 0 to 2^31 − 1. */
const TTL_RANGE = { min: 0, max: 2 ** 31 - 1 } as const;

export async function runCsipKey(args: CsipKeyArgs, ctx: CommandContext): Promise<ExitCode> {
  const id = parseId('id', args.id);
  const scope = parseScope(args.scope);
  const days = integerOption('days', args.days, CSIP_KEY_DEFAULT_DAYS, DAYS_RANGE);
  const ttl = integerOption('ttl', args.ttl, CSIP_KEY_DEFAULT_TTL, TTL_RANGE);
  const key = await readKey(ctx.io, args.key);
  const { line } = csipKeyLine({
    id,
    publicKey: publicKeyOf(key),
    scope,
    days,
    ttl,
    apex: args.apex ?? DEFAULT_APEX,
    now: nowSeconds(ctx.io),
  });
  ctx.io.stdout.write(`${line}\n`);
  return ExitCode.ok;
}

export function csipKeyCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'csip-key',
    describe: "print a CSIP's CSIPKEY record line for the csip zone",
    builder: (yargs: Argv) =>
      yargs
        .options({
          key: one('key', "the CSIP's private key file", { demandOption: true }),
          id: one('id', 'the CSIP id (1-32 of a-z 0-9 -)', { demandOption: true }),
          scope: many('+digits prefix or domain the CSIP vouches for (repeatable)', { demandOption: true }),
          days: one('days', `validity in days (default ${CSIP_KEY_DEFAULT_DAYS})`),
          ttl: one('ttl', `record TTL in seconds (default ${CSIP_KEY_DEFAULT_TTL})`),
          apex: one('apex', `apex of the network (default ${DEFAULT_APEX})`),
        })
        .example('mimi csip-key --key uk.key --id uk-carrier --scope +44', ''),
    handler: async (argv) => {
      ctx.exitCode = await runCsipKey(argv as unknown as CsipKeyArgs, ctx);
    },
  };
}
