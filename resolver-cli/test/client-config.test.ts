/**
 * DESIGN §8 "Client configuration (`--config`, default `$MIMI_CONFIG`, else
 * `.mimi/client.json` in the current directory)", and the overrides `--root`, `--relay`,
 * `--direct` and `--region`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { chooseConfigPath, loadConfig } from '../src/client-config.js';
import { CliError } from '../src/errors.js';
import { writeClientConfig } from './helpers/config.js';
import { memoryIo } from './helpers/memory-io.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mimi-cli-config-'));
});

describe('chooseConfigPath', () => {
  it('--config wins, then $MIMI_CONFIG, then .mimi/client.json in the cwd', () => {
    const io = memoryIo({ cwd: dir, env: { MIMI_CONFIG: 'env.json' } });
    expect(chooseConfigPath('flag.json', io)).toEqual({ path: join(dir, 'flag.json'), from: '--config' });
    expect(chooseConfigPath(undefined, io)).toEqual({ path: join(dir, 'env.json'), from: 'MIMI_CONFIG' });
    expect(chooseConfigPath(undefined, memoryIo({ cwd: dir, env: { MIMI_CONFIG: '' } }))).toEqual({
      path: join(dir, '.mimi', 'client.json'),
      from: 'default',
    });
  });
});

describe('loadConfig', () => {
  it('reads .mimi/client.json from the cwd', () => {
    writeClientConfig(dir);
    const config = loadConfig({}, memoryIo({ cwd: dir }));
    expect(config.roots).toEqual(['https://127.0.0.1:8443/dns-query']);
    expect(config.relay).toBe('https://127.0.0.1:8446/proxy');
    expect(config.region).toBeNull();
  });

  it('applies --root, --relay and --region over the file', () => {
    writeClientConfig(dir);
    const config = loadConfig(
      {
        roots: ['https://a.example/dns-query', 'https://b.example/dns-query'],
        relay: 'https://r.example/proxy',
        region: 'gb',
      },
      memoryIo({ cwd: dir }),
    );
    expect(config.roots).toEqual(['https://a.example/dns-query', 'https://b.example/dns-query']);
    expect(config.relay).toBe('https://r.example/proxy');
    expect(config.region).toBe('GB');
  });

  it('--direct drops the relay; with --relay it is a usage error', () => {
    writeClientConfig(dir);
    expect(loadConfig({ direct: true }, memoryIo({ cwd: dir })).relay).toBeNull();
    expect(() =>
      loadConfig({ direct: true, relay: 'https://r.example/proxy' }, memoryIo({ cwd: dir })),
    ).toThrow('--direct and --relay cannot be used together');
  });

  it('names where it looked when there is no configuration', () => {
    let caught: unknown;
    try {
      loadConfig({}, memoryIo({ cwd: dir }));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).code).toBe('config-missing');
    expect((caught as CliError).message).toBe(
      `no client configuration: .mimi/client.json not found in ${dir} (use --config FILE or set MIMI_CONFIG)`,
    );
  });

  it('an explicit file that is missing or broken is the resolver’s config error, naming it', () => {
    expect(() => loadConfig({ config: 'nope.json' }, memoryIo({ cwd: dir }))).toThrow(
      `${join(dir, 'nope.json')}: cannot read (enoent)`,
    );
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'client.json'), '{"roots": []}');
    expect(() => loadConfig({ config: 'bad/client.json' }, memoryIo({ cwd: dir }))).toThrow(
      /'roots' must be a non-empty array/,
    );
  });

  it('checks the flags before the file', () => {
    expect(() => loadConfig({ roots: ['http://plain.example/'] }, memoryIo({ cwd: dir }))).toThrow(
      "--root must be an https url, got 'http://plain.example/'",
    );
  });
});
