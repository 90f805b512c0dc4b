export * from './csi/index.js';
export * from './errors.js';
export * from './objects/index.js';
export * from './wire/index.js';
export * from './zonefile/index.js';
