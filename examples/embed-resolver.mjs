#!/usr/bin/env node
// Embedding the MIMI stub resolver in an MSP (docs/EMBEDDING.md).
//
//   npx tsc -b && npm start                      # build, then start the demo network
//   node examples/embed-resolver.mjs +447700900123 alice@example.com
//   node examples/embed-resolver.mjs --sender-msp signal.example --context Business +447700900123
//
// The configuration is `$MIMI_CONFIG`, else `.mimi/client.json` (written by `npm start`).
import { parseArgs } from 'node:util';
import { createResolver, loadClientConfig, reasonCode, resultToJson, selectMsp } from '@mimi/stub-resolver';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: 'string' },
    'sender-msp': { type: 'string' },
    context: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

if (positionals.length === 0) {
  console.error(
    'usage: embed-resolver.mjs [--config FILE] [--sender-msp MSP] [--context TAG] [--json] CSI...',
  );
  process.exit(2);
}

const config = loadClientConfig(values.config ?? process.env.MIMI_CONFIG ?? '.mimi/client.json');

// A logger with the pino shape; an MSP passes its own.
const logger = { warn: (fields, message) => console.error(message, JSON.stringify(fields)) };
const resolver = createResolver(config, { logger });

let exitCode = 0;
try {
  // Every input is checked before any lookup: a typo throws CsiError here.
  const results = await resolver.resolveMany(positionals, {
    concurrency: 4,
    signal: AbortSignal.timeout(30_000),
  });
  for (const result of results) {
    if (values.json) {
      console.log(JSON.stringify(resultToJson(result)));
      continue;
    }
    const choice = selectMsp(result, { senderMsp: values['sender-msp'], context: values.context });
    const line = [result.csi, result.status];
    if (choice) line.push(`→ ${choice.msp} (pri ${choice.pri}, mapping '${choice.mappingId}')`);
    if (result.reason) line.push(`(${result.reason})`);
    console.log(line.join(' '));
    for (const warning of result.warnings) console.log(`  warning: ${warning}`);
  }
  // DESIGN §6: 1 if any was bogus, else 3 if any was unreachable, else 0.
  if (results.some((r) => r.status === 'bogus')) exitCode = 1;
  else if (results.some((r) => r.status === 'unreachable')) exitCode = 3;
  if (exitCode !== 0)
    console.error(`first failure: ${reasonCode(results.find((r) => r.reason) ?? { reason: null })}`);
} catch (err) {
  console.error(err.message);
  exitCode = err.code === 'aborted' ? 3 : 2;
} finally {
  await resolver.close();
}
process.exit(exitCode);
