/**
 * What every command handler gets: the CLI's I/O, the injectable dependencies, and a
 * place to leave its exit code (decided by exit-codes.ts).
 */
import { type ClientConfig, createResolver, type Resolver } from '@mimi/stub-resolver';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

export interface CliDeps {
  /** How `resolve` gets a resolver; tests hand in one on an in-memory network. */
  createResolver(config: ClientConfig): Resolver;
}

export const defaultDeps: CliDeps = {
  createResolver: (config) => createResolver(config),
};

export interface CommandContext {
  readonly io: CliIo;
  readonly deps: CliDeps;
  exitCode: ExitCode;
}

export function newContext(io: CliIo, deps: Partial<CliDeps> = {}): CommandContext {
  return { io, deps: { ...defaultDeps, ...deps }, exitCode: ExitCode.ok };
}
