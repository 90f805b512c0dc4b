// The benchmark's data (bench/resolver-publish.mjs) and its small Linux helpers
// (resolver-cpu.mjs, resolver-network.mjs's CPU split): the objects must be ones a
// resolver accepts, or the benchmark measures refusals.
import { generateEd25519 } from '@mimi/crypto';
import { decodeMapping, verifyMapping } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { startCpuMeter, statCpuSeconds, threadCpuSeconds } from '../resolver-cpu.mjs';
import { cpuSplit } from '../resolver-network.mjs';
import { benchCsi, MAX_CSIS, signedMapping } from '../resolver-publish.mjs';

const NOW = 1_790_000_000;

describe('benchCsi', () => {
  it.each([
    [0, '+447700900000'],
    [1, '+447700900001'],
    [9_999, '+447700909999'],
    [MAX_CSIS - 1, '+447701899999'],
  ])('index %s is %s', (index, csi) => {
    expect(benchCsi(index)).toBe(csi);
  });

  it.each([-1, MAX_CSIS, 1.5, Number.NaN])('refuses index %s', (index) => {
    expect(() => benchCsi(index)).toThrow(expect.objectContaining({ code: 'bad-index' }));
    expect(() => benchCsi(index)).toThrow(/csi index .* is outside 0..999999/);
  });
});

describe('signedMapping', () => {
  const csipKey = generateEd25519();
  const csip = { id: 'uk-carrier', privateKey: csipKey.privateKey };
  const record = { v: 1, id: 'uk-carrier', pk: csipKey.publicKey, scope: ['+44'], exp: NOW + 86_400 * 365 };

  it('is a mapping the stub’s checks accept for its CSI and owner name', () => {
    const bytes = signedMapping('+447700900001', csip, NOW);
    const verified = verifyMapping(bytes, {
      now: NOW + 60,
      expectCsi: '+447700900001',
      ownerName: '1.0.0.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
      csipKeys: [record],
    });
    expect(verified.mapping.msps).toEqual([{ msp: 'signal.example', pri: 10, tags: ['personal'] }]);
    expect(verified.att.csip).toBe('uk-carrier');
    expect(verified.expires).toBe(NOW + 30 * 86_400);
  });

  it('gives every CSI its own recipient key', () => {
    const a = decodeMapping(signedMapping('+447700900001', csip, NOW));
    const b = decodeMapping(signedMapping('+447700900002', csip, NOW));
    expect(Buffer.from(a.att.rk).equals(Buffer.from(b.att.rk))).toBe(false);
  });

  it('is refused under another CSIP key (the signature is real)', () => {
    const other = { ...record, pk: generateEd25519().publicKey };
    const bytes = signedMapping('+447700900001', csip, NOW);
    expect(() => verifyMapping(bytes, { now: NOW, csipKeys: [other] })).toThrow(
      expect.objectContaining({ code: 'signature' }),
    );
  });
});

describe('statCpuSeconds (proc(5) stat line)', () => {
  it('adds utime and stime in clock ticks of 1/100 s', () => {
    const line = '4242 (node) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 123 0 0';
    expect(statCpuSeconds(line)).toBe(3.25);
  });

  it('reads past a command name holding spaces and parentheses', () => {
    const line = '7 (my (odd) name) R 1 7 7 0 -1 0 0 0 0 0 1000 1 0 0 20 0 1 0 1 0 0';
    expect(statCpuSeconds(line)).toBe(10.01);
  });
});

describe('threadCpuSeconds', () => {
  it('counts this thread: 0.1 s of its CPU shows in the meter, and no more than the process used', () => {
    const meter = startCpuMeter([]);
    const before = threadCpuSeconds();
    expect(before).toBeTypeOf('number');
    while (threadCpuSeconds() - before < 0.1);
    const used = meter.stop();
    expect(used.calling).toBeGreaterThanOrEqual(0.1 - 1e-9);
    // The process clock counts microseconds, the thread's ticks of 10 ms.
    expect(used.calling).toBeLessThanOrEqual(used.client + 0.02);
  });
});

describe('cpuSplit', () => {
  it.each([
    [1, null],
    [2, { servers: '0', client: '1' }],
    [3, { servers: '0', client: '1-2' }],
    [4, { servers: '0-1', client: '2-3' }],
    [8, { servers: '0-3', client: '4-7' }],
  ])('%s CPUs: %j', (nproc, split) => {
    expect(cpuSplit(nproc)).toEqual(split);
  });
});
