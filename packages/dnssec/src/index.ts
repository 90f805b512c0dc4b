/**
 * @mimi/dnssec: the DNSSEC engine of DESIGN §5 — canonical form, key tags, DS,
 * RRSIG signing and verification (Ed25519 only), compact denial, and a pure
 * validator that a stub can drive zone by zone.
 */
export * from './canonical.js';
export * from './constants.js';
export * from './denial.js';
export * from './ds.js';
export * from './errors.js';
export * from './hierarchy.js';
export * from './key-dir.js';
export * from './key-tag.js';
export * from './results.js';
export * from './serial-time.js';
export * from './signed-data.js';
export * from './signer.js';
export * from './trust-anchor.js';
export * from './validate-chain.js';
export * from './validate-delegation.js';
export * from './validate-denial.js';
export * from './validate-keys.js';
export * from './validate-rrset.js';
export * from './zone-key.js';
export * from './zone-signer.js';
