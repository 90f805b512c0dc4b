export * from './digest.js';
export * from './ed25519.js';
export * from './encoding.js';
export { CryptoError } from './errors.js';
export * from './key-file.js';
