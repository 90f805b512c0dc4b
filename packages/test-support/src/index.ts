export * from './tools.js';
export * from './unbound.js';
