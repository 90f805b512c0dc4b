export type { NetworkCsip } from './csips.js';
export {
  APEX,
  CSIPS,
  DEMO_LAYOUT,
  DEMO_PRIVACY,
  SEEDS,
  SERVERS,
  type SeedCsi,
  type SeedMapping,
} from './demo-layout.js';
export { type NetworkOptions, type RunningNetwork, startNetwork } from './demo-network.js';
export { DemoError } from './errors.js';
export type { CsipSpec, NetworkLayout, PrivacySpec, ServerRole, ServerSpec, ZoneSpec } from './layout.js';
export {
  ISSUER_HOST,
  type LaunchedNetwork,
  type LaunchOptions,
  launchNetwork,
  type NetworkPrivacy,
  type NetworkServer,
  RELAY_HOST,
} from './network.js';
export type { ClientFile, NetworkFile, NetworkServerEntry, PrivacyEndpoints } from './network-files.js';
export { shebangNodeFlags } from './node-flags.js';
export { configsFromLog, type OdohConfigs } from './odoh-keys.js';
export * from './pki.js';
export { DEMO_USER, type PrivacyProcess, privacyProgramPath } from './privacy-launch.js';
export { programPath } from './server-launch.js';
export { type ListeningLine, type LogLine, ServerProcess, type SpawnOptions } from './server-process.js';
export { type DemoPaths, demoPaths } from './state.js';
