/**
 * `mimi keygen --out FILE` (DESIGN §8): a fresh Ed25519 key (RFC 8032) written as PKCS#8
 * PEM with mode 0600, never over an existing file; prints the public key as unpadded
 * base64url (43 characters), the form `--recipient-pub` takes.
 */
import { generateEd25519, toBase64Url, writePrivateKeyFile } from '@mimi/crypto';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode } from '../exit-codes.js';
import { pathFrom } from '../io.js';
import type { CommandContext } from './context.js';
import { one } from './yargs-options.js';

export async function runKeygen(args: { out: string }, ctx: CommandContext): Promise<ExitCode> {
  const { privateKey, publicKey } = generateEd25519();
  await writePrivateKeyFile(pathFrom(ctx.io, args.out), privateKey);
  ctx.io.stdout.write(`${toBase64Url(publicKey)}\n`);
  return ExitCode.ok;
}

export function keygenCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'keygen',
    describe: 'make an Ed25519 key (PKCS#8 PEM, mode 0600) and print its public key',
    builder: (yargs: Argv) =>
      yargs
        .options({ out: one('out', 'file to create (never overwritten)', { demandOption: true }) })
        .example('mimi keygen --out alice.key', 'prints the public key in base64url'),
    handler: async (argv) => {
      ctx.exitCode = await runKeygen(argv as unknown as { out: string }, ctx);
    },
  };
}
