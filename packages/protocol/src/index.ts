export * from './errors.js';
export * from './wire/index.js';
