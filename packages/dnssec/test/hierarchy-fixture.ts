// The signed test hierarchy mimi.arpa. → e164.mimi.arpa. → 4.4.e164.mimi.arpa. shared by
// the chain tests, and a step-by-step walk down it (what a stub does at each referral).
import {
  buildSignedHierarchy,
  validateDelegation,
  validateDnskeyRrset,
  type ZoneKeys,
} from '../src/index.js';
import { a, NOW, txt } from './fixtures.js';

export const LEAF_NAME = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
export const hierarchy = buildSignedHierarchy({
  now: NOW,
  records: { '4.4.e164.mimi.arpa.': [txt(LEAF_NAME, 'mapping'), a('www.4.4.e164.mimi.arpa.')] },
});
export const [root, mid, leaf] = hierarchy.zones as [
  (typeof hierarchy.zones)[0],
  (typeof hierarchy.zones)[0],
  (typeof hierarchy.zones)[0],
];

/** The validated keys of `zone`, walking down from the anchor one referral at a time. */
export function keysOf(zone: string): ZoneKeys {
  const links = hierarchy.chain(zone);
  let result = validateDnskeyRrset(
    links[0]!.zone,
    hierarchy.anchor,
    links[0]!.dnskey.records,
    links[0]!.dnskey.rrsigs,
    NOW,
  );
  for (const link of links.slice(1)) {
    if (result.status !== 'secure') break;
    const delegation = validateDelegation({
      child: link.zone,
      parentKeys: result.keys,
      proof: link.delegation!,
      now: NOW,
    });
    if (delegation.status !== 'secure') throw new Error(`delegation to ${link.zone} is ${delegation.status}`);
    result = validateDnskeyRrset(
      link.zone,
      { ds: delegation.ds },
      link.dnskey.records,
      link.dnskey.rrsigs,
      NOW,
    );
  }
  if (result.status !== 'secure') throw new Error(`keys of ${zone} are ${result.status}`);
  return result.keys;
}

export function reasonOf(result: { status: string; reason?: unknown }) {
  return result.status === 'bogus' ? (result.reason as { code: string; zone: string }) : undefined;
}
