#!/usr/bin/env node
/**
 * `mimi` (DESIGN §8): runs the command line on this process's arguments and streams,
 * and leaves the exit code for Node to return once output has drained.
 */
import { runCli } from './app.js';
import { processIo } from './io.js';

// `mimi resolve --file big.txt | head`: a closed pipe ends the output, not in a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
