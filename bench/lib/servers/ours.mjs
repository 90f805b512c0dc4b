/**
 * Our authoritative DP, wired to the command line of DESIGN §8:
 *
 *   mimi-authoritative --zone FILE... --key-dir DIR --db FILE --listen HOST:PORT
 *     --tls-cert F --tls-key F --resolver-config FILE [--do53 ADDR:PORT]
 *
 * plus the shared server flags that match the peers' settings: no per-client rate limit
 * and no cache-miss limit (`--rate-limit 0 --miss-rate-limit 0`), info logs (one line when the
 * background signing pass is done; none per query). It
 * serves the same SOA/NS file the peers' zone was built from, the same zone key (signing
 * online), and its own copy of the SQLite store holding the same mappings.
 *
 * Until authoritative-dp/ builds to dist/main.js, `version()` says why it cannot run
 * and the harness reports "ours: not available".
 */
import { access, copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shebangNodeFlags } from '@mimi/demo';
import { createZoneKey, dsLine } from '@mimi/dnssec';
import { benchKeys } from '../data/mappings.mjs';
import { BenchError } from '../errors.mjs';
import { runCollect } from '../process.mjs';

/** Flags beyond DESIGN §8 that every benchmark run of ours passes (server-core flags.ts). */
export const OURS_BENCH_FLAGS = Object.freeze([
  '--rate-limit',
  '0',
  '--miss-rate-limit',
  '0',
  // info: the one line that says the background signing pass is done (no per-query lines).
  '--log-level',
  'info',
]);

function paths(repoRoot) {
  const project = join(repoRoot, 'authoritative-dp');
  return { project, tsconfig: join(project, 'tsconfig.json'), main: join(project, 'dist', 'main.js') };
}

async function exists(path) {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The stub configuration `--resolver-config` requires (DESIGN §9 client.json). The
 * benchmark publishes nothing, so the DP never resolves a CSIP key; the file only has
 * to be well-formed: it points at the DP itself and anchors on the bench zone's DS.
 */
export function benchClientConfig(ctx) {
  const zoneKey = createZoneKey(ctx.zone, benchKeys(ctx.seed).zone);
  return {
    roots: [`https://127.0.0.1:${ctx.ports.doh}/dns-query`],
    trustAnchors: [dsLine(zoneKey, 3600)],
    ca: ctx.tls.certFile,
    relay: null,
    issuer: null,
  };
}

export function oursArgs(ctx, main, db, clientConfig) {
  return [
    main,
    '--zone',
    ctx.dataset.baseZone,
    '--key-dir',
    ctx.dataset.keyDir,
    '--db',
    db,
    '--listen',
    `127.0.0.1:${ctx.ports.doh}`,
    '--tls-cert',
    ctx.tls.certFile,
    '--tls-key',
    ctx.tls.keyFile,
    '--resolver-config',
    clientConfig,
    '--do53',
    `127.0.0.1:${ctx.ports.udp}`,
    ...OURS_BENCH_FLAGS,
  ];
}

export const ours = {
  id: 'ours',
  name: 'mimi-authoritative',
  transports: ['udp', 'doh'],
  // Signing every RRset of 10^5 mappings on load takes a while on one core.
  readyTimeoutMs: 300_000,
  /**
   * Ready to be measured once the background pass has signed the store's RRsets (the
   * peers load a zone signed beforehand): the server logs "store rrsets signed".
   */
  async settled({ logFile, alive, timeoutMs = 600_000 }) {
    const started = Date.now();
    for (;;) {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      const line = text.split('\n').find((entry) => entry.includes('"msg":"store rrsets signed"'));
      if (line !== undefined) return JSON.parse(line);
      if (!alive()) throw new BenchError('not-ready', 'mimi-authoritative exited before signing its store');
      if (Date.now() - started > timeoutMs)
        throw new BenchError('not-ready', 'mimi-authoritative did not finish signing its store in time');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  },
  /** Build authoritative-dp when it has a tsconfig; throws BenchError when it cannot run. */
  async version({ repoRoot }) {
    const { project, tsconfig, main } = paths(repoRoot);
    if (await exists(tsconfig)) {
      const build = await runCollect('npx', ['tsc', '-b', project], { cwd: repoRoot, timeoutMs: 300_000 });
      if (build.code !== 0) {
        const first = `${build.stdout}${build.stderr}`.trim().split('\n')[0];
        throw new BenchError('not-built', `authoritative-dp does not build: ${first}`);
      }
    }
    if (!(await exists(main)))
      throw new BenchError('not-built', 'authoritative-dp/dist/main.js does not exist yet');
    const result = await runCollect(process.execPath, [main, '--version'], { cwd: repoRoot });
    if (result.code !== 0) {
      throw new BenchError(
        'no-version',
        `mimi-authoritative --version failed: ${result.stderr.trim().split('\n')[0]}`,
      );
    }
    return result.stdout.trim().split(/\s+/).pop();
  },
  async prepare(ctx) {
    const { main } = paths(ctx.repoRoot);
    // The server owns its database (WAL files, purges): give it a copy.
    const db = join(ctx.dir, 'mappings.db');
    await copyFile(ctx.dataset.db, db);
    const clientConfig = join(ctx.dir, 'client.json');
    await writeFile(clientConfig, `${JSON.stringify(benchClientConfig(ctx), null, 2)}\n`);
    // The program's own shebang flags (the server as an operator runs it), then
    // MIMI_BENCH_NODE_FLAGS: extra node flags for our server (e.g. "--cpu-prof
    // --cpu-prof-dir=DIR", which node refuses in NODE_OPTIONS).
    const nodeFlags = [
      ...shebangNodeFlags(main),
      ...(process.env.MIMI_BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    ];
    return { command: process.execPath, args: [...nodeFlags, ...oursArgs(ctx, main, db, clientConfig)] };
  },
};
