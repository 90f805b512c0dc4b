export { DemoError } from './errors.js';
export type { ClientFile, NetworkFile, NetworkServerEntry } from './files.js';
export { APEX, CSIPS, type DemoServer, SEEDS, type SeedCsi, SERVERS } from './layout.js';
export { type NetworkOptions, type RunningNetwork, startNetwork } from './network.js';
export * from './pki.js';
export { type DemoPaths, demoPaths } from './state.js';
