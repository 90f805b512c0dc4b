#!/usr/bin/env node
/**
 * `npm start`: bring up the demo network (DESIGN §9) from the repository checkout,
 * print every endpoint and a ready-to-paste resolve line, and stop everything cleanly
 * on Ctrl-C or SIGTERM. State lives in `.mimi/` of the current directory.
 */
import { resolve } from 'node:path';
import { isMimiError } from '@mimi/errors';
import { SEEDS } from './layout.js';
import { startNetwork } from './network.js';

async function main(): Promise<void> {
  const repoRoot = resolve(process.env.MIMI_REPO ?? process.cwd());
  const stateDir = resolve(repoRoot, '.mimi');
  console.log(`mimi demo: starting the network in ${stateDir} …`);
  const running = await startNetwork({ stateDir, repoRoot });
  const { network } = running;
  console.log('\nmimi demo network is up (127.0.0.1):\n');
  for (const server of network.servers) {
    console.log(`  ${server.role.padEnd(13)} ${server.host.padEnd(20)} ${server.zones.join(', ')}`);
    console.log(`  ${''.padEnd(13)} DoH  ${server.doh}`);
    console.log(`  ${''.padEnd(13)} Do53 ${server.do53}${server.api ? `   API ${server.api}/v1/` : ''}`);
  }
  console.log(`\n  trust anchor  ${running.trustAnchorLines.join('\n                ')}`);
  console.log(`  files         ${running.paths.networkJson}\n                ${running.paths.trustAnchor}\n                ${running.paths.clientJson}`);
  console.log(`  logs          ${running.paths.root}/logs/`);
  console.log(`\nTry:\n  npx mimi resolve ${SEEDS.map((s) => s.csi).join(' ')}\n`);
  console.log('Ctrl-C stops the network.');

  let stopping = false;
  const stop = async (signal: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nmimi demo: ${signal} — stopping …`);
    await running.stop();
    console.log('mimi demo: stopped.');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  // A server that dies takes the demo down with a clear line rather than half a network.
  for (const child of running.processes) {
    child.child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`mimi demo: ${child.name} exited (${signal ?? code}); see ${running.paths.root}/logs/${child.name}.log`);
      void stop('server exit', 3);
    });
  }
}

main().catch((err: unknown) => {
  const message = isMimiError(err) || err instanceof Error ? err.message : String(err);
  console.error(`mimi demo: ${message}`);
  process.exit(3);
});
