/** Every call takes an AbortSignal: aborting rejects with `aborted` promptly and leaves nothing running. */
import { describe, expect, it } from 'vitest';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork, ROOT_URL } from './helpers/network.js';

describe('AbortSignal', () => {
  it('an already aborted signal rejects before any request', async () => {
    const network = await buildNetwork();
    const controller = new AbortController();
    controller.abort();
    await expect(
      network.resolver().resolve(CSI.ukFound, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'aborted',
    });
    expect(network.transport.requests).toEqual([]);
  });

  it('aborting during a hanging exchange rejects with aborted, not unreachable', async () => {
    const network = await buildNetwork();
    network.transport.hanging.add(ROOT_URL);
    const controller = new AbortController();
    const pending = network
      .resolver({ timeoutMs: 60_000 })
      .resolve(CSI.ukFound, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(network.transport.requests).toHaveLength(1);
  });

  it('resolveMany, findDelegation and fetchCsipKeys honour the signal', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    const controller = new AbortController();
    controller.abort();
    const resolver = network.resolver();
    const signal = controller.signal;
    await expect(resolver.resolveMany([CSI.ukFound, CSI.alice], { signal })).rejects.toMatchObject({
      code: 'aborted',
    });
    await expect(resolver.findDelegation(CSI.ukFound, { signal })).rejects.toMatchObject({ code: 'aborted' });
    await expect(resolver.fetchCsipKeys('uk-carrier', { signal })).rejects.toMatchObject({ code: 'aborted' });
    expect(network.transport.requests).toEqual([]);
  });

  it('one caller aborting does not cancel a coalesced look-up for another', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    network.transport.delay = () => new Promise((resolve) => setTimeout(resolve, 2));
    const resolver = network.resolver();
    const controller = new AbortController();
    const impatient = resolver.resolve(CSI.ukFound, { signal: controller.signal });
    const patient = resolver.resolve(CSI.ukFound);
    setTimeout(() => controller.abort(), 1);
    await expect(impatient).rejects.toMatchObject({ code: 'aborted' });
    expect((await patient).status).toBe('found');
  });
});
