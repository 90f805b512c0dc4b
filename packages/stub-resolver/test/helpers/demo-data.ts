/**
 * The seeded mappings of DESIGN §9's table, plus a few the selection journeys need
 * (CUJ 2: `sameMspOnly`), published into a TestNetwork.
 */
import { attest, mapping, msp, recipientKey } from './fixtures.js';
import type { TestNetwork } from './network.js';

export const CSI = {
  ukFound: '+447700900123',
  ukOptedOut: '+447700900124',
  ukSameMsp: '+447700900125',
  ukMissing: '+447700900999',
  usFound: '+14155550100',
  alice: 'alice@example.com',
  noDp: '+33123456789',
} as const;

export function seedDemo(network: TestNetwork): void {
  const r1 = recipientKey('447700900123');
  network.publish(
    mapping({
      csi: CSI.ukFound,
      id: 'personal',
      recipient: r1,
      att: attest({ csi: CSI.ukFound, csip: 'uk-carrier', recipient: r1 }),
      msps: [msp('whatsapp.example', 10, ['Personal']), msp('wire.example', 20, ['Business'])],
      serial: 3,
    }),
    CSI.ukFound,
  );
  const r2 = recipientKey('447700900124');
  network.publish(
    mapping({
      csi: CSI.ukOptedOut,
      id: 'personal',
      recipient: r2,
      att: attest({ csi: CSI.ukOptedOut, csip: 'uk-carrier', recipient: r2 }),
      msps: [],
    }),
    CSI.ukOptedOut,
  );
  const r3 = recipientKey('447700900125');
  network.publish(
    mapping({
      csi: CSI.ukSameMsp,
      id: 'personal',
      recipient: r3,
      att: attest({ csi: CSI.ukSameMsp, csip: 'uk-carrier', recipient: r3 }),
      msps: [msp('signal.example', 10), msp('whatsapp.example', 20)],
      policy: { sameMspOnly: true },
    }),
    CSI.ukSameMsp,
  );
  const r4 = recipientKey('14155550100');
  const att4 = attest({ csi: CSI.usFound, csip: 'us-carrier', recipient: r4 });
  network.publish(
    mapping({
      csi: CSI.usFound,
      id: 'personal',
      recipient: r4,
      att: att4,
      msps: [msp('signal.example', 10, ['Personal'])],
      serial: 1,
    }),
    CSI.usFound,
  );
  network.publish(
    mapping({
      csi: CSI.usFound,
      id: 'work',
      recipient: r4,
      att: att4,
      msps: [msp('wire.example', 10, ['Business']), msp('teams.example', 20, ['Business'])],
      serial: 2,
    }),
    CSI.usFound,
  );
  const r5 = recipientKey('alice');
  network.publish(
    mapping({
      csi: CSI.alice,
      id: 'personal',
      recipient: r5,
      att: attest({ csi: CSI.alice, csip: 'example-mail', recipient: r5 }),
      msps: [msp('signal.example', 10)],
    }),
    CSI.alice,
  );
}
