/**
 * Fixed resolution results, one per DESIGN §6 status, in the stub's result type: the
 * formatter tests read them, and the fake resolver hands them out.
 */
import type { ResolveResult } from '@mimi/stub-resolver';

export const FOUND: ResolveResult = {
  csi: '+447700900123',
  qname: '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
  status: 'found',
  mappings: [
    {
      id: 'personal',
      serial: 3,
      recipientKey: 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg',
      csip: 'uk-carrier',
      epoch: 1,
      expires: '2027-01-01T00:00:00Z',
      policy: {},
      msps: [
        { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
        { msp: 'wire.example', pri: 20, tags: ['Business'] },
      ],
    },
  ],
  warnings: [],
  reason: null,
};

/** Two mappings, one of them sameMspOnly, and a dropped record named in warnings. */
export const FOUND_TWO: ResolveResult = {
  csi: '+14155550100',
  qname: '0.0.1.0.5.5.5.5.1.4.1.e164.mimi.arpa.',
  status: 'found',
  mappings: [
    {
      id: 'personal',
      serial: 7,
      recipientKey: 'eZAE2F6tVgiJRGt5KEiU2WX2rxR0tzoz0oStcpKzVQQ',
      csip: 'us-carrier',
      epoch: 2,
      expires: '2026-06-30T12:00:00Z',
      policy: { sameMspOnly: true },
      msps: [{ msp: 'signal.example', pri: 10, tags: [] }],
    },
    {
      id: 'work',
      serial: 8,
      recipientKey: 'eZAE2F6tVgiJRGt5KEiU2WX2rxR0tzoz0oStcpKzVQQ',
      csip: 'us-carrier',
      epoch: 2,
      expires: '2026-06-30T12:00:00Z',
      policy: {},
      msps: [
        { msp: 'wire.example', pri: 10, tags: ['Business'] },
        { msp: 'teams.example', pri: 20, tags: ['Business', 'Sales'] },
      ],
    },
  ],
  warnings: [
    'record 3 dropped: signature: mapping: signature does not verify under the attested recipient key',
  ],
  reason: null,
};

export const OPTED_OUT: ResolveResult = {
  csi: '+447700900124',
  qname: '4.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
  status: 'opted-out',
  mappings: [
    {
      id: 'personal',
      serial: 1,
      recipientKey: 'b0pF1NwTt0x8wCq6l3eNUrCVTd6bH0EKZ0KfLkdXR7c',
      csip: 'uk-carrier',
      epoch: 1,
      expires: '2027-01-01T00:00:00Z',
      policy: {},
      msps: [],
    },
  ],
  warnings: [],
  reason: null,
};

export const NO_MAPPING: ResolveResult = {
  csi: '+447700900999',
  qname: '9.9.9.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
  status: 'no-mapping',
  mappings: [],
  warnings: [],
  reason: null,
};

export const BOGUS: ResolveResult = {
  csi: 'alice@example.com',
  qname: '2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db.example.com.email.mimi.arpa.',
  status: 'bogus',
  mappings: [],
  warnings: [],
  reason: 'bad-signature: RRSIG of MSPMAP by key 61173 does not verify',
};

export const UNREACHABLE: ResolveResult = {
  csi: '+33123456789',
  qname: '9.8.7.6.5.4.3.2.1.3.3.e164.mimi.arpa.',
  status: 'unreachable',
  mappings: [],
  warnings: [],
  reason: 'timeout: no server of zone mimi.arpa. answered in time',
};

export const ALL_RESULTS = [FOUND, FOUND_TWO, OPTED_OUT, NO_MAPPING, BOGUS, UNREACHABLE] as const;
