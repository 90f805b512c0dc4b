// shebangNodeFlags: the Node options a server program names in its first line, which
// the demo, the test networks and the benchmarks pass when they start it as `node SCRIPT`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { shebangNodeFlags } from '../src/node-flags.js';
import { ServerProcess } from '../src/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'mimi-node-flags-'));
const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('shebangNodeFlags', () => {
  it.each([
    ['#!/usr/bin/env -S node --max-semi-space-size=64\nconsole.log(1);\n', ['--max-semi-space-size=64']],
    [
      '#!/usr/bin/env -S node --max-semi-space-size=64 --no-warnings\n',
      ['--max-semi-space-size=64', '--no-warnings'],
    ],
    ['#!/usr/bin/env -S node\n', []],
    ['#!/usr/bin/env node\n', []],
    ['console.log(1);\n', []],
    // Not a Node shebang, or not options: nothing is taken from it.
    ['#!/usr/bin/env -S python3 --max-semi-space-size=64\n', []],
    ['#!/usr/bin/env -S node script.js\n', []],
    ['#!/usr/bin/env -S node --a; rm -rf /\n', []],
    ['', []],
  ])('%j → %j', (text, flags) => {
    expect(shebangNodeFlags(script('s.js', text))).toEqual(flags);
  });

  it('gives none for a script that cannot be read', () => {
    expect(shebangNodeFlags(join(dir, 'missing.js'))).toEqual([]);
  });

  it('reads the flags the built servers ship with', () => {
    for (const program of ['root-dp', 'authoritative-dp']) {
      const main = join(repoRoot, program, 'src', 'main.ts');
      expect(shebangNodeFlags(main), program).toEqual(['--max-semi-space-size=64']);
    }
  });
});

describe('ServerProcess and shebang flags', () => {
  const started: ServerProcess[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((child) => child.stop()));
  });

  it('starts a program with the options of its shebang, before the script', async () => {
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    const main = script(
      'flagged.js',
      '#!/usr/bin/env -S node --max-semi-space-size=64\n' +
        "console.log(JSON.stringify({ msg: 'listening', doh: 'https://127.0.0.1:1/dns-query', do53: null, zones: [], execArgv: process.execArgv }));\n" +
        "process.on('SIGTERM', () => process.exit(0));\nsetInterval(() => {}, 1000);\n",
    );
    const child = ServerProcess.spawn('flagged', main, ['--x']);
    started.push(child);
    await child.started();
    expect(child.child.spawnargs.slice(1)).toEqual(['--max-semi-space-size=64', main, '--x']);
    expect(child.lines.find((line) => line.msg === 'listening')?.execArgv).toEqual([
      '--max-semi-space-size=64',
    ]);
  });
});
