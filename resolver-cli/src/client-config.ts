/**
 * Which client configuration `resolve` uses (DESIGN §8: "`--config`, default
 * `$MIMI_CONFIG`, else `.mimi/client.json` in the current directory") and the command-line
 * overrides on top of it: `--root` replaces the roots, `--relay` the relay, `--direct`
 * drops the relay, `--region` the region. The file format is the stub resolver's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ClientConfig, loadClientConfig } from '@mimi/stub-resolver';
import { CliError } from './errors.js';
import { type CliIo, pathFrom } from './io.js';
import { parseHttpsUrl, parseRegion } from './options.js';

/** DESIGN §8: "else `.mimi/client.json` in the current directory". */
export const DEFAULT_CONFIG_PATH = join('.mimi', 'client.json');

export interface ConfigChoice {
  /** Absolute path. */
  readonly path: string;
  /** How it was chosen, for error messages. */
  readonly from: '--config' | 'MIMI_CONFIG' | 'default';
}

export function chooseConfigPath(flag: string | undefined, io: CliIo): ConfigChoice {
  if (flag !== undefined) return { path: pathFrom(io, flag), from: '--config' };
  const env = io.env.MIMI_CONFIG;
  if (env !== undefined && env !== '') return { path: pathFrom(io, env), from: 'MIMI_CONFIG' };
  return { path: pathFrom(io, DEFAULT_CONFIG_PATH), from: 'default' };
}

export interface ConfigOverrides {
  readonly config?: string | undefined;
  readonly roots?: readonly string[] | undefined;
  readonly relay?: string | undefined;
  readonly direct?: boolean | undefined;
  readonly region?: string | undefined;
}

/** The configuration file with the command-line overrides applied; CliError/ResolverError on any fault. */
export function loadConfig(overrides: ConfigOverrides, io: CliIo): ClientConfig {
  // Check the flags first: a typo in --root is reported even when the file is missing.
  const roots = overrides.roots?.map((url) => parseHttpsUrl('root', url));
  const relay = overrides.relay === undefined ? undefined : parseHttpsUrl('relay', overrides.relay);
  const region = overrides.region === undefined ? undefined : parseRegion(overrides.region);
  if (overrides.direct === true && relay !== undefined) {
    throw new CliError('usage', '--direct and --relay cannot be used together');
  }
  const choice = chooseConfigPath(overrides.config, io);
  if (choice.from === 'default' && !existsSync(choice.path)) {
    throw new CliError(
      'config-missing',
      `no client configuration: ${DEFAULT_CONFIG_PATH} not found in ${io.cwd} (use --config FILE or set MIMI_CONFIG)`,
      { details: { path: choice.path } },
    );
  }
  const config = loadClientConfig(choice.path);
  return {
    ...config,
    ...(roots === undefined || roots.length === 0 ? {} : { roots }),
    ...(relay === undefined ? {} : { relay }),
    ...(overrides.direct === true ? { relay: null } : {}),
    ...(region === undefined ? {} : { region }),
  };
}
