/** Identical look-ups in flight are coalesced: concurrent resolves cost what one does. */
import { describe, expect, it } from 'vitest';
import { InFlight } from '../src/cache/in-flight.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork } from './helpers/network.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 2));

describe('coalescing of resolutions', () => {
  it('five concurrent resolves of one CSI send the requests of one', async () => {
    const single = await buildNetwork();
    seedDemo(single);
    await single.resolver().resolve(CSI.ukFound);
    const alone = single.transport.requests.length;

    const network = await buildNetwork();
    seedDemo(network);
    network.transport.delay = tick;
    const resolver = network.resolver();
    const results = await Promise.all(Array.from({ length: 5 }, () => resolver.resolve(CSI.ukFound)));
    expect(results.every((r) => r.status === 'found')).toBe(true);
    expect(network.transport.requests).toHaveLength(alone);
  });

  it('concurrent CSIs under one delegation walk the shared zones once', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    network.transport.delay = tick;
    const resolver = network.resolver();
    await Promise.all([resolver.resolve(CSI.ukFound), resolver.resolve(CSI.ukOptedOut)]);
    const keyQueries = network.transport.requests.filter((r) => r.qtype === 'DNSKEY' || r.qtype === 'DS');
    const distinct = new Set(keyQueries.map((r) => `${r.qname} ${r.qtype}`));
    expect(keyQueries).toHaveLength(distinct.size);
  });
});

describe('InFlight', () => {
  it('runs the work once for concurrent askers of one key', async () => {
    const flights = new InFlight<number>();
    let runs = 0;
    const work = async () => {
      runs++;
      await tick();
      return 42;
    };
    const values = await Promise.all([
      flights.run('k', work),
      flights.run('k', work),
      flights.run('k', work),
    ]);
    expect(values).toEqual([42, 42, 42]);
    expect(runs).toBe(1);
    expect(flights.size).toBe(0);
  });

  it('runs again once the previous run settled', async () => {
    const flights = new InFlight<number>();
    let runs = 0;
    await flights.run('k', async () => ++runs);
    await flights.run('k', async () => ++runs);
    expect(runs).toBe(2);
  });

  it('aborts the shared work only when every waiter aborted', async () => {
    const flights = new InFlight<string>();
    let workSignal: AbortSignal | undefined;
    const work = (signal: AbortSignal | undefined) =>
      new Promise<string>((resolve, reject) => {
        workSignal = signal;
        signal!.addEventListener('abort', () => reject(new Error('stopped')));
        setTimeout(() => resolve('done'), 20);
      });
    const a = new AbortController();
    const b = new AbortController();
    const first = flights.run('k', work, a.signal);
    const second = flights.run('k', work, b.signal);
    await tick();
    a.abort();
    await expect(first).rejects.toMatchObject({ code: 'aborted' });
    expect(workSignal!.aborted).toBe(false);
    b.abort();
    await expect(second).rejects.toMatchObject({ code: 'aborted' });
    expect(workSignal!.aborted).toBe(true);
    expect(flights.size).toBe(0);
  });

  it('gives a run started without a signal none, and no later waiter can stop it', async () => {
    const flights = new InFlight<string>();
    const signals: (AbortSignal | undefined)[] = [];
    let release: (value: string) => void = () => undefined;
    const work = (signal: AbortSignal | undefined) => {
      signals.push(signal);
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const first = flights.run('k', work);
    const impatient = new AbortController();
    const second = flights.run('k', work, impatient.signal);
    await tick();
    impatient.abort();
    await expect(second).rejects.toMatchObject({ code: 'aborted' });
    expect(flights.size).toBe(1);
    release('done');
    await expect(first).resolves.toBe('done');
    expect(signals).toEqual([undefined]);
    expect(flights.size).toBe(0);
  });

  it('passes a failure to every waiter', async () => {
    const flights = new InFlight<number>();
    const work = async () => {
      await tick();
      throw new Error('boom');
    };
    const results = await Promise.allSettled([
      flights.run('k', work),
      flights.run('k', work, new AbortController().signal),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
