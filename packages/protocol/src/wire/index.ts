export * from './types.js';
export * from './rr.js';
export * from './name.js';
