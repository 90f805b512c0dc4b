export * from './do53-client.js';
export * from './https-client.js';
export * from './network.js';
export * from './network-layout.js';
export * from './server-process.js';
export * from './tools.js';
export * from './unbound.js';
