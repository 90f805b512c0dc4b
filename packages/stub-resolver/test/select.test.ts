/**
 * `selectMsp` (DESIGN §8 `--select`): exactly one MSP or none — lowest `pri`, then
 * mapping `id`, then MSP name; `--context` prefers MSPs carrying the tag
 * (case-insensitively); a `sameMspOnly` mapping offers only the sender's own MSP. The
 * table follows the recipients' journeys CUJ 1–4 and 7 (DESIGN §1).
 */
import { describe, expect, it } from 'vitest';
import { type ResolveResult, type ResultMapping, selectMsp } from '../src/index.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork } from './helpers/network.js';

function m(
  id: string,
  msps: [string, number, string[]?][],
  policy: ResultMapping['policy'] = {},
): ResultMapping {
  return {
    id,
    serial: 1,
    recipientKey: 'k',
    csip: 'uk-carrier',
    epoch: 1,
    expires: '2027-01-01T00:00:00Z',
    policy,
    msps: msps.map(([msp, pri, tags]) => ({ msp, pri, tags: tags ?? [] })),
  };
}

function found(...mappings: ResultMapping[]): ResolveResult {
  return { csi: '+447700900123', qname: 'q.', status: 'found', mappings, warnings: [], reason: null };
}

const uk = found(
  m('personal', [
    ['whatsapp.example', 10, ['Personal']],
    ['wire.example', 20, ['Business']],
  ]),
);
const us = found(
  m('personal', [['signal.example', 10, ['Personal']]]),
  m('work', [
    ['wire.example', 10, ['Business']],
    ['teams.example', 20, ['Business']],
  ]),
);
const sameOnly = found(
  m(
    'personal',
    [
      ['signal.example', 10],
      ['whatsapp.example', 20],
    ],
    { sameMspOnly: true },
  ),
);

describe('selection table', () => {
  it.each([
    ['CUJ 1: one MSP published, that one', found(m('only', [['signal.example', 10]])), {}, 'signal.example'],
    ['CUJ 3: lowest pri wins', uk, {}, 'whatsapp.example'],
    ['CUJ 3: pri tie broken by mapping id', us, {}, 'signal.example'],
    [
      'CUJ 3: pri and id tie broken by MSP name',
      found(
        m('a', [
          ['zeta.example', 5],
          ['alpha.example', 5],
        ]),
      ),
      {},
      'alpha.example',
    ],
    [
      'CUJ 7: context Business prefers the tagged MSP over a lower pri',
      uk,
      { context: 'Business' },
      'wire.example',
    ],
    ['CUJ 7: context matches case-insensitively', uk, { context: 'business' }, 'wire.example'],
    ['CUJ 7: context within two mappings', us, { context: 'BUSINESS' }, 'wire.example'],
    ['CUJ 7: an unknown context excludes no one', uk, { context: 'Gaming' }, 'whatsapp.example'],
    [
      'CUJ 2: sameMspOnly offers the sender its own MSP',
      sameOnly,
      { senderMsp: 'whatsapp.example' },
      'whatsapp.example',
    ],
    [
      'CUJ 2: sameMspOnly, sender MSP matched case-insensitively',
      sameOnly,
      { senderMsp: 'Signal.Example' },
      'signal.example',
    ],
    ['CUJ 2: sameMspOnly, sender on another MSP: none', sameOnly, { senderMsp: 'wire.example' }, null],
    ['CUJ 2: sameMspOnly without a sender MSP: none', sameOnly, {}, null],
    [
      'CUJ 2: a sameMspOnly mapping beside an open one',
      found(m('a', [['signal.example', 1]], { sameMspOnly: true }), m('b', [['wire.example', 50]])),
      {},
      'wire.example',
    ],
  ])('%s', (_name, result, options, expected) => {
    expect(selectMsp(result, options)?.msp ?? null).toBe(expected);
  });

  it('CUJ 4: the answer is one MSP with where it came from, never a set', () => {
    expect(selectMsp(us, { context: 'Business' })).toEqual({
      msp: 'wire.example',
      pri: 10,
      tags: ['Business'],
      mappingId: 'work',
      matchedContext: true,
    });
  });

  it.each(['opted-out', 'no-mapping', 'bogus', 'unreachable'] as const)(
    'a %s result offers none',
    (status) => {
      expect(selectMsp({ ...uk, status })).toBeNull();
    },
  );
});

describe('selection on resolved results', () => {
  it('+447700900123 --select --context Business → wire.example; +447700900125 --sender-msp signal.example', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    const resolver = network.resolver();
    expect(selectMsp(await resolver.resolve(CSI.ukFound), { context: 'Business' })?.msp).toBe('wire.example');
    const same = await resolver.resolve(CSI.ukSameMsp);
    expect(same.mappings[0]!.policy).toEqual({ sameMspOnly: true });
    expect(selectMsp(same, { senderMsp: 'signal.example' })?.msp).toBe('signal.example');
    expect(selectMsp(same)).toBeNull();
    expect(selectMsp(await resolver.resolve(CSI.ukOptedOut))).toBeNull();
  });
});
