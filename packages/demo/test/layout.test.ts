// The layouts a network can be started from: exactly one root serving the apex, unique names.
import { describe, expect, it } from 'vitest';
import { DEMO_LAYOUT, SERVERS } from '../src/demo-layout.js';
import { DemoError } from '../src/errors.js';
import { checkLayout, type NetworkLayout } from '../src/layout.js';

const [root, tel, mail] = SERVERS as [(typeof SERVERS)[0], (typeof SERVERS)[0], (typeof SERVERS)[0]];

describe('checkLayout', () => {
  it('returns the root server of the demo layout', () => {
    expect(checkLayout(DEMO_LAYOUT)).toBe(root);
  });

  it('turns the privacy layer on for the demo, with a generous quota (DESIGN §9)', () => {
    expect(DEMO_LAYOUT.privacy).toEqual({ quota: 1000, epochSeconds: 3600 });
  });

  it.each([
    ['no root', [tel, mail], 'a network has exactly one root server, this layout has 0'],
    [
      'two roots',
      [root, { ...root, name: 'root2' }],
      'a network has exactly one root server, this layout has 2',
    ],
    ['a name used twice', [root, tel, { ...mail, name: 'tel' }], "server name 'tel' is used twice"],
    [
      'a root without the apex',
      [{ ...root, zones: root.zones.slice(1) }, tel],
      "root server 'root' does not serve the apex mimi.arpa.",
    ],
  ] as const)('refuses %s (bad-layout)', (_what, servers, message) => {
    const layout: NetworkLayout = { ...DEMO_LAYOUT, servers };
    let failure: unknown;
    try {
      checkLayout(layout);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(DemoError);
    expect(failure).toMatchObject({ code: 'bad-layout', message });
  });

  it('accepts the apex spelled in another case', () => {
    expect(checkLayout({ ...DEMO_LAYOUT, apex: 'MIMI.arpa.' })).toBe(root);
  });
});
