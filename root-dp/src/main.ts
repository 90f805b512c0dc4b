#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * `mimi-root --zone FILE... --key-dir DIR --listen HOST:PORT --tls-cert F --tls-key F
 * [--do53 ADDR:PORT] [--do53-public] [--odoh-keys FILE]
 * [--require-token --token-issuer URL [--token-ca FILE]]` (DESIGN §8): the shared server
 * main around the root's engine (root-server.ts); the privacy flags are wired by
 * @mimi/server-core.
 *
 * The shebang gives V8 a 64 MB young generation (semi-space): per-query garbage then dies
 * young instead of being promoted and left to major collections of the old space
 * (docs/benchmarks-servers.md: scavenge time a quarter, DoH CPU per request −10 %).
 */
import { runServerMain } from '@mimi/server-core';
import { buildRoot, ROOT_PROGRAM } from './root-server.js';

let dispose: (() => void) | undefined;
await runServerMain(
  ROOT_PROGRAM,
  async (setup) => {
    const parts = await buildRoot(setup);
    dispose = parts.dispose;
    return parts;
  },
  {
    exit: (code) => {
      dispose?.();
      process.exit(code);
    },
  },
);
