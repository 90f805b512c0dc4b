/**
 * `mimi remove` (DESIGN §8), two forms:
 *
 *   mimi remove --key FILE --csi CSI (--id ID... | --all) [--dp URL]
 *       a removal signed by the recipient (DESIGN §4 "Removal");
 *   mimi remove --csip-key FILE --csip-id ID --csi CSI --unassigned --epoch N [--dp URL]
 *       an unassignment signed by the CSIP: every mapping attested with an epoch below
 *       N goes (DESIGN §4 "unassignment").
 *
 * Ours besides the contract: `--serial N` (default the Unix time in ms) and `--dry-run`.
 */
import type { Argv, CommandModule } from 'yargs';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { nowSeconds } from '../io.js';
import { objectLine } from '../objects/object-text.js';
import { buildRemoval, buildUnassignment } from '../objects/removal.js';
import { submitObject } from '../objects/submit.js';
import {
  EPOCH_RANGE,
  integerOption,
  parseHttpsUrl,
  parseId,
  parseInteger,
  SERIAL_RANGE,
} from '../options.js';
import type { CommandContext } from './context.js';
import { normalizeOne, readKey } from './inputs.js';
import { flag, many, one } from './yargs-options.js';

export interface RemoveArgs {
  readonly csi: string;
  readonly key?: string | undefined;
  readonly id?: readonly string[] | undefined;
  readonly all?: boolean | undefined;
  readonly csipKey?: string | undefined;
  readonly csipId?: string | undefined;
  readonly unassigned?: boolean | undefined;
  readonly epoch?: string | undefined;
  readonly serial?: string | undefined;
  readonly dp?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

function refuse(present: boolean, option: string, form: string): void {
  if (present) throw new CliError('usage', `${option} does not go with ${form}`);
}

function need<T>(value: T | undefined, option: string, form: string): T {
  if (value === undefined) throw new CliError('usage', `${form} needs ${option}`);
  return value;
}

/** The signed object's bytes and a short description, checking the form's options. */
async function signedObject(
  args: RemoveArgs,
  ctx: CommandContext,
): Promise<{ bytes: Uint8Array; csi: string }> {
  const { io } = ctx;
  const csi = normalizeOne(args.csi);
  if (args.unassigned === true) {
    const form = '--unassigned';
    refuse(args.key !== undefined, '--key', form);
    refuse(args.id !== undefined, '--id', form);
    refuse(args.all === true, '--all', form);
    refuse(args.serial !== undefined, '--serial', form);
    const csipId = parseId('csip-id', need(args.csipId, '--csip-id', form));
    const epoch = parseInteger('epoch', need(args.epoch, '--epoch', form), EPOCH_RANGE);
    const csipKey = await readKey(io, need(args.csipKey, '--csip-key', form));
    const signed = buildUnassignment({ csipKey, csipId, csi, epoch, now: nowSeconds(io) });
    return { bytes: signed.bytes, csi };
  }
  const form = 'a removal (--id or --all)';
  refuse(args.csipKey !== undefined, '--csip-key', form);
  refuse(args.csipId !== undefined, '--csip-id', form);
  refuse(args.epoch !== undefined, '--epoch', form);
  if (args.all === true && args.id !== undefined)
    throw new CliError('usage', '--id and --all cannot be used together');
  if (args.all !== true && args.id === undefined)
    throw new CliError('usage', 'give --id ID (repeatable), --all or --unassigned');
  const ids = args.id?.map((id) => parseId('id', id));
  const serial = integerOption('serial', args.serial, io.now(), SERIAL_RANGE);
  const key = await readKey(io, need(args.key, '--key', form));
  const signed = buildRemoval({
    key,
    csi,
    target: ids === undefined ? { all: true } : { ids },
    serial,
    now: nowSeconds(io),
  });
  return { bytes: signed.bytes, csi };
}

export async function runRemove(args: RemoveArgs, ctx: CommandContext): Promise<ExitCode> {
  const dp = args.dp === undefined ? undefined : parseHttpsUrl('dp', args.dp);
  const { bytes, csi } = await signedObject(args, ctx);
  if (args.dryRun === true) {
    ctx.io.stdout.write(objectLine(bytes));
    return ExitCode.ok;
  }
  const response = await submitObject({ endpoint: 'removals', object: bytes, csi, dp });
  ctx.io.stdout.write(`removed from ${response.csi} (serial ${response.serial})\n`);
  return ExitCode.ok;
}

export function removeCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'remove',
    describe: 'remove mappings: as the recipient (--id/--all) or as the CSIP (--unassigned)',
    builder: (yargs: Argv) =>
      yargs
        .options({
          csi: one('csi', 'the phone number or email address', { demandOption: true }),
          key: one('key', "the recipient's private key file"),
          id: many('mapping id to remove (repeatable)'),
          all: flag('remove every mapping of the CSI'),
          'csip-key': one('csip-key', "with --unassigned: the CSIP's private key file"),
          'csip-id': one('csip-id', 'with --unassigned: the CSIP id'),
          unassigned: flag('as the CSIP: the CSI was re-assigned; void every epoch below --epoch'),
          epoch: one('epoch', 'with --unassigned: the first epoch that stays valid'),
          serial: one('serial', 'serial of a removal (default: the current Unix time in ms)'),
          dp: one('dp', "the DP's URL (default: found through the CSI's delegation)"),
          'dry-run': flag('print the signed object (base64url) instead of submitting it'),
        })
        .example('mimi remove --key alice.key --csi +447700900123 --id work', '')
        .example(
          'mimi remove --csip-key uk.key --csip-id uk-carrier --csi +447700900123 --unassigned --epoch 2',
          '',
        ),
    handler: async (argv) => {
      ctx.exitCode = await runRemove(argv as unknown as RemoveArgs, ctx);
    },
  };
}
