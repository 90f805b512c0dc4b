/**
 * CSIs published with one object defect each (DESIGN §4 "Verification rules"), shared by
 * the tampering tests and the verification-worker tests: an attestation signed by a
 * stranger, a recipient signature by a stranger, a mapping about to expire, a CSIP out of
 * its scope, one forged record beside a valid one, and every record forged.
 */
import type { KeyObject } from 'node:crypto';
import { attest, mapping, msp, NOW, recipientKey } from './fixtures.js';
import type { TestNetwork } from './network.js';

/** The CSI that carries each defect (all in the +44 zone). */
export interface ObjectDefects {
  readonly attestationByStranger: string;
  readonly recipientSigByStranger: string;
  readonly expiredMapping: string;
  readonly outOfScopeCsip: string;
  readonly oneForged: string;
  readonly allForged: string;
}

export type MappingExtra = Partial<Parameters<typeof mapping>[0]>;

/** Publishes a good mapping of `csi` (signal.example, pri 10) with `extra` changed. */
export function mappingPublisher(network: TestNetwork, tags: readonly string[] = []) {
  return (csi: string, id: string, extra: MappingExtra = {}): void => {
    const recipient = recipientKey(csi);
    network.publish(
      mapping({
        csi,
        id,
        recipient,
        att: attest({ csi, csip: 'uk-carrier', recipient }),
        msps: [msp('signal.example', 10, [...tags])],
        ...extra,
      }),
      csi,
    );
  };
}

/** Publish each defect of `defects` through `publish`, the bad signatures by `stranger`. */
export function publishObjectDefects(
  publish: ReturnType<typeof mappingPublisher>,
  defects: ObjectDefects,
  stranger: KeyObject,
): void {
  const byStranger = recipientKey(defects.attestationByStranger);
  publish(defects.attestationByStranger, 'personal', {
    att: attest({
      csi: defects.attestationByStranger,
      csip: 'uk-carrier',
      recipient: byStranger,
      signer: stranger,
    }),
  });
  publish(defects.recipientSigByStranger, 'personal', { signer: stranger });
  publish(defects.expiredMapping, 'personal', { exp: NOW + 600 });
  const outOfScope = recipientKey(defects.outOfScopeCsip);
  publish(defects.outOfScopeCsip, 'personal', {
    att: attest({ csi: defects.outOfScopeCsip, csip: 'us-carrier', recipient: outOfScope }),
  });
  publish(defects.oneForged, 'personal', { serial: 1 });
  publish(defects.oneForged, 'work', { serial: 2, signer: stranger, msps: [msp('evil.example', 0)] });
  publish(defects.allForged, 'personal', { serial: 1, signer: stranger });
  publish(defects.allForged, 'work', { serial: 2, signer: stranger });
}
