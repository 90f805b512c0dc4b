/**
 * The demo network of DESIGN §9: the root DP (apex + CSIP zone) under `root.nic`, an
 * authoritative DP `tel` for `4.4.e164` and `1.e164`, one `mail` for `example.com.email`,
 * the CSIPs `uk-carrier` (+44), `us-carrier` (+1) and `example-mail` (example.com), and
 * the six seeded CSIs with the status `mimi resolve` must report for each. Privacy is on
 * (DESIGN §9 "a relay and a token issuer"): lookups go through the relay with tokens.
 */
import type { CsipSpec, NetworkLayout, PrivacySpec, ServerSpec } from './layout.js';

export const APEX = 'mimi.arpa.';

export const SERVERS: readonly ServerSpec[] = [
  {
    name: 'root',
    role: 'root',
    host: `root.nic.${APEX}`,
    zones: [
      { apex: APEX, file: 'zones/root.zone' },
      { apex: `csip.${APEX}`, file: 'zones/csip.zone' },
    ],
  },
  {
    name: 'tel',
    role: 'authoritative',
    host: `tel.nic.${APEX}`,
    zones: [
      { apex: `4.4.e164.${APEX}`, file: 'zones/4.4.e164.zone' },
      { apex: `1.e164.${APEX}`, file: 'zones/1.e164.zone' },
    ],
  },
  {
    name: 'mail',
    role: 'authoritative',
    host: `mail.nic.${APEX}`,
    zones: [{ apex: `example.com.email.${APEX}`, file: 'zones/example.com.email.zone' }],
  },
];

export const CSIPS: readonly CsipSpec[] = [
  { id: 'uk-carrier', scope: ['+44'] },
  { id: 'us-carrier', scope: ['+1'] },
  { id: 'example-mail', scope: ['example.com'] },
];

/**
 * Generous for a demo (docs/internals/tokens.md: the issuer's default is 100 per hour):
 * a person trying bulk resolves should not run out within the hour.
 */
export const DEMO_PRIVACY: PrivacySpec = { quota: 1000, epochSeconds: 3600 };

export const DEMO_LAYOUT: NetworkLayout = {
  apex: APEX,
  servers: SERVERS,
  csips: CSIPS,
  privacy: DEMO_PRIVACY,
};

export interface SeedMapping {
  readonly id: string;
  readonly msps: readonly { msp: string; pri: number; tags: readonly string[] }[];
}

export interface SeedCsi {
  readonly csi: string;
  readonly csip: string;
  /** Name of the recipient's key file under keys/recipients/. */
  readonly recipient: string;
  readonly mappings: readonly SeedMapping[];
  /** What `mimi resolve` must say (DESIGN §9). */
  readonly expected: 'found' | 'opted-out' | 'no-mapping';
}

export const SEEDS: readonly SeedCsi[] = [
  {
    csi: '+447700900123',
    csip: 'uk-carrier',
    recipient: 'rcpt-447700900123',
    expected: 'found',
    mappings: [
      {
        id: 'personal',
        msps: [
          { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
          { msp: 'wire.example', pri: 20, tags: ['Business'] },
        ],
      },
    ],
  },
  {
    csi: '+447700900124',
    csip: 'uk-carrier',
    recipient: 'rcpt-447700900124',
    expected: 'opted-out',
    mappings: [{ id: 'personal', msps: [] }],
  },
  {
    csi: '+14155550100',
    csip: 'us-carrier',
    recipient: 'rcpt-14155550100',
    expected: 'found',
    mappings: [
      { id: 'personal', msps: [{ msp: 'signal.example', pri: 10, tags: ['Personal'] }] },
      {
        id: 'work',
        msps: [
          { msp: 'wire.example', pri: 10, tags: ['Business'] },
          { msp: 'teams.example', pri: 20, tags: ['Business'] },
        ],
      },
    ],
  },
  {
    csi: 'alice@example.com',
    csip: 'example-mail',
    recipient: 'rcpt-alice',
    expected: 'found',
    mappings: [{ id: 'personal', msps: [{ msp: 'signal.example', pri: 10, tags: ['Personal'] }] }],
  },
  { csi: '+447700900999', csip: 'uk-carrier', recipient: '', expected: 'no-mapping', mappings: [] },
  { csi: '+33123456789', csip: '', recipient: '', expected: 'no-mapping', mappings: [] },
];
