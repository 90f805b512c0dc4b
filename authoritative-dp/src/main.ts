#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * `mimi-authoritative --zone FILE... --key-dir DIR --db FILE --listen HOST:PORT
 * --tls-cert F --tls-key F --resolver-config FILE [--do53 ADDR:PORT] [--do53-public]
 * [--require-token --token-issuer URL [--token-ca FILE]] [--odoh-keys FILE]`
 * (DESIGN §8): the shared server main around authoritative-server.ts; the privacy flags
 * (tokens, ODoH target, padding) are wired by @mimi/server-core for both servers. SIGHUP reloads
 * zones and certificates (server-core) and makes the next API request re-read the
 * resolver configuration.
 *
 * The shebang gives V8 a 64 MB young generation (semi-space): per-query garbage then dies
 * young instead of being promoted and left to major collections of the old space
 * (docs/benchmarks-servers.md: scavenge time a quarter, DoH CPU per request −10 %).
 */
import { runServerMain } from '@mimi/server-core';
import { type AuthoritativeParts, buildAuthoritative } from './authoritative-server.js';
import { AUTHORITATIVE_PROGRAM } from './program.js';

let parts: AuthoritativeParts | undefined;
const server = await runServerMain(
  AUTHORITATIVE_PROGRAM,
  async (setup) => {
    parts = await buildAuthoritative(setup);
    return parts;
  },
  {
    exit: (code) => {
      const done = parts?.dispose() ?? Promise.resolve();
      void done.catch(() => undefined).then(() => process.exit(code));
    },
  },
);
if (server !== null && parts !== undefined) {
  const running = parts;
  process.on('SIGHUP', () => {
    void running.csipKeys.reload().then(() => server.logger.info('resolver configuration will be re-read'));
  });
}
