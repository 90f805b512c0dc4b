/**
 * `mimi resolve` in-process (DESIGN §8): inputs checked before any lookup, results in
 * input order as tables, NDJSON or one selected MSP, traces, the progress bar and colour
 * rules, and the DESIGN §6 exit code — against a resolver answering fixed results.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientConfig, ResolveResult, TraceEvent } from '@mimi/stub-resolver';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/app.js';
import { PLAIN } from '../src/colour.js';
import { resultJsonLine } from '../src/format/json.js';
import { formatResultTable } from '../src/format/table.js';
import { writeClientConfig } from './helpers/config.js';
import { type FakeResolver, fakeResolver } from './helpers/fake-resolver.js';
import { type MemoryIoOptions, memoryIo } from './helpers/memory-io.js';
import {
  ALL_RESULTS,
  BOGUS,
  FOUND,
  FOUND_TWO,
  NO_MAPPING,
  OPTED_OUT,
  UNREACHABLE,
} from './helpers/results.js';

let dir: string;
let made: FakeResolver[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mimi-cli-resolve-'));
  writeClientConfig(dir);
  made = [];
});

const TRACE: TraceEvent[] = [
  { event: 'trust-anchor', zone: 'mimi.arpa.', keyTags: [25614] },
  { event: 'result', status: 'found', reason: null, ms: 2 },
];

async function run(argv: string[], options: Partial<MemoryIoOptions> = {}, fake: { reverse?: boolean } = {}) {
  const io = memoryIo({ cwd: dir, ...options });
  const code = await runCli(argv, io, {
    createResolver: (config: ClientConfig) => {
      const resolver = fakeResolver(config, ALL_RESULTS, { ...fake, trace: TRACE });
      made.push(resolver);
      return resolver;
    },
  });
  return { code, stdout: io.stdout.text, stderr: io.stderr.text, resolver: made[0] };
}

describe('mimi resolve: output', () => {
  it('one CSI: normalized, resolved, drawn as a table; the resolver is closed', async () => {
    const { code, stdout, stderr, resolver } = await run(['resolve', '+44 7700 900123']);
    expect(code).toBe(0);
    expect(stdout).toBe(formatResultTable(FOUND, PLAIN));
    expect(stderr).toBe('');
    expect(resolver?.asked).toEqual(['+447700900123']);
    expect(resolver?.closed).toBe(true);
  });

  it('several CSIs: tables in input order, separated by a blank line', async () => {
    const { stdout } = await run(['resolve', '+447700900999', '+447700900124'], {}, { reverse: true });
    expect(stdout).toBe(`${formatResultTable(NO_MAPPING, PLAIN)}\n${formatResultTable(OPTED_OUT, PLAIN)}`);
  });

  it('--json: one DESIGN §8 object per line, in input order even when answers come back reversed', async () => {
    const csis = ALL_RESULTS.map((result) => result.csi);
    const { stdout } = await run(['resolve', ...csis, '--json'], {}, { reverse: true });
    expect(stdout).toBe(ALL_RESULTS.map((result) => resultJsonLine(result)).join(''));
  });

  it('--select: one MSP per CSI; with --json, "selected" is added', async () => {
    const plain = await run(['resolve', '+14155550100', '--select', '--context', 'sales']);
    expect(plain.stdout).toBe('+14155550100  teams.example  (pri 20, mapping work, tags Business, Sales)\n');
    const json = await run([
      'resolve',
      '+14155550100',
      '+447700900999',
      '--select',
      '--json',
      '--sender-msp',
      'signal.example',
    ]);
    const [first, second] = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(first.selected).toEqual({
      msp: 'signal.example',
      pri: 10,
      tags: [],
      mappingId: 'personal',
      matchedContext: false,
    });
    expect(second.selected).toBeNull();
  });

  it('--trace draws the chain before the table; with --json it goes to stderr', async () => {
    const table = await run(['resolve', '+447700900123', '--trace']);
    expect(table.stdout).toBe(
      `trace of +447700900123\nzone mimi.arpa.\n  anchor  trust anchor, key tags 25614\nresult  found  2 ms\n${formatResultTable(FOUND, PLAIN)}`,
    );
    const json = await run(['resolve', '+447700900123', '--trace', '--json']);
    expect(json.stdout).toBe(resultJsonLine(FOUND));
    expect(json.stderr).toContain('trace of +447700900123\nzone mimi.arpa.\n');
  });
});

describe('mimi resolve: --file', () => {
  it('reads a contact file, skipping blank lines and comments; NDJSON out', async () => {
    writeFileSync(join(dir, 'contacts.txt'), '# friends\n+447700900123\n\nalice@example.com\n');
    const { code, stdout } = await run(['resolve', '--file', 'contacts.txt', '--json']);
    expect(code).toBe(1); // alice@example.com is bogus in the fixed results
    expect(stdout).toBe(resultJsonLine(FOUND) + resultJsonLine(BOGUS));
  });

  it('--file - reads standard input', async () => {
    const { stdout, resolver } = await run(['resolve', '--file', '-', '--json'], {
      stdin: '+447700900124\r\n+447700900999\n',
    });
    expect(resolver?.asked).toEqual(['+447700900124', '+447700900999']);
    expect(stdout).toBe(resultJsonLine(OPTED_OUT) + resultJsonLine(NO_MAPPING));
  });

  it('an empty contact file resolves nothing and succeeds', async () => {
    writeFileSync(join(dir, 'empty.txt'), '# nobody yet\n');
    const { code, stdout, resolver } = await run(['resolve', '--file', 'empty.txt']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(resolver?.asked).toEqual([]);
  });

  it('draws a progress bar on stderr only when stderr is a terminal', async () => {
    writeFileSync(join(dir, 'contacts.txt'), '+447700900123\n+447700900124\n');
    const tty = await run(['resolve', '--file', 'contacts.txt', '--json'], { stderrTty: true });
    expect(tty.stderr).toContain('2/2 csis 100%');
    expect(tty.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(tty.stdout).toBe(resultJsonLine(FOUND) + resultJsonLine(OPTED_OUT));
    const pipe = await run(['resolve', '--file', 'contacts.txt', '--json'], { stderrTty: false });
    expect(pipe.stderr).toBe('');
  });

  it('a missing contact file is bad input', async () => {
    const { code, stderr } = await run(['resolve', '--file', 'nope.txt']);
    expect(code).toBe(2);
    expect(stderr).toBe('mimi: cannot read nope.txt (enoent)\n');
  });
});

describe('mimi resolve: inputs are checked before any lookup', () => {
  it('one bad CSI among good ones: exit 2, named, nothing resolved', async () => {
    const { code, stdout, stderr, resolver } = await run([
      'resolve',
      '+447700900123',
      'bob@',
      '+14155550100',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^mimi: invalid CSI 'bob@': .*\n$/);
    expect(resolver?.asked).toEqual([]);
    expect(resolver?.closed).toBe(true);
  });

  it('a bad line in a contact file is named with its line number', async () => {
    writeFileSync(join(dir, 'contacts.txt'), '+447700900123\n# x\n+999\n');
    const { code, stderr } = await run(['resolve', '--file', 'contacts.txt']);
    expect(code).toBe(2);
    expect(stderr).toBe("mimi: contacts.txt:3: invalid CSI '+999': no assigned country calling code\n");
  });

  it('--region parses national formats', async () => {
    const { code, resolver } = await run(['resolve', '07700 900123', '--region', 'gb']);
    expect(code).toBe(0);
    expect(resolver?.asked).toEqual(['+447700900123']);
    expect(resolver?.config.region).toBe('GB');
  });

  it('--root and --direct reach the resolver configuration', async () => {
    const { resolver } = await run([
      'resolve',
      '+447700900123',
      '--root',
      'https://10.0.0.1/dns-query',
      '--direct',
    ]);
    expect(resolver?.config.roots).toEqual(['https://10.0.0.1/dns-query']);
    expect(resolver?.config.relay).toBeNull();
  });

  it('--relay reaches the resolver configuration; the file relay is used without it', async () => {
    await run(['resolve', '+447700900123', '--relay', 'https://r.example/proxy']);
    await run(['resolve', '+447700900123']);
    expect(made.map((resolver) => resolver.config.relay)).toEqual([
      'https://r.example/proxy',
      'https://127.0.0.1:8446/proxy',
    ]);
  });

  it('keeps no token pool for one CSI, a pool of one batch at most for a bulk run', async () => {
    const csis = ALL_RESULTS.map((result) => result.csi);
    const file = join(dir, 'many.txt');
    writeFileSync(file, `${Array.from({ length: 100 }, () => '+447700900123').join('\n')}\n`);
    await run(['resolve', '+447700900123']);
    await run(['resolve', ...csis]);
    await run(['resolve', '--file', file, '--json']);
    expect(made.map((resolver) => resolver.config.tokenPool)).toEqual([0, csis.length, 64]);
  });

  it('a tokenPool in the configuration file wins', async () => {
    writeClientConfig(dir, { tokenPool: 5 });
    expect((await run(['resolve', '+447700900123'])).resolver?.config.tokenPool).toBe(5);
  });

  it.each([
    [['resolve'], "mimi: no csi given (name one or more, or use --file FILE) (see 'mimi resolve --help')"],
    [
      ['resolve', '+447700900123', '--sender-msp', 'x.example'],
      "mimi: --sender-msp needs --select (see 'mimi resolve --help')",
    ],
    [
      ['resolve', '+447700900123', '--context', 'Work'],
      "mimi: --context needs --select (see 'mimi resolve --help')",
    ],
    [
      ['resolve', '+447700900123', '--relay', 'https://r.example/', '--direct'],
      "mimi: --direct and --relay cannot be used together (see 'mimi resolve --help')",
    ],
    [
      ['resolve', '+447700900123', '--json', '--frob'],
      "mimi: unknown argument: frob (see 'mimi resolve --help')",
    ],
    [
      ['resolve', '+447700900123', '--file', 'a', '--file', 'b'],
      "mimi: --file given more than once (see 'mimi resolve --help')",
    ],
  ])('%j is a usage error', async (argv, line) => {
    const { code, stderr, resolver } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toBe(`${line}\n`);
    expect(resolver).toBeUndefined();
  });

  it('no configuration: exit 2 naming where it looked', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mimi-cli-noconf-'));
    const io = memoryIo({ cwd: empty });
    const code = await runCli(['resolve', '+447700900123'], io);
    expect(code).toBe(2);
    expect(io.stderr.text).toMatch(/^mimi: no client configuration: \.mimi\/client\.json not found in /);
  });
});

describe('mimi resolve: exit codes (DESIGN §6)', () => {
  it.each([
    [[FOUND], 0],
    [[OPTED_OUT], 0],
    [[NO_MAPPING], 0],
    [[BOGUS], 1],
    [[UNREACHABLE], 3],
    [[FOUND, UNREACHABLE, NO_MAPPING], 3],
    [[UNREACHABLE, BOGUS, FOUND_TWO], 1],
  ] as [ResolveResult[], number][])('%#: statuses give exit %i', async (results, code) => {
    const out = await run(['resolve', ...results.map((result) => result.csi), '--json']);
    expect(out.code).toBe(code);
    expect(out.stdout.trim().split('\n')).toHaveLength(results.length);
  });
});

describe('colour (DESIGN §8: only on a TTY, never with NO_COLOR)', () => {
  it.each([
    [{ stdoutTty: true, env: {} }, true],
    [{ stdoutTty: true, env: { NO_COLOR: '1' } }, false],
    [{ stdoutTty: true, env: { NO_COLOR: '' } }, true],
    [{ stdoutTty: true, env: { TERM: 'dumb' } }, false],
    [{ stdoutTty: false, env: {} }, false],
  ])('%j -> coloured %s', async (options, coloured) => {
    const { stdout } = await run(['resolve', '+447700900123'], options);
    expect(stdout.includes('\x1b[')).toBe(coloured);
  });

  it('never colours JSON, even on a terminal', async () => {
    const { stdout } = await run(['resolve', '+447700900123', '--json'], { stdoutTty: true });
    expect(stdout).toBe(resultJsonLine(FOUND));
  });

  it('colours the error prefix only when stderr is a terminal', async () => {
    const tty = await run(['resolve', 'bob@'], { stderrTty: true });
    expect(tty.stderr.startsWith('\x1b[31mmimi:\x1b[39m ')).toBe(true);
    const noColor = await run(['resolve', 'bob@'], { stderrTty: true, env: { NO_COLOR: 'yes' } });
    expect(noColor.stderr.startsWith('mimi: ')).toBe(true);
  });
});
