// A server's new ODoH key reaches its ODOHCFG record (docs/OPERATIONS.md "How a rotation
// reaches the record"): a changed `odoh configs` line rewrites the overlay and reloads the
// root once; the same configs again change nothing; changes seen during a republish are
// folded into the next one; a failure is reported, not thrown.
import { describe, expect, it } from 'vitest';
import type { OdohConfigs } from '../src/odoh-keys.js';
import { OdohPublisher } from '../src/odoh-publisher.js';
import type { LogLine } from '../src/server-process.js';

const configs = (byte: number): OdohConfigs => ({ configs: new Uint8Array([0, 1, byte]), ttl: 10_800 });
const line = (byte: number, rotated = true): LogLine => ({
  msg: 'odoh configs',
  configs: Buffer.from([0, 1, byte]).toString('base64url'),
  ttl: 10_800,
  rotated,
});

/** A server process as far as the publisher sees one: its lines, and a way to add one. */
function fakeProcess(lines: LogLine[] = []) {
  const listeners = new Set<(line: LogLine) => void>();
  return {
    lines,
    onLog(listener: (line: LogLine) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    log(entry: LogLine) {
      lines.push(entry);
      for (const listener of listeners) listener(entry);
    },
    get listeners() {
      return listeners.size;
    },
  };
}

function setUp(fail?: () => Error) {
  const published = new Map([
    ['root', configs(1)],
    ['tel', configs(2)],
  ]);
  const snapshots: string[][] = [];
  const reports: string[] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const publisher = new OdohPublisher(
    published,
    async () => {
      snapshots.push([...published].map(([name, c]) => `${name}:${c.configs[2]}`));
      await gate;
      if (fail !== undefined) throw fail();
    },
    (message) => reports.push(message),
  );
  const hold = () => {
    gate = new Promise((resolve) => {
      release = () => {
        gate = undefined;
        resolve();
      };
    });
  };
  return { publisher, published, snapshots, reports, hold, release: () => release?.() };
}

describe('OdohPublisher', () => {
  it('republishes nothing while the servers announce the configs already published', async () => {
    const { publisher, snapshots, reports } = setUp();
    publisher.watch('root', fakeProcess([{ msg: 'zone key' }, line(1, false)]));
    const tel = fakeProcess([line(2, false)]);
    publisher.watch('tel', tel);
    tel.log({ msg: 'listening' });
    await publisher.settled();
    expect(snapshots).toEqual([]);
    expect(reports).toEqual([]);
  });

  it('rewrites and reloads once for a rotated key, with the new configs in place', async () => {
    const { publisher, published, snapshots, reports } = setUp();
    const tel = fakeProcess([line(2, false)]);
    publisher.watch('tel', tel);
    tel.log(line(7));
    await publisher.settled();
    expect(snapshots).toEqual([['root:1', 'tel:7']]);
    expect(published.get('tel')).toEqual(configs(7));
    expect(reports).toEqual(['new odoh key of tel published (ODOHCFG re-signed by the root)']);
    tel.log(line(7, false));
    await publisher.settled();
    expect(snapshots).toHaveLength(1);
  });

  it('publishes a key rotated at start that the overlay does not hold yet', async () => {
    const { publisher, snapshots } = setUp();
    publisher.watch('root', fakeProcess([line(9, false)]));
    await publisher.settled();
    expect(snapshots).toEqual([['root:9', 'tel:2']]);
  });

  it('folds the changes seen during a republish into one more', async () => {
    const { publisher, snapshots, reports, hold, release } = setUp();
    const root = fakeProcess();
    const tel = fakeProcess();
    publisher.watch('root', root);
    publisher.watch('tel', tel);
    hold();
    root.log(line(3));
    await Promise.resolve();
    tel.log(line(4));
    root.log(line(5));
    release();
    await publisher.settled();
    expect(snapshots).toEqual([
      ['root:3', 'tel:2'],
      ['root:5', 'tel:4'],
    ]);
    expect(reports).toEqual([
      'new odoh key of root published (ODOHCFG re-signed by the root)',
      'new odoh key of root, tel published (ODOHCFG re-signed by the root)',
    ]);
  });

  it('reports a failed republish and keeps going', async () => {
    const { publisher, snapshots, reports } = setUp(() => new Error('root (pid 1): zone reload failed'));
    const tel = fakeProcess();
    publisher.watch('tel', tel);
    tel.log(line(6));
    await publisher.settled();
    tel.log(line(8));
    await publisher.settled();
    expect(snapshots).toHaveLength(2);
    expect(reports).toEqual([
      'new odoh key of tel not published: root (pid 1): zone reload failed',
      'new odoh key of tel not published: root (pid 1): zone reload failed',
    ]);
  });

  it('stops following the servers on close', async () => {
    const { publisher, snapshots } = setUp();
    const tel = fakeProcess();
    publisher.watch('tel', tel);
    expect(tel.listeners).toBe(1);
    await publisher.close();
    expect(tel.listeners).toBe(0);
    tel.log(line(9));
    await publisher.settled();
    expect(snapshots).toEqual([]);
  });
});
