/**
 * Submission of signed objects to the authoritative DP serving their CSI (DESIGN §7:
 * "It is served on the same HTTPS listener as DoH, so a client finds it by resolving
 * the CSI's delegation"). Without `--dp`, the DP is the one the validated delegation
 * names: `resolver.findDelegation(csi)` walks root → zone with DNSSEC and gives each
 * server's address, port and host name; the TLS certificate is checked against that
 * host name with the CA of the client configuration. `--dp URL` names the DP instead
 * (its certificate is then checked against the URL's host).
 *
 * Configuration: as for `resolve` (`--config`, `$MIMI_CONFIG`, `.mimi/client.json`).
 * With `--dp` and no configuration anywhere, the system's CAs are trusted.
 */
import { existsSync } from 'node:fs';
import { type ClientConfig, HttpsPools, type Resolver, ResolverError, readCaFile } from '@mimi/stub-resolver';
import { chooseConfigPath, loadConfig } from '../client-config.js';
import type { CommandContext } from '../commands/context.js';
import { CliError } from '../errors.js';
import { parseHttpsUrl } from '../options.js';
import { type Accepted, type ApiEndpoint, type DpTarget, postObject } from './dp-api.js';
import { refusalError, type SubmittedObject } from './refusal-text.js';

export type { Accepted, DpTarget } from './dp-api.js';

export interface SubmissionOptions {
  /** `--dp URL`: the DP's base URL, overriding discovery. */
  readonly dp?: string | undefined;
  /** `--config FILE`. */
  readonly config?: string | undefined;
  /** Per-server request timeout (ms). */
  readonly timeoutMs?: number | undefined;
}

export interface Submitted {
  readonly accepted: Accepted;
  /** The server that accepted it. */
  readonly dp: DpTarget;
}

/** `--dp`: an https base URL, no path (the API lives at `/v1/...` on the DoH listener). */
export function parseDpUrl(text: string): DpTarget {
  parseHttpsUrl('dp', text);
  const url = new URL(text);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new CliError(
      'bad-option',
      `--dp takes the base url of the dp without a path, e.g. ${url.origin}, got '${text}'`,
      { details: { option: 'dp' } },
    );
  }
  return { api: url.origin, host: url.hostname.replace(/^\[|\]$/g, '') };
}

/** The configuration, or undefined when `--dp` makes it optional and none was named or found. */
function configFor(options: SubmissionOptions, ctx: CommandContext): ClientConfig | undefined {
  if (options.dp !== undefined) {
    const choice = chooseConfigPath(options.config, ctx.io);
    if (choice.from === 'default' && !existsSync(choice.path)) return undefined;
  }
  return loadConfig({ config: options.config }, ctx.io);
}

/** The servers of the zone that holds `csi`, from its validated delegation. */
async function discover(resolver: Resolver, csi: string): Promise<DpTarget[]> {
  let delegation: Awaited<ReturnType<Resolver['findDelegation']>>;
  try {
    delegation = await resolver.findDelegation(csi);
  } catch (err) {
    if (err instanceof ResolverError && err.code === 'no-delegation') {
      throw new CliError('no-dp', `${err.message}; give the dp with --dp URL`, { cause: err });
    }
    throw err;
  }
  if (delegation.servers.length === 0) {
    throw new CliError('server-error', `the delegation of ${delegation.zone} names no usable server`);
  }
  return delegation.servers.map((server) => ({ api: server.api, host: server.host }));
}

/**
 * One command's way to the DP: its configuration and connections. Open it after the
 * inputs are checked (it reads the configuration), close it when done.
 */
export class Submission {
  private readonly pools: HttpsPools;
  private resolver: Resolver | undefined;

  private constructor(
    private readonly options: SubmissionOptions,
    private readonly ctx: CommandContext,
    private readonly config: ClientConfig | undefined,
    private readonly fixed: DpTarget | undefined,
  ) {
    this.pools = new HttpsPools({ ca: config === undefined ? undefined : readCaFile(config) });
  }

  /** Checks `--dp` and reads the configuration (CliError/ResolverError: exit 2). */
  static open(options: SubmissionOptions, ctx: CommandContext): Submission {
    const fixed = options.dp === undefined ? undefined : parseDpUrl(options.dp);
    return new Submission(options, ctx, configFor(options, ctx), fixed);
  }

  /** Where objects for `csi` go: `--dp`, else the servers of its delegation. */
  async targets(csi: string): Promise<DpTarget[]> {
    if (this.fixed !== undefined) return [this.fixed];
    // configFor() loads it whenever --dp is absent.
    this.resolver ??= this.ctx.deps.createResolver(this.config!);
    return discover(this.resolver, csi);
  }

  /** POST the signed bytes; a refusal throws CliError `dp-refused` (exit 2) or `server-error` (exit 3). */
  async submit(endpoint: ApiEndpoint, bytes: Uint8Array, submitted: SubmittedObject): Promise<Submitted> {
    const targets = await this.targets(submitted.object.csi);
    const answer = await postObject(this.pools, targets, endpoint, bytes, {
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
    });
    if (!answer.ok) throw refusalError(answer, submitted);
    return { accepted: answer.accepted, dp: answer.dp };
  }

  async close(): Promise<void> {
    await Promise.all([this.pools.close(), this.resolver?.close()]);
  }
}
