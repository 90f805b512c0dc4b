/**
 * The demo network's fixed shape (DESIGN §9): which server serves which zones under
 * which host name, which CSIPs exist with which scope, and the six seeded CSIs.
 */

export const APEX = 'mimi.arpa.';

export type ServerRole = 'root' | 'authoritative';

export interface DemoServer {
  /** Short name, used for files under the state directory. */
  readonly name: string;
  readonly role: ServerRole;
  /** Host name under `nic.` (its certificate names it; DESIGN §3). */
  readonly host: string;
  /** Zone files from zones/, and the zones they define. */
  readonly zoneFiles: readonly string[];
  readonly zones: readonly string[];
}

export const SERVERS: readonly DemoServer[] = [
  {
    name: 'root',
    role: 'root',
    host: 'root.nic.mimi.arpa.',
    zoneFiles: ['root.zone', 'csip.zone'],
    zones: ['mimi.arpa.', 'csip.mimi.arpa.'],
  },
  {
    name: 'tel',
    role: 'authoritative',
    host: 'tel.nic.mimi.arpa.',
    zoneFiles: ['4.4.e164.zone', '1.e164.zone'],
    zones: ['4.4.e164.mimi.arpa.', '1.e164.mimi.arpa.'],
  },
  {
    name: 'mail',
    role: 'authoritative',
    host: 'mail.nic.mimi.arpa.',
    zoneFiles: ['example.com.email.zone'],
    zones: ['example.com.email.mimi.arpa.'],
  },
];

export interface DemoCsip {
  readonly id: string;
  readonly scope: readonly string[];
}

export const CSIPS: readonly DemoCsip[] = [
  { id: 'uk-carrier', scope: ['+44'] },
  { id: 'us-carrier', scope: ['+1'] },
  { id: 'example-mail', scope: ['example.com'] },
];

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
