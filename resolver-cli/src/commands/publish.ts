/**
 * `mimi publish --key FILE --attestation FILE --id ID --msp MSP[:TAG,TAG][@PRI]...
 * [--same-msp-only] [--new] [--days N] [--dp URL]` (DESIGN §8): the recipient signs a
 * mapping of its attested CSI and submits it to the DP serving that CSI, found through
 * the CSI's validated delegation unless `--dp` names it; then prints what was published.
 *
 * Ours besides the contract: `--opt-out` publishes a mapping with no MSP (DESIGN §4:
 * "`msps` may be empty"), explicitly rather than by forgetting `--msp`; `--csi` states
 * the CSI the recipient means, checked against the attestation before anything is
 * signed; `--serial N` overrides the default serial, max(now in ms, last serial of this
 * key for this CSI + 1) (serial-state.ts); `--config` as for `resolve`; `--dry-run`
 * prints the signed object as one line of base64url instead of submitting it.
 */
import type { Argv, CommandModule } from 'yargs';
import { paletteFor } from '../colour.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { readTextFile } from '../files.js';
import { formatPublished } from '../format/submitted.js';
import { nowSeconds, pathFrom } from '../io.js';
import { buildMapping, PUBLISH_DEFAULT_DAYS } from '../objects/mapping.js';
import { parseMspSpecs } from '../objects/msp-spec.js';
import { objectLine, parseAttestationText } from '../objects/object-text.js';
import { learnFromRefusal, SerialState } from '../objects/serial-state.js';
import { parseDpUrl, Submission } from '../objects/submit.js';
import { DAYS_RANGE, integerOption, parseId, parseInteger, SERIAL_RANGE } from '../options.js';
import type { CommandContext } from './context.js';
import { normalizeOne, readKey } from './inputs.js';
import { flag, many, one } from './yargs-options.js';

export interface PublishArgs {
  readonly key: string;
  readonly attestation: string;
  readonly id: string;
  readonly csi?: string | undefined;
  readonly msp?: readonly string[] | undefined;
  readonly optOut?: boolean | undefined;
  readonly sameMspOnly?: boolean | undefined;
  readonly new?: boolean | undefined;
  readonly days?: string | undefined;
  readonly serial?: string | undefined;
  readonly dp?: string | undefined;
  readonly config?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

function mspSpecsOf(args: PublishArgs): readonly string[] {
  const specs = args.msp ?? [];
  if (args.optOut === true && specs.length > 0)
    throw new CliError('usage', '--opt-out and --msp cannot be used together');
  if (args.optOut !== true && specs.length === 0) {
    throw new CliError('usage', 'no --msp given (use --opt-out to be found on no msp)');
  }
  return specs;
}

export async function runPublish(args: PublishArgs, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  // Every input is checked before anything is signed or sent.
  const id = parseId('id', args.id);
  const msps = parseMspSpecs(mspSpecsOf(args));
  const days = integerOption('days', args.days, PUBLISH_DEFAULT_DAYS, DAYS_RANGE);
  const explicit = args.serial === undefined ? undefined : parseInteger('serial', args.serial, SERIAL_RANGE);
  if (args.dp !== undefined) parseDpUrl(args.dp);
  const meant = args.csi === undefined ? undefined : normalizeOne(args.csi);
  const attestation = parseAttestationText(
    await readTextFile(pathFrom(io, args.attestation), args.attestation),
    args.attestation,
  );
  // The binding of DESIGN §4 ("att.csi == mapping.csi == the CSI asked for"), locally.
  if (meant !== undefined && meant !== attestation.csi) {
    throw new CliError('csi-mismatch', `attestation is for ${attestation.csi}, not ${meant}`, {
      details: { attested: attestation.csi, given: meant },
    });
  }
  const key = await readKey(io, args.key);
  const dryRun = args.dryRun === true;
  const submission = dryRun ? undefined : Submission.open({ dp: args.dp, config: args.config }, ctx);
  try {
    const serials = new SerialState(pathFrom(io, args.key));
    const signed = await serials.reserve(
      attestation.csi,
      { nowMs: io.now(), explicit, record: !dryRun },
      (serial) =>
        buildMapping({
          key,
          attestation,
          id,
          msps,
          sameMspOnly: args.sameMspOnly === true,
          isNew: args.new === true,
          days,
          serial,
          now: nowSeconds(io),
        }),
    );
    if (submission === undefined) {
      io.stdout.write(objectLine(signed.bytes));
      return ExitCode.ok;
    }
    const submitted = await submission
      .submit('mappings', signed.bytes, { kind: 'mapping', object: signed.object })
      .catch(async (err: unknown) => {
        await learnFromRefusal(serials, attestation.csi, err);
        throw err;
      });
    io.stdout.write(formatPublished(signed.object, submitted, paletteFor(io.stdout, io.env)));
    return ExitCode.ok;
  } finally {
    await submission?.close();
  }
}

export function publishCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'publish',
    describe: 'as a recipient, sign and publish a mapping of your CSI to MSPs',
    builder: (yargs: Argv) =>
      yargs
        .options({
          key: one('key', "the recipient's private key file", { demandOption: true }),
          attestation: one('attestation', "the CSIP's attestation file", { demandOption: true }),
          id: one('id', 'mapping id, e.g. personal or work (1-32 of a-z 0-9 -)', { demandOption: true }),
          csi: one('csi', 'the CSI you mean to publish (checked against the attestation)'),
          msp: many('MSP[:TAG,TAG][@PRI] (repeatable; pri defaults to 10 x position)'),
          'opt-out': flag('publish a mapping with no msp (be found nowhere)'),
          'same-msp-only': flag('senders may reach you only on their own MSP'),
          new: flag('remove every earlier mapping of this CSI'),
          days: one('days', `validity in days (default ${PUBLISH_DEFAULT_DAYS})`),
          serial: one('serial', 'serial (default: the Unix time in ms, above the last one this key used)'),
          dp: one('dp', "the DP's base URL (default: found through the CSI's delegation)"),
          config: one('config', 'client configuration (default $MIMI_CONFIG, else .mimi/client.json)'),
          'dry-run': flag('print the signed mapping (base64url) instead of submitting it'),
        })
        .example(
          'mimi publish --key alice.key --attestation alice.att --id personal --msp whatsapp.example:Personal --msp wire.example:Business@20',
          '',
        ),
    handler: async (argv) => {
      ctx.exitCode = await runPublish(argv as unknown as PublishArgs, ctx);
    },
  };
}
