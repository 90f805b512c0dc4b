#!/usr/bin/env node
/**
 * `npm start`: bring up the demo network (DESIGN §9) from the repository checkout,
 * print every endpoint and a ready-to-paste resolve line, and stop everything cleanly
 * on Ctrl-C or SIGTERM. State lives in `.mimi/` of the checkout (`$MIMI_REPO`, else the
 * current directory).
 */
import { resolve } from 'node:path';
import { isMimiError } from '@mimi/errors';
import { SEEDS } from './demo-layout.js';
import { type RunningNetwork, startNetwork } from './demo-network.js';

/** Exit status when a server fails (DESIGN §8: 3, a server error). */
const EXIT_SERVER_ERROR = 3;

function printEndpoints(running: RunningNetwork): void {
  const indent = ''.padEnd(16);
  console.log('\nmimi demo network is up (127.0.0.1):\n');
  for (const server of running.servers) {
    console.log(`  ${server.role.padEnd(13)} ${server.host.padEnd(20)} ${server.zones.join(', ')}`);
    console.log(`  ${''.padEnd(13)} DoH  ${server.doh}`);
    const api = server.role === 'authoritative' ? `   API ${server.api}/v1/` : '';
    console.log(`  ${''.padEnd(13)} Do53 ${server.do53}${api}`);
  }
  if (running.privacy !== null) {
    const { relay, issuer } = running.privacy;
    console.log(`  relay         ${relay.url}  (oblivious DoH, RFC 9230: lookups go through it)`);
    console.log(
      `  issuer        ${issuer.url}  (Privacy Pass tokens for the user 'demo', key in client.json)`,
    );
    console.log(`${indent}DoH and ODoH lookups of CSIs at the DPs need a token; Do53 needs none`);
  }
  console.log(`\n  trust anchor  ${running.trustAnchorLines.join(`\n${indent}`)}`);
  const { networkJson, trustAnchor, clientJson, root } = running.paths;
  console.log(`  files         ${[networkJson, trustAnchor, clientJson].join(`\n${indent}`)}`);
  console.log(`  logs          ${root}/logs/`);
  console.log(`\nTry:\n  npx mimi resolve ${SEEDS.map((s) => s.csi).join(' ')}`);
  if (running.privacy !== null) {
    console.log(`  npx mimi resolve ${SEEDS[0]!.csi} --trace     (the relay hop and the tokens)`);
    console.log(`  npx mimi resolve ${SEEDS[0]!.csi} --direct    (no relay; tokens over DoH)`);
  }
  console.log('');
  console.log('Ctrl-C stops the network.');
}

async function main(): Promise<void> {
  const repoRoot = resolve(process.env.MIMI_REPO ?? process.cwd());
  const stateDir = resolve(repoRoot, '.mimi');
  console.log(`mimi demo: starting the network in ${stateDir} …`);
  const running = await startNetwork({
    stateDir,
    repoRoot,
    report: (message) => console.log(`mimi demo: ${message}`),
  });
  printEndpoints(running);

  let stopping = false;
  const stop = async (why: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nmimi demo: ${why} — stopping …`);
    await running.stop();
    console.log('mimi demo: stopped.');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  // A server that dies takes the demo down with a clear line rather than half a network.
  for (const server of running.processes) {
    void server.exit().then((code) => {
      if (stopping) return;
      console.error(`mimi demo: ${server.name} exited (${code}); see ${running.paths.log(server.name)}`);
      void stop('server exit', EXIT_SERVER_ERROR);
    });
  }
}

main().catch((err: unknown) => {
  const message = isMimiError(err) || err instanceof Error ? err.message : String(err);
  console.error(`mimi demo: ${message}`);
  process.exit(EXIT_SERVER_ERROR);
});
