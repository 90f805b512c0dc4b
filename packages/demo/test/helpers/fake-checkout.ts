/**
 * A fake repository checkout whose "built servers" are tiny scripts speaking the servers'
 * process contract (server-core): bind `--listen`, log the pino `listening` line, log
 * `zones reloaded` on SIGHUP, exit 0 on SIGTERM, and on a taken port print the error on
 * stderr and exit 3. The authoritative one refuses to start (exit 2), like a bad flag.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LISTENING_SERVER = `
import { createServer } from 'node:net';
const args = process.argv.slice(2);
const [host, port] = args[args.indexOf('--listen') + 1].split(':');
const do53 = args[args.indexOf('--do53') + 1] ?? null;
const server = createServer();
server.once('error', (err) => {
  process.stderr.write('fake-root: ' + err.message + '\\n');
  process.exit(3);
});
server.listen(Number(port), host, () => {
  console.log('not json at all');
  const doh = 'https://' + host + ':' + server.address().port + '/dns-query';
  console.log(JSON.stringify({ level: 30, msg: 'listening', doh, do53, zones: ['example.'] }));
});
process.on('SIGHUP', () => console.log(JSON.stringify({ msg: 'zones reloaded' })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const REFUSING_SERVER = `
process.stderr.write('fake-authoritative: --db is missing\\n');
process.exit(2);
`;

/** A temporary directory laid out like a built checkout; returns its path. */
export function fakeCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'mimi-fake-checkout-'));
  for (const [dir, text] of [
    ['root-dp', LISTENING_SERVER],
    ['authoritative-dp', REFUSING_SERVER],
  ] as const) {
    mkdirSync(join(root, dir, 'dist'), { recursive: true });
    writeFileSync(join(root, dir, 'dist', 'main.js'), text);
  }
  // The scripts are ES modules, as the real builds are.
  writeFileSync(join(root, 'package.json'), '{"type": "module"}\n');
  return root;
}
