/** CSIs: normalization, owner names and name classification (DESIGN §3). */

export { classifyName, isInCsiSubtree, type NameClass } from './classify.js';
export * from './constants.js';
export type { EmailCsi } from './email.js';
export { hasValidALabels, hostNameProblem, isHostName } from './host-name.js';
export { isNormalizedCsi, type NormalizeCsiOptions, normalizeCsi } from './normalize.js';
export { type Csi, csiOwnerName, emailLocalHash } from './owner-name.js';
export { callingCodeOf, type PhoneCsi } from './phone.js';
