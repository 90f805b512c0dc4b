export * from './errors.js';
export * from './wire/index.js';
export * from './zonefile/index.js';
export * from './csi/index.js';
export * from './objects/index.js';
